package sqlstore

import (
	"database/sql"
	"fmt"

	"github.com/iamq/iamq/internal/store"
)

// entityTables maps the kinds that hold policies (and tags) to their tables.
var entityTables = map[store.Kind]string{
	store.KindUser:              "iam_users",
	store.KindGroup:             "iam_groups",
	store.KindRole:              "iam_roles",
	store.KindPolicy:            "policies",
	store.KindInstanceProfile:   "instance_profiles",
	store.KindServerCertificate: "server_certificates",
}

// entity resolves a reference to the entity's id and stored name.
func (t *sqlTx) entity(ref store.EntityRef, kinds ...store.Kind) (id, name string, err error) {
	table, ok := entityTables[ref.Kind]
	allowed := false
	for _, k := range kinds {
		allowed = allowed || k == ref.Kind
	}
	if !ok || !allowed {
		return "", "", fmt.Errorf("%w: %q here", store.ErrInvalid, ref.Kind)
	}
	msg := fmt.Sprintf("The %s with name %s cannot be found.", ref.Kind, ref.Name)
	err = t.queryRow(msg, []any{&id, &name}, `SELECT id, name FROM `+table+` WHERE account = $1 AND name_key = $2`,
		t.acct.ID, nameKey(ref.Name))
	return id, name, err
}

// attachQuota returns the attach quota for an entity kind.
func (t *sqlTx) attachQuota(k store.Kind) (store.Quota, int) {
	switch k {
	case store.KindUser:
		return store.QuotaPoliciesPerUser, orDefault(t.acct.AttachedPoliciesPerUser, store.DefaultAttachQuota)
	case store.KindRole:
		return store.QuotaPoliciesPerRole, orDefault(t.acct.AttachedPoliciesPerRole, store.DefaultAttachQuota)
	}
	return store.QuotaPoliciesPerGroup, store.DefaultAttachQuota
}

func orDefault(n, def int) int {
	if n == 0 {
		return def
	}
	return n
}

// AttachPolicy attaches a managed policy by ARN, within the quota.
func (t *sqlTx) AttachPolicy(to store.EntityRef, arn string) error {
	if err := t.mustWrite(); err != nil {
		return err
	}
	if arn == "" {
		return fmt.Errorf("%w: a policy ARN is required", store.ErrInvalid)
	}
	id, name, err := t.entity(to, store.KindUser, store.KindGroup, store.KindRole)
	if err != nil {
		return err
	}
	n, err := t.count(`SELECT COUNT(*) FROM attachments WHERE entity_id = $1 AND arn = $2`, id, arn)
	if err != nil || n > 0 {
		return err // attached already: IAM succeeds and changes nothing
	}
	quota, limit := t.attachQuota(to.Kind)
	if n, err = t.count(`SELECT COUNT(*) FROM attachments WHERE entity_id = $1`, id); err != nil {
		return err
	}
	if n >= limit {
		return quotaError(quota, limit)
	}
	if _, err := t.exec(`INSERT INTO attachments (account, entity_kind, entity_id, arn, policy_key, policy_path)
		VALUES ($1, $2, $3, $4, $5, $6)`, t.acct.ID, string(to.Kind), id, arn, nameKey(policyName(arn)), policyPath(arn)); err != nil {
		return err
	}
	if err := t.bumpPolicy(attachCount, arn, 1); err != nil {
		return err
	}
	t.changed(to.Kind, store.OpUpdate, name)
	return nil
}

// DetachPolicy detaches a managed policy.
func (t *sqlTx) DetachPolicy(from store.EntityRef, arn string) error {
	id, name, err := t.entity(from, store.KindUser, store.KindGroup, store.KindRole)
	if err != nil {
		return err
	}
	r, err := t.exec(`DELETE FROM attachments WHERE entity_id = $1 AND arn = $2`, id, arn)
	if err != nil {
		return err
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return fmt.Errorf("%w: Policy %s was not found.", store.ErrNotFound, arn)
	}
	if err := t.bumpPolicy(attachCount, arn, -1); err != nil {
		return err
	}
	t.changed(from.Kind, store.OpUpdate, name)
	return nil
}

// AttachedPolicies lists an entity's managed policies by policy name.
func (t *sqlTx) AttachedPolicies(of store.EntityRef, o store.ListOptions) (store.Page[store.AttachedPolicy], error) {
	id, _, err := t.entity(of, store.KindUser, store.KindGroup, store.KindRole)
	if err != nil {
		return store.Page[store.AttachedPolicy]{}, err
	}
	return list(t, o, 2, `SELECT arn, policy_key FROM attachments WHERE entity_id = $1
		AND substr(policy_path, 1, length(CAST($2 AS TEXT))) = CAST($2 AS TEXT)
		AND (policy_key, arn) > ($3, $4) ORDER BY policy_key, arn LIMIT $5`,
		[]any{id, o.PathPrefix}, func(r *sql.Rows) (store.AttachedPolicy, []string, error) {
			var p store.AttachedPolicy
			var key string
			err := r.Scan(&p.ARN, &key)
			p.Name = policyName(p.ARN)
			return p, []string{key, p.ARN}, err
		})
}

// EntitiesForPolicy lists what a policy is attached to, by kind and name.
func (t *sqlTx) EntitiesForPolicy(arn string, kind store.Kind, o store.ListOptions) (store.Page[store.EntityRef], error) {
	if kind != "" && kind != store.KindUser && kind != store.KindGroup && kind != store.KindRole {
		return store.Page[store.EntityRef]{}, fmt.Errorf("%w: %s cannot hold managed policies", store.ErrInvalid, kind)
	}
	return list(t, o, 2, `SELECT kind, name, name_key FROM (
			SELECT 'group' AS kind, g.name, g.name_key, g.path FROM attachments a JOIN iam_groups g ON g.id = a.entity_id
				WHERE a.account = $1 AND a.arn = $2
			UNION ALL SELECT 'role', r.name, r.name_key, r.path FROM attachments a JOIN iam_roles r ON r.id = a.entity_id
				WHERE a.account = $1 AND a.arn = $2
			UNION ALL SELECT 'user', u.name, u.name_key, u.path FROM attachments a JOIN iam_users u ON u.id = a.entity_id
				WHERE a.account = $1 AND a.arn = $2) e
		WHERE (CAST($3 AS TEXT) = '' OR kind = CAST($3 AS TEXT)) AND substr(path, 1, length(CAST($4 AS TEXT))) = CAST($4 AS TEXT)
		AND (kind, name_key) > ($5, $6) ORDER BY kind, name_key LIMIT $7`,
		[]any{t.acct.ID, arn, string(kind), o.PathPrefix}, scanEntityRef)
}

// EntitiesWithBoundary lists the users and roles bounded by a policy.
func (t *sqlTx) EntitiesWithBoundary(arn string, o store.ListOptions) (store.Page[store.EntityRef], error) {
	return list(t, o, 2, `SELECT kind, name, name_key FROM (
			SELECT 'role' AS kind, name, name_key, path FROM iam_roles WHERE account = $1 AND boundary = $2
			UNION ALL SELECT 'user', name, name_key, path FROM iam_users WHERE account = $1 AND boundary = $2) e
		WHERE substr(path, 1, length(CAST($3 AS TEXT))) = CAST($3 AS TEXT)
		AND (kind, name_key) > ($4, $5) ORDER BY kind, name_key LIMIT $6`,
		[]any{t.acct.ID, arn, o.PathPrefix}, scanEntityRef)
}

// scanEntityRef reads kind, name and name_key.
func scanEntityRef(r *sql.Rows) (store.EntityRef, []string, error) {
	var e store.EntityRef
	var k, key string
	err := r.Scan(&k, &e.Name, &key)
	e.Kind = store.Kind(k)
	return e, []string{k, key}, err
}

// AttachmentCounts counts the attachments of each policy ARN in the account.
func (t *sqlTx) AttachmentCounts() (map[string]int, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT arn, COUNT(*) FROM attachments WHERE account = $1 GROUP BY arn`, t.acct.ID)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var arn string
		var n int
		if err := rows.Scan(&arn, &n); err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		out[arn] = n
	}
	return out, rows.Err()
}

// inlineQuota returns the aggregate inline size quota of a kind.
func inlineQuota(k store.Kind) (store.Quota, int) {
	switch k {
	case store.KindUser:
		return store.QuotaUserPolicySize, store.MaxUserInlineSize
	case store.KindRole:
		return store.QuotaRolePolicySize, store.MaxRoleInlineSize
	}
	return store.QuotaGroupPolicySize, store.MaxGroupInlineSize
}

// PutInlinePolicy creates or replaces an inline policy within the quota.
func (t *sqlTx) PutInlinePolicy(of store.EntityRef, p store.InlinePolicy) error {
	if err := t.mustWrite(); err != nil {
		return err
	}
	if p.Name == "" || p.Document == "" || p.Size < 0 {
		return fmt.Errorf("%w: an inline policy needs a name, a document and a size", store.ErrInvalid)
	}
	id, name, err := t.entity(of, store.KindUser, store.KindGroup, store.KindRole)
	if err != nil {
		return err
	}
	others, err := t.count(`SELECT COALESCE(SUM(size), 0) FROM inline_policies WHERE entity_id = $1 AND name_key <> $2`,
		id, nameKey(p.Name))
	if err != nil {
		return err
	}
	if quota, limit := inlineQuota(of.Kind); others+p.Size > limit {
		return inlineSizeError(quota, limit, of.Kind, name)
	}
	if _, err := t.exec(`DELETE FROM inline_policies WHERE entity_id = $1 AND name_key = $2`, id, nameKey(p.Name)); err != nil {
		return err
	}
	if _, err := t.exec(`INSERT INTO inline_policies (account, entity_id, name, name_key, document, size) VALUES ($1, $2, $3, $4, $5, $6)`,
		t.acct.ID, id, p.Name, nameKey(p.Name), p.Document, p.Size); err != nil {
		return err
	}
	t.changed(of.Kind, store.OpUpdate, name)
	return nil
}

// InlinePolicy returns an inline policy.
func (t *sqlTx) InlinePolicy(of store.EntityRef, name string) (store.InlinePolicy, error) {
	id, _, err := t.entity(of, store.KindUser, store.KindGroup, store.KindRole)
	if err != nil {
		return store.InlinePolicy{}, err
	}
	var p store.InlinePolicy
	err = t.queryRow(fmt.Sprintf("The %s policy with name %s cannot be found.", of.Kind, name), []any{&p.Name, &p.Document, &p.Size},
		`SELECT name, document, size FROM inline_policies WHERE entity_id = $1 AND name_key = $2`, id, nameKey(name))
	return p, err
}

// InlinePolicies lists an entity's inline policies by name.
func (t *sqlTx) InlinePolicies(of store.EntityRef, o store.ListOptions) (store.Page[store.InlinePolicy], error) {
	id, _, err := t.entity(of, store.KindUser, store.KindGroup, store.KindRole)
	if err != nil {
		return store.Page[store.InlinePolicy]{}, err
	}
	return list(t, o, 1, `SELECT name, name_key, document, size FROM inline_policies WHERE entity_id = $1
		AND name_key > $2 ORDER BY name_key LIMIT $3`,
		[]any{id}, func(r *sql.Rows) (store.InlinePolicy, []string, error) {
			var p store.InlinePolicy
			var key string
			err := r.Scan(&p.Name, &key, &p.Document, &p.Size)
			return p, []string{key}, err
		})
}

// DeleteInlinePolicy deletes an inline policy.
func (t *sqlTx) DeleteInlinePolicy(of store.EntityRef, name string) error {
	id, owner, err := t.entity(of, store.KindUser, store.KindGroup, store.KindRole)
	if err != nil {
		return err
	}
	r, err := t.exec(`DELETE FROM inline_policies WHERE entity_id = $1 AND name_key = $2`, id, nameKey(name))
	if err != nil {
		return err
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return fmt.Errorf("%w: The %s policy with name %s cannot be found.", store.ErrNotFound, of.Kind, name)
	}
	t.changed(of.Kind, store.OpUpdate, owner)
	return nil
}
