package sqlstore

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/iamq/iamq/internal/store"
)

const userColumns = `id, name, name_key, path, created, boundary`

// scanUser reads userColumns.
func (t *sqlTx) scanUser(row interface{ Scan(...any) error }) (store.User, []string, error) {
	var u store.User
	var key string
	var created int64
	err := row.Scan(&u.ID, &u.Name, &key, &u.Path, &created, &u.PermissionsBoundary)
	u.AccountID, u.Created = t.acct.ID, fromNanos(created)
	return u, []string{key}, err
}

// defaults fills an empty path and creation time.
func (t *sqlTx) defaults(path *string, created *time.Time) {
	if *path == "" {
		*path = "/"
	}
	if created.IsZero() {
		*created = t.s.now().UTC()
	}
}

// taken reports whether table already holds name in the account.
func (t *sqlTx) taken(table, name string) (bool, error) {
	n, err := t.count(`SELECT COUNT(*) FROM `+table+` WHERE account = $1 AND name_key = $2`, t.acct.ID, nameKey(name))
	return n > 0, err
}

// admit checks that one more entity named name may be created in table: the
// name is free (exists is IAM's refusal when it is not) and the account's
// quota q of limit is not reached.
func (t *sqlTx) admit(table, name, exists string, q store.Quota, limit int) error {
	if taken, err := t.taken(table, name); err != nil {
		return err
	} else if taken {
		return fmt.Errorf("%w: %s", store.ErrAlreadyExists, exists)
	}
	return t.underQuota(table, q, limit)
}

// underQuota refuses one more row in table when the account holds limit
// rows already. The transaction holds the account's write lock, so two
// racing creations cannot both pass.
func (t *sqlTx) underQuota(table string, q store.Quota, limit int) error {
	n, err := t.count(`SELECT COUNT(*) FROM `+table+` WHERE account = $1`, t.acct.ID)
	if err == nil && n >= limit {
		err = quotaError(q, limit)
	}
	return err
}

// CreateUser creates a user.
func (t *sqlTx) CreateUser(u store.User) (store.User, error) {
	if err := t.mustWrite(); err != nil {
		return store.User{}, err
	}
	if u.Name == "" {
		return store.User{}, fmt.Errorf("%w: a user needs a name", store.ErrInvalid)
	}
	if err := t.admit("iam_users", u.Name, "User with name "+u.Name+" already exists.", store.QuotaUsersPerAccount, store.MaxUsersPerAccount); err != nil {
		return store.User{}, err
	}
	t.defaults(&u.Path, &u.Created)
	if u.ID == "" {
		u.ID = store.NewID(store.PrefixUser)
	}
	u.AccountID = t.acct.ID
	if _, err := t.exec(`INSERT INTO iam_users (account, `+userColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		t.acct.ID, u.ID, u.Name, nameKey(u.Name), u.Path, nanos(u.Created), u.PermissionsBoundary); err != nil {
		return store.User{}, err
	}
	if err := t.moveBoundary("", u.PermissionsBoundary); err != nil {
		return store.User{}, err
	}
	if err := t.insertTags(u.ID, store.KindUser, u.Tags); err != nil {
		return store.User{}, err
	}
	t.changed(store.KindUser, store.OpCreate, u.Name)
	return u, nil
}

// User returns a user by name, with its tags.
func (t *sqlTx) User(name string) (store.User, error) {
	return t.userWhere("name_key", nameKey(name), "The user with name "+name+" cannot be found.")
}

// UserByID returns a user by id, with its tags.
func (t *sqlTx) UserByID(id string) (store.User, error) {
	return t.userWhere("id", id, "The user with id "+id+" cannot be found.")
}

func (t *sqlTx) userWhere(column, value, notFound string) (store.User, error) {
	row := t.tx.QueryRowContext(t.ctx, `SELECT `+userColumns+` FROM iam_users WHERE account = $1 AND `+column+` = $2`, t.acct.ID, value)
	u, _, err := t.scanUser(row)
	if err != nil {
		return store.User{}, notFoundOr(err, notFound)
	}
	u.Tags, err = t.tagsOf(u.ID)
	return u, err
}

// notFoundOr maps sql.ErrNoRows to ErrNotFound with msg.
func notFoundOr(err error, msg string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w: %s", store.ErrNotFound, msg)
	}
	return fmt.Errorf("store: %w", err)
}

// Users lists users by name.
func (t *sqlTx) Users(o store.ListOptions) (store.Page[store.User], error) {
	return list(t, o, 1, `SELECT `+userColumns+` FROM iam_users WHERE account = $1 AND `+pathMatch(2)+
		` AND name_key > $3 ORDER BY name_key LIMIT $4`,
		[]any{t.acct.ID, o.PathPrefix}, func(r *sql.Rows) (store.User, []string, error) { return t.scanUser(r) })
}

// UpdateUser renames or moves a user and sets its boundary.
func (t *sqlTx) UpdateUser(name string, u store.User) (store.User, error) {
	old, err := t.User(name)
	if err != nil {
		return store.User{}, err
	}
	if nameKey(u.Name) != nameKey(old.Name) {
		if taken, err := t.taken("iam_users", u.Name); err != nil {
			return store.User{}, err
		} else if taken {
			return store.User{}, fmt.Errorf("%w: User with name %s already exists.", store.ErrAlreadyExists, u.Name)
		}
	}
	if u.Path == "" {
		u.Path = old.Path
	}
	if _, err := t.exec(`UPDATE iam_users SET name = $3, name_key = $4, path = $5, boundary = $6 WHERE account = $1 AND id = $2`,
		t.acct.ID, old.ID, u.Name, nameKey(u.Name), u.Path, u.PermissionsBoundary); err != nil {
		return store.User{}, err
	}
	if err := t.moveBoundary(old.PermissionsBoundary, u.PermissionsBoundary); err != nil {
		return store.User{}, err
	}
	old.Name, old.Path, old.PermissionsBoundary = u.Name, u.Path, u.PermissionsBoundary
	t.changed(store.KindUser, store.OpUpdate, name)
	if u.Name != name {
		t.changed(store.KindUser, store.OpUpdate, u.Name)
	}
	return old, nil
}

// DeleteUser deletes a user that nothing refers to.
func (t *sqlTx) DeleteUser(name string) error {
	u, err := t.User(name)
	if err != nil {
		return err
	}
	// In the order of the IAM API Reference's DeleteUser: the password,
	// access keys, MFA devices, then policies and groups.
	checks := []struct{ query, msg string }{
		{`SELECT COUNT(*) FROM login_profiles WHERE user_id = $1`, "Cannot delete entity, must delete login profile first."},
		{`SELECT COUNT(*) FROM access_keys WHERE owner_id = $1 AND expires = 0`, "Cannot delete entity, must delete access keys first."},
		{`SELECT COUNT(*) FROM mfa_devices WHERE owner_kind = 'user' AND owner_id = $1`, "Cannot delete entity, must delete MFA device first."},
		{`SELECT COUNT(*) FROM attachments WHERE entity_id = $1`, "Cannot delete entity, must detach all policies first."},
		{`SELECT COUNT(*) FROM inline_policies WHERE entity_id = $1`, "Cannot delete entity, must delete policies first."},
		{`SELECT COUNT(*) FROM group_members WHERE user_id = $1`, "Cannot delete entity, must remove user from all groups first."},
		// The texts of the three below are not quoted by any public source of
		// AWS's answers; they follow the others' form, as other emulators
		// word them.
		{`SELECT COUNT(*) FROM user_credentials WHERE owner_id = $1 AND kind = 'signing-cert'`, "Cannot delete entity, must delete signing certificates first."},
		{`SELECT COUNT(*) FROM user_credentials WHERE owner_id = $1 AND kind = 'ssh-key'`, "Cannot delete entity, must delete SSH public keys first."},
		{`SELECT COUNT(*) FROM user_credentials WHERE owner_id = $1 AND kind = 'service'`, "Cannot delete entity, must delete service-specific credentials first."},
	}
	if err := t.refuseIfAny(u.ID, checks); err != nil {
		return err
	}
	if err := t.moveBoundary(u.PermissionsBoundary, ""); err != nil {
		return err
	}
	for _, q := range []string{
		`DELETE FROM access_keys WHERE owner_id = $1`, // temporary keys of GetSessionToken
		`DELETE FROM tags WHERE entity_id = $1`,
		`DELETE FROM iam_users WHERE id = $1`,
	} {
		if _, err := t.exec(q, u.ID); err != nil {
			return err
		}
	}
	t.changed(store.KindUser, store.OpDelete, u.Name)
	return nil
}

// refuseIfAny returns a DeleteConflictError with the message of the first
// check whose count for id is not zero.
func (t *sqlTx) refuseIfAny(id string, checks []struct{ query, msg string }) error {
	if err := t.mustWrite(); err != nil {
		return err
	}
	for _, c := range checks {
		n, err := t.count(c.query, id)
		if err != nil {
			return err
		}
		if n > 0 {
			return deleteConflict(c.msg)
		}
	}
	return nil
}
