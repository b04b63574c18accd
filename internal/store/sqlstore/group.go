package sqlstore

import (
	"database/sql"
	"fmt"

	"github.com/iamq/iamq/internal/store"
)

const groupColumns = `id, name, name_key, path, created`

// scanGroup reads groupColumns.
func (t *sqlTx) scanGroup(row interface{ Scan(...any) error }) (store.Group, []string, error) {
	var g store.Group
	var key string
	var created int64
	err := row.Scan(&g.ID, &g.Name, &key, &g.Path, &created)
	g.AccountID, g.Created = t.acct.ID, fromNanos(created)
	return g, []string{key}, err
}

// CreateGroup creates a group.
func (t *sqlTx) CreateGroup(g store.Group) (store.Group, error) {
	if err := t.mustWrite(); err != nil {
		return store.Group{}, err
	}
	if g.Name == "" {
		return store.Group{}, fmt.Errorf("%w: a group needs a name", store.ErrInvalid)
	}
	if err := t.admit("iam_groups", g.Name, "Group with name "+g.Name+" already exists.", store.QuotaGroupsPerAccount, store.MaxGroupsPerAccount); err != nil {
		return store.Group{}, err
	}
	t.defaults(&g.Path, &g.Created)
	if g.ID == "" {
		g.ID = store.NewID(store.PrefixGroup)
	}
	g.AccountID = t.acct.ID
	if _, err := t.exec(`INSERT INTO iam_groups (account, `+groupColumns+`) VALUES ($1, $2, $3, $4, $5, $6)`,
		t.acct.ID, g.ID, g.Name, nameKey(g.Name), g.Path, nanos(g.Created)); err != nil {
		return store.Group{}, err
	}
	t.changed(store.KindGroup, store.OpCreate, g.Name)
	return g, nil
}

// Group returns a group by name.
func (t *sqlTx) Group(name string) (store.Group, error) {
	row := t.tx.QueryRowContext(t.ctx, `SELECT `+groupColumns+` FROM iam_groups WHERE account = $1 AND name_key = $2`,
		t.acct.ID, nameKey(name))
	g, _, err := t.scanGroup(row)
	if err != nil {
		return store.Group{}, notFoundOr(err, "The group with name "+name+" cannot be found.")
	}
	return g, nil
}

// Groups lists groups by name.
func (t *sqlTx) Groups(o store.ListOptions) (store.Page[store.Group], error) {
	return list(t, o, 1, `SELECT `+groupColumns+` FROM iam_groups WHERE account = $1 AND `+pathMatch(2)+
		` AND name_key > $3 ORDER BY name_key LIMIT $4`,
		[]any{t.acct.ID, o.PathPrefix}, func(r *sql.Rows) (store.Group, []string, error) { return t.scanGroup(r) })
}

// UpdateGroup renames or moves a group.
func (t *sqlTx) UpdateGroup(name string, g store.Group) (store.Group, error) {
	old, err := t.Group(name)
	if err != nil {
		return store.Group{}, err
	}
	if nameKey(g.Name) != nameKey(old.Name) {
		if taken, err := t.taken("iam_groups", g.Name); err != nil {
			return store.Group{}, err
		} else if taken {
			return store.Group{}, fmt.Errorf("%w: Group with name %s already exists.", store.ErrAlreadyExists, g.Name)
		}
	}
	if g.Path == "" {
		g.Path = old.Path
	}
	if _, err := t.exec(`UPDATE iam_groups SET name = $3, name_key = $4, path = $5 WHERE account = $1 AND id = $2`,
		t.acct.ID, old.ID, g.Name, nameKey(g.Name), g.Path); err != nil {
		return store.Group{}, err
	}
	old.Name, old.Path = g.Name, g.Path
	t.changed(store.KindGroup, store.OpUpdate, name)
	if g.Name != name {
		t.changed(store.KindGroup, store.OpUpdate, g.Name)
	}
	return old, nil
}

// DeleteGroup deletes a group that has no members or policies.
func (t *sqlTx) DeleteGroup(name string) error {
	g, err := t.Group(name)
	if err != nil {
		return err
	}
	checks := []struct{ query, msg string }{
		{`SELECT COUNT(*) FROM group_members WHERE group_id = $1`, "Cannot delete entity, must remove users from group first."},
		{`SELECT COUNT(*) FROM attachments WHERE entity_id = $1`, "Cannot delete entity, must detach all policies first."},
		{`SELECT COUNT(*) FROM inline_policies WHERE entity_id = $1`, "Cannot delete entity, must delete policies first."},
	}
	if err := t.refuseIfAny(g.ID, checks); err != nil {
		return err
	}
	if _, err := t.exec(`DELETE FROM iam_groups WHERE id = $1`, g.ID); err != nil {
		return err
	}
	t.changed(store.KindGroup, store.OpDelete, g.Name)
	return nil
}

// AddUserToGroup adds a member, within the groups-per-user quota.
func (t *sqlTx) AddUserToGroup(group, user string) error {
	g, err := t.Group(group)
	if err != nil {
		return err
	}
	u, err := t.User(user)
	if err != nil {
		return err
	}
	n, err := t.count(`SELECT COUNT(*) FROM group_members WHERE user_id = $1 AND group_id = $2`, u.ID, g.ID)
	if err != nil || n > 0 {
		return err // already a member: nothing to do
	}
	if err := t.mustWrite(); err != nil {
		return err
	}
	if n, err = t.count(`SELECT COUNT(*) FROM group_members WHERE user_id = $1`, u.ID); err != nil {
		return err
	}
	if n >= store.MaxGroupsPerUser {
		return quotaError(store.QuotaGroupsPerUser, store.MaxGroupsPerUser)
	}
	if _, err := t.exec(`INSERT INTO group_members (account, group_id, user_id) VALUES ($1, $2, $3)`, t.acct.ID, g.ID, u.ID); err != nil {
		return err
	}
	t.changed(store.KindGroup, store.OpUpdate, g.Name)
	t.changed(store.KindUser, store.OpUpdate, u.Name)
	return nil
}

// RemoveUserFromGroup removes a member.
func (t *sqlTx) RemoveUserFromGroup(group, user string) error {
	g, err := t.Group(group)
	if err != nil {
		return err
	}
	u, err := t.User(user)
	if err != nil {
		return err
	}
	r, err := t.exec(`DELETE FROM group_members WHERE group_id = $1 AND user_id = $2`, g.ID, u.ID)
	if err != nil {
		return err
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return fmt.Errorf("%w: The user with name %s is not in group %s.", store.ErrNotFound, u.Name, g.Name)
	}
	t.changed(store.KindGroup, store.OpUpdate, g.Name)
	t.changed(store.KindUser, store.OpUpdate, u.Name)
	return nil
}

// GroupMembers lists a group's users by name.
func (t *sqlTx) GroupMembers(group string, o store.ListOptions) (store.Page[store.User], error) {
	g, err := t.Group(group)
	if err != nil {
		return store.Page[store.User]{}, err
	}
	return list(t, o, 1, `SELECT u.id, u.name, u.name_key, u.path, u.created, u.boundary FROM group_members m
		JOIN iam_users u ON u.id = m.user_id WHERE m.group_id = $1 AND substr(u.path, 1, length(CAST($2 AS TEXT))) = CAST($2 AS TEXT)
		AND u.name_key > $3 ORDER BY u.name_key LIMIT $4`,
		[]any{g.ID, o.PathPrefix}, func(r *sql.Rows) (store.User, []string, error) { return t.scanUser(r) })
}

// GroupsForUser lists a user's groups by name.
func (t *sqlTx) GroupsForUser(user string, o store.ListOptions) (store.Page[store.Group], error) {
	u, err := t.User(user)
	if err != nil {
		return store.Page[store.Group]{}, err
	}
	return list(t, o, 1, `SELECT g.id, g.name, g.name_key, g.path, g.created FROM group_members m
		JOIN iam_groups g ON g.id = m.group_id WHERE m.user_id = $1 AND substr(g.path, 1, length(CAST($2 AS TEXT))) = CAST($2 AS TEXT)
		AND g.name_key > $3 ORDER BY g.name_key LIMIT $4`,
		[]any{u.ID, o.PathPrefix}, func(r *sql.Rows) (store.Group, []string, error) { return t.scanGroup(r) })
}
