package sqlstore

import (
	"database/sql"
	"fmt"

	"github.com/iamq/iamq/internal/store"
)

const roleColumns = `id, name, name_key, path, created, trust, description, max_session, boundary, service_linked, last_used, last_region`

// scanRole reads roleColumns.
func (t *sqlTx) scanRole(row interface{ Scan(...any) error }) (store.Role, []string, error) {
	var r store.Role
	var key string
	var created, lastUsed int64
	var linked int
	err := row.Scan(&r.ID, &r.Name, &key, &r.Path, &created, &r.AssumeRolePolicy, &r.Description,
		&r.MaxSessionDuration, &r.PermissionsBoundary, &linked, &lastUsed, &r.LastUsedRegion)
	r.AccountID, r.Created, r.LastUsed, r.ServiceLinked = t.acct.ID, fromNanos(created), fromNanos(lastUsed), linked != 0
	return r, []string{key}, err
}

// CreateRole creates a role.
func (t *sqlTx) CreateRole(r store.Role) (store.Role, error) {
	if err := t.mustWrite(); err != nil {
		return store.Role{}, err
	}
	if r.Name == "" {
		return store.Role{}, fmt.Errorf("%w: a role needs a name", store.ErrInvalid)
	}
	if err := t.admit("iam_roles", r.Name, "Role with name "+r.Name+" already exists.", store.QuotaRolesPerAccount, store.MaxRolesPerAccount); err != nil {
		return store.Role{}, err
	}
	t.defaults(&r.Path, &r.Created)
	if r.ID == "" {
		r.ID = store.NewID(store.PrefixRole)
	}
	r.AccountID = t.acct.ID
	if _, err := t.exec(`INSERT INTO iam_roles (account, `+roleColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
		t.acct.ID, r.ID, r.Name, nameKey(r.Name), r.Path, nanos(r.Created), r.AssumeRolePolicy, r.Description,
		r.MaxSessionDuration, r.PermissionsBoundary, boolInt(r.ServiceLinked), nanos(r.LastUsed), r.LastUsedRegion); err != nil {
		return store.Role{}, err
	}
	if err := t.moveBoundary("", r.PermissionsBoundary); err != nil {
		return store.Role{}, err
	}
	if err := t.insertTags(r.ID, store.KindRole, r.Tags); err != nil {
		return store.Role{}, err
	}
	t.changed(store.KindRole, store.OpCreate, r.Name)
	return r, nil
}

// Role returns a role by name, with its tags.
func (t *sqlTx) Role(name string) (store.Role, error) {
	return t.roleWhere("name_key", nameKey(name), "The role with name "+name+" cannot be found.")
}

// RoleByID returns a role by id, with its tags.
func (t *sqlTx) RoleByID(id string) (store.Role, error) {
	return t.roleWhere("id", id, "The role with id "+id+" cannot be found.")
}

func (t *sqlTx) roleWhere(column, value, notFound string) (store.Role, error) {
	row := t.tx.QueryRowContext(t.ctx, `SELECT `+roleColumns+` FROM iam_roles WHERE account = $1 AND `+column+` = $2`, t.acct.ID, value)
	r, _, err := t.scanRole(row)
	if err != nil {
		return store.Role{}, notFoundOr(err, notFound)
	}
	r.Tags, err = t.tagsOf(r.ID)
	return r, err
}

// Roles lists roles by name.
func (t *sqlTx) Roles(o store.ListOptions) (store.Page[store.Role], error) {
	return list(t, o, 1, `SELECT `+roleColumns+` FROM iam_roles WHERE account = $1 AND `+pathMatch(2)+
		` AND name_key > $3 ORDER BY name_key LIMIT $4`,
		[]any{t.acct.ID, o.PathPrefix}, func(rows *sql.Rows) (store.Role, []string, error) { return t.scanRole(rows) })
}

// UpdateRole replaces a role's mutable fields.
func (t *sqlTx) UpdateRole(name string, r store.Role) (store.Role, error) {
	old, err := t.Role(name)
	if err != nil {
		return store.Role{}, err
	}
	if _, err := t.exec(`UPDATE iam_roles SET trust = $3, description = $4, max_session = $5, boundary = $6,
		last_used = $7, last_region = $8 WHERE account = $1 AND id = $2`,
		t.acct.ID, old.ID, r.AssumeRolePolicy, r.Description, r.MaxSessionDuration, r.PermissionsBoundary,
		nanos(r.LastUsed), r.LastUsedRegion); err != nil {
		return store.Role{}, err
	}
	if err := t.moveBoundary(old.PermissionsBoundary, r.PermissionsBoundary); err != nil {
		return store.Role{}, err
	}
	old.AssumeRolePolicy, old.Description, old.MaxSessionDuration = r.AssumeRolePolicy, r.Description, r.MaxSessionDuration
	old.PermissionsBoundary, old.LastUsed, old.LastUsedRegion = r.PermissionsBoundary, r.LastUsed, r.LastUsedRegion
	t.changed(store.KindRole, store.OpUpdate, old.Name)
	return old, nil
}

// DeleteRole deletes a role that has no policies or instance profiles.
func (t *sqlTx) DeleteRole(name string) error {
	r, err := t.Role(name)
	if err != nil {
		return err
	}
	checks := []struct{ query, msg string }{
		{`SELECT COUNT(*) FROM profile_roles WHERE role_id = $1`, "Cannot delete entity, must remove roles from instance profile first."},
		{`SELECT COUNT(*) FROM attachments WHERE entity_id = $1`, "Cannot delete entity, must detach all policies first."},
		{`SELECT COUNT(*) FROM inline_policies WHERE entity_id = $1`, "Cannot delete entity, must delete policies first."},
	}
	if err := t.refuseIfAny(r.ID, checks); err != nil {
		return err
	}
	if err := t.moveBoundary(r.PermissionsBoundary, ""); err != nil {
		return err
	}
	for _, q := range []string{
		`DELETE FROM access_keys WHERE owner_id = $1`, // its sessions end with it
		`DELETE FROM tags WHERE entity_id = $1`,
		`DELETE FROM iam_roles WHERE id = $1`,
	} {
		if _, err := t.exec(q, r.ID); err != nil {
			return err
		}
	}
	t.changed(store.KindRole, store.OpDelete, r.Name)
	return nil
}

const profileColumns = `id, name, name_key, path, created`

// scanProfile reads profileColumns; roles are filled by the caller.
func (t *sqlTx) scanProfile(row interface{ Scan(...any) error }) (store.InstanceProfile, []string, error) {
	var p store.InstanceProfile
	var key string
	var created int64
	err := row.Scan(&p.ID, &p.Name, &key, &p.Path, &created)
	p.AccountID, p.Created = t.acct.ID, fromNanos(created)
	return p, []string{key}, err
}

// profileRoles fills the role names of each profile.
func (t *sqlTx) profileRoles(ps []store.InstanceProfile) error {
	for i := range ps {
		rows, err := t.tx.QueryContext(t.ctx, `SELECT r.name FROM profile_roles pr JOIN iam_roles r ON r.id = pr.role_id
			WHERE pr.profile_id = $1 ORDER BY r.name_key`, ps[i].ID)
		if err != nil {
			return fmt.Errorf("store: %w", err)
		}
		ps[i].Roles, err = scanStrings(rows)
		if err != nil {
			return err
		}
	}
	return nil
}

// scanStrings reads a one-column result and closes rows.
func scanStrings(rows *sql.Rows) ([]string, error) {
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// CreateInstanceProfile creates an instance profile.
func (t *sqlTx) CreateInstanceProfile(p store.InstanceProfile) (store.InstanceProfile, error) {
	if err := t.mustWrite(); err != nil {
		return store.InstanceProfile{}, err
	}
	if p.Name == "" {
		return store.InstanceProfile{}, fmt.Errorf("%w: an instance profile needs a name", store.ErrInvalid)
	}
	if err := t.admit("instance_profiles", p.Name, "Instance Profile "+p.Name+" already exists.",
		store.QuotaInstanceProfilesPerAccount, store.MaxInstanceProfilesPerAccount); err != nil {
		return store.InstanceProfile{}, err
	}
	t.defaults(&p.Path, &p.Created)
	if p.ID == "" {
		p.ID = store.NewID(store.PrefixInstanceProfile)
	}
	p.AccountID, p.Roles = t.acct.ID, nil
	if _, err := t.exec(`INSERT INTO instance_profiles (account, `+profileColumns+`) VALUES ($1, $2, $3, $4, $5, $6)`,
		t.acct.ID, p.ID, p.Name, nameKey(p.Name), p.Path, nanos(p.Created)); err != nil {
		return store.InstanceProfile{}, err
	}
	if err := t.insertTags(p.ID, store.KindInstanceProfile, p.Tags); err != nil {
		return store.InstanceProfile{}, err
	}
	t.changed(store.KindInstanceProfile, store.OpCreate, p.Name)
	return p, nil
}

// InstanceProfile returns an instance profile with its roles and tags.
func (t *sqlTx) InstanceProfile(name string) (store.InstanceProfile, error) {
	row := t.tx.QueryRowContext(t.ctx, `SELECT `+profileColumns+` FROM instance_profiles WHERE account = $1 AND name_key = $2`,
		t.acct.ID, nameKey(name))
	p, _, err := t.scanProfile(row)
	if err != nil {
		return store.InstanceProfile{}, notFoundOr(err, "Instance Profile "+name+" cannot be found.")
	}
	ps := []store.InstanceProfile{p}
	if err := t.profileRoles(ps); err != nil {
		return store.InstanceProfile{}, err
	}
	ps[0].Tags, err = t.tagsOf(p.ID)
	return ps[0], err
}

// InstanceProfiles lists instance profiles by name, with their roles.
func (t *sqlTx) InstanceProfiles(o store.ListOptions) (store.Page[store.InstanceProfile], error) {
	page, err := list(t, o, 1, `SELECT `+profileColumns+` FROM instance_profiles WHERE account = $1 AND `+pathMatch(2)+
		` AND name_key > $3 ORDER BY name_key LIMIT $4`,
		[]any{t.acct.ID, o.PathPrefix}, func(r *sql.Rows) (store.InstanceProfile, []string, error) { return t.scanProfile(r) })
	if err == nil {
		err = t.profileRoles(page.Items)
	}
	return page, err
}

// DeleteInstanceProfile deletes a profile that holds no role.
func (t *sqlTx) DeleteInstanceProfile(name string) error {
	p, err := t.InstanceProfile(name)
	if err != nil {
		return err
	}
	checks := []struct{ query, msg string }{
		{`SELECT COUNT(*) FROM profile_roles WHERE profile_id = $1`, "Cannot delete entity, must remove roles from instance profile first."},
	}
	if err := t.refuseIfAny(p.ID, checks); err != nil {
		return err
	}
	for _, q := range []string{`DELETE FROM tags WHERE entity_id = $1`, `DELETE FROM instance_profiles WHERE id = $1`} {
		if _, err := t.exec(q, p.ID); err != nil {
			return err
		}
	}
	t.changed(store.KindInstanceProfile, store.OpDelete, p.Name)
	return nil
}

// AddRoleToInstanceProfile adds a role to a profile that has none.
func (t *sqlTx) AddRoleToInstanceProfile(profile, role string) error {
	p, err := t.InstanceProfile(profile)
	if err != nil {
		return err
	}
	r, err := t.Role(role)
	if err != nil {
		return err
	}
	if err := t.mustWrite(); err != nil {
		return err
	}
	for _, name := range p.Roles {
		if nameKey(name) == nameKey(r.Name) {
			return fmt.Errorf("%w: Role %s is already in instance profile %s.", store.ErrAlreadyExists, r.Name, p.Name)
		}
	}
	if len(p.Roles) >= store.MaxRolesPerInstanceProfile {
		return quotaError(store.QuotaRolesPerInstanceProfile, store.MaxRolesPerInstanceProfile)
	}
	if _, err := t.exec(`INSERT INTO profile_roles (account, profile_id, role_id) VALUES ($1, $2, $3)`, t.acct.ID, p.ID, r.ID); err != nil {
		return err
	}
	t.changed(store.KindInstanceProfile, store.OpUpdate, p.Name)
	return nil
}

// RemoveRoleFromInstanceProfile removes a role from a profile.
func (t *sqlTx) RemoveRoleFromInstanceProfile(profile, role string) error {
	p, err := t.InstanceProfile(profile)
	if err != nil {
		return err
	}
	r, err := t.Role(role)
	if err != nil {
		return err
	}
	res, err := t.exec(`DELETE FROM profile_roles WHERE profile_id = $1 AND role_id = $2`, p.ID, r.ID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%w: Role %s is not in instance profile %s.", store.ErrNotFound, r.Name, p.Name)
	}
	t.changed(store.KindInstanceProfile, store.OpUpdate, p.Name)
	return nil
}

// InstanceProfilesForRole lists the profiles that hold a role.
func (t *sqlTx) InstanceProfilesForRole(role string, o store.ListOptions) (store.Page[store.InstanceProfile], error) {
	r, err := t.Role(role)
	if err != nil {
		return store.Page[store.InstanceProfile]{}, err
	}
	page, err := list(t, o, 1, `SELECT p.id, p.name, p.name_key, p.path, p.created FROM profile_roles pr
		JOIN instance_profiles p ON p.id = pr.profile_id WHERE pr.role_id = $1
		AND substr(p.path, 1, length(CAST($2 AS TEXT))) = CAST($2 AS TEXT) AND p.name_key > $3 ORDER BY p.name_key LIMIT $4`,
		[]any{r.ID, o.PathPrefix}, func(rows *sql.Rows) (store.InstanceProfile, []string, error) { return t.scanProfile(rows) })
	if err == nil {
		err = t.profileRoles(page.Items)
	}
	return page, err
}
