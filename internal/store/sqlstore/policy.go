package sqlstore

import (
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/internal/store"
)

// policyName returns the name that ends a policy ARN.
func policyName(policyARN string) string { return arn.FriendlyName(policyARN) }

// policyPath returns the path of a policy ARN: what lies between "policy"
// and the name ("/" when the ARN has no such form).
func policyPath(policyARN string) string {
	a, _ := arn.Split(policyARN)
	if r := arn.SplitIAMResource(a.Resource); r.Type == arn.TypePolicy && r.Path != "" {
		return r.Path
	}
	return "/"
}

// policyColumns selects a policy with its live counts (table alias p).
const policyColumns = `p.id, p.name, p.name_key, p.path, p.description, p.default_version, p.created, p.updated,
	p.attach_count, p.boundary_count`

// Columns of the counts that policy rows keep.
const (
	attachCount   = "attach_count"
	boundaryCount = "boundary_count"
)

// bumpPolicy adds delta to a count of the account's customer managed policy
// with that ARN; an ARN of no such policy (an AWS managed policy, or "")
// changes nothing.
func (t *sqlTx) bumpPolicy(column, arn string, delta int) error {
	if arn == "" {
		return nil
	}
	_, err := t.exec(`UPDATE policies SET `+column+` = `+column+` + $3 WHERE account = $1 AND arn = $2`, t.acct.ID, arn, delta)
	return err
}

// moveBoundary moves a user's or role's boundary use from one ARN to another.
func (t *sqlTx) moveBoundary(from, to string) error {
	if from == to {
		return nil
	}
	if err := t.bumpPolicy(boundaryCount, from, -1); err != nil {
		return err
	}
	return t.bumpPolicy(boundaryCount, to, 1)
}

// scanPolicy reads policyColumns.
func (t *sqlTx) scanPolicy(row interface{ Scan(...any) error }) (store.Policy, []string, error) {
	var p store.Policy
	var key string
	var created, updated int64
	err := row.Scan(&p.ID, &p.Name, &key, &p.Path, &p.Description, &p.DefaultVersionID, &created, &updated,
		&p.AttachmentCount, &p.BoundaryUsageCount)
	p.AccountID, p.Created, p.Updated = t.acct.ID, fromNanos(created), fromNanos(updated)
	return p, []string{key}, err
}

// versionID and versionNum convert between "v3" and 3.
func versionID(n int) string { return "v" + strconv.Itoa(n) }

func versionNum(id string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimPrefix(id, "v"))
	return n, err == nil && strings.HasPrefix(id, "v") && n > 0
}

// CreatePolicy creates a customer managed policy with its first version.
func (t *sqlTx) CreatePolicy(p store.Policy, document string) (store.Policy, error) {
	if err := t.mustWrite(); err != nil {
		return store.Policy{}, err
	}
	if p.Name == "" || document == "" {
		return store.Policy{}, fmt.Errorf("%w: a policy needs a name and a document", store.ErrInvalid)
	}
	if err := t.admit("policies", p.Name, "A policy called "+p.Name+" already exists. Duplicate names are not allowed.",
		store.QuotaPoliciesPerAccount, store.MaxPoliciesPerAccount); err != nil {
		return store.Policy{}, err
	}
	t.defaults(&p.Path, &p.Created)
	if p.ID == "" {
		p.ID = store.NewID(store.PrefixPolicy)
	}
	p.AccountID, p.DefaultVersionID, p.Updated = t.acct.ID, versionID(1), p.Created
	arn := store.PolicyARN(t.acct.ID, p.Path, p.Name)
	// The store does not check that an attached ARN names a policy, so
	// references may exist already: the counts start from them.
	var err error
	if p.AttachmentCount, err = t.count(`SELECT COUNT(*) FROM attachments WHERE account = $1 AND arn = $2`, t.acct.ID, arn); err != nil {
		return store.Policy{}, err
	}
	if p.BoundaryUsageCount, err = t.count(`SELECT (SELECT COUNT(*) FROM iam_users WHERE account = $1 AND boundary = $2) +
		(SELECT COUNT(*) FROM iam_roles WHERE account = $1 AND boundary = $2)`, t.acct.ID, arn); err != nil {
		return store.Policy{}, err
	}
	if _, err := t.exec(`INSERT INTO policies (account, id, name, name_key, path, arn, description, default_version,
		next_version, created, updated, attach_count, boundary_count) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
		t.acct.ID, p.ID, p.Name, nameKey(p.Name), p.Path, arn, p.Description,
		p.DefaultVersionID, 2, nanos(p.Created), nanos(p.Updated), p.AttachmentCount, p.BoundaryUsageCount); err != nil {
		return store.Policy{}, err
	}
	if _, err := t.exec(`INSERT INTO policy_versions (policy_id, num, document, created) VALUES ($1, 1, $2, $3)`,
		p.ID, document, nanos(p.Created)); err != nil {
		return store.Policy{}, err
	}
	if err := t.insertTags(p.ID, store.KindPolicy, p.Tags); err != nil {
		return store.Policy{}, err
	}
	t.changed(store.KindPolicy, store.OpCreate, p.Name)
	return p, nil
}

// Policy returns a customer managed policy by name, with counts and tags.
func (t *sqlTx) Policy(name string) (store.Policy, error) {
	row := t.tx.QueryRowContext(t.ctx, `SELECT `+policyColumns+` FROM policies p WHERE p.account = $1 AND p.name_key = $2`,
		t.acct.ID, nameKey(name))
	p, _, err := t.scanPolicy(row)
	if err != nil {
		return store.Policy{}, notFoundOr(err, "Policy "+name+" was not found.")
	}
	p.Tags, err = t.tagsOf(p.ID)
	return p, err
}

// Policies lists customer managed policies by name.
func (t *sqlTx) Policies(o store.PolicyListOptions) (store.Page[store.Policy], error) {
	var filter string
	switch o.Usage {
	case store.UsageAny:
	case store.UsageAttached:
		filter = ` AND p.attach_count > 0`
	case store.UsageBoundary:
		filter = ` AND p.boundary_count > 0`
	default:
		return store.Page[store.Policy]{}, fmt.Errorf("%w: policy usage %q", store.ErrInvalid, o.Usage)
	}
	return list(t, o.ListOptions, 1, `SELECT `+policyColumns+` FROM policies p WHERE p.account = $1
		AND substr(p.path, 1, length(CAST($2 AS TEXT))) = CAST($2 AS TEXT)`+filter+
		` AND p.name_key > $3 ORDER BY p.name_key LIMIT $4`,
		[]any{t.acct.ID, o.PathPrefix}, func(r *sql.Rows) (store.Policy, []string, error) { return t.scanPolicy(r) })
}

// DeletePolicy deletes an unused policy that has only its default version.
func (t *sqlTx) DeletePolicy(name string) error {
	p, err := t.Policy(name)
	if err != nil {
		return err
	}
	if p.AttachmentCount > 0 || p.BoundaryUsageCount > 0 {
		return deleteConflict("Cannot delete a policy attached to entities.")
	}
	checks := []struct{ query, msg string }{
		{`SELECT COUNT(*) - 1 FROM policy_versions WHERE policy_id = $1`, "This policy has more than one version. " +
			"Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy."},
	}
	if err := t.refuseIfAny(p.ID, checks); err != nil {
		return err
	}
	for _, q := range []string{
		`DELETE FROM policy_versions WHERE policy_id = $1`,
		`DELETE FROM tags WHERE entity_id = $1`,
		`DELETE FROM policies WHERE id = $1`,
	} {
		if _, err := t.exec(q, p.ID); err != nil {
			return err
		}
	}
	t.changed(store.KindPolicy, store.OpDelete, p.Name)
	return nil
}

// policyIDs returns a policy's id and ARN.
func (t *sqlTx) policyRef(name string) (id, arn, defaultVersion string, err error) {
	err = t.queryRow("Policy "+name+" was not found.", []any{&id, &arn, &defaultVersion},
		`SELECT id, arn, default_version FROM policies WHERE account = $1 AND name_key = $2`, t.acct.ID, nameKey(name))
	return id, arn, defaultVersion, err
}

// CreatePolicyVersion adds a version, within the version quota.
func (t *sqlTx) CreatePolicyVersion(policy, document string, setDefault bool) (store.PolicyVersion, error) {
	if err := t.mustWrite(); err != nil {
		return store.PolicyVersion{}, err
	}
	id, _, _, err := t.policyRef(policy)
	if err != nil {
		return store.PolicyVersion{}, err
	}
	n, err := t.count(`SELECT COUNT(*) FROM policy_versions WHERE policy_id = $1`, id)
	if err != nil {
		return store.PolicyVersion{}, err
	}
	if n >= store.MaxPolicyVersions {
		return store.PolicyVersion{}, versionsError(store.MaxPolicyVersions)
	}
	var num int
	if err := t.queryRow("policy", []any{&num}, `SELECT next_version FROM policies WHERE id = $1`, id); err != nil {
		return store.PolicyVersion{}, err
	}
	v := store.PolicyVersion{ID: versionID(num), Document: document, IsDefault: setDefault, Created: t.s.now().UTC()}
	if _, err := t.exec(`INSERT INTO policy_versions (policy_id, num, document, created) VALUES ($1, $2, $3, $4)`,
		id, num, document, nanos(v.Created)); err != nil {
		return store.PolicyVersion{}, err
	}
	q := `UPDATE policies SET next_version = $2, updated = $3 WHERE id = $1`
	if setDefault {
		q = `UPDATE policies SET next_version = $2, updated = $3, default_version = $4 WHERE id = $1`
	}
	args := []any{id, num + 1, nanos(v.Created)}
	if setDefault {
		args = append(args, v.ID)
	}
	if _, err := t.exec(q, args...); err != nil {
		return store.PolicyVersion{}, err
	}
	t.changed(store.KindPolicy, store.OpUpdate, policy)
	return v, nil
}

// PolicyVersion returns one version of a policy.
func (t *sqlTx) PolicyVersion(policy, versionID string) (store.PolicyVersion, error) {
	id, arn, def, err := t.policyRef(policy)
	if err != nil {
		return store.PolicyVersion{}, err
	}
	notFound := "Policy " + arn + " version " + versionID + " does not exist or is not attachable."
	num, ok := versionNum(versionID)
	if !ok {
		return store.PolicyVersion{}, fmt.Errorf("%w: %s", store.ErrNotFound, notFound)
	}
	v := store.PolicyVersion{ID: versionID, IsDefault: versionID == def}
	var created int64
	if err := t.queryRow(notFound, []any{&v.Document, &created},
		`SELECT document, created FROM policy_versions WHERE policy_id = $1 AND num = $2`, id, num); err != nil {
		return store.PolicyVersion{}, err
	}
	v.Created = fromNanos(created)
	return v, nil
}

// PolicyVersions lists a policy's versions, newest first.
func (t *sqlTx) PolicyVersions(policy string) ([]store.PolicyVersion, error) {
	id, _, def, err := t.policyRef(policy)
	if err != nil {
		return nil, err
	}
	rows, err := t.tx.QueryContext(t.ctx, `SELECT num, document, created FROM policy_versions WHERE policy_id = $1 ORDER BY num DESC`, id)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	defer rows.Close()
	var out []store.PolicyVersion
	for rows.Next() {
		var num int
		var created int64
		var v store.PolicyVersion
		if err := rows.Scan(&num, &v.Document, &created); err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		v.ID, v.Created = versionID(num), fromNanos(created)
		v.IsDefault = v.ID == def
		out = append(out, v)
	}
	return out, rows.Err()
}

// DeletePolicyVersion deletes a version that is not the default.
func (t *sqlTx) DeletePolicyVersion(policy, versionID string) error {
	v, err := t.PolicyVersion(policy, versionID)
	if err != nil {
		return err
	}
	if err := t.mustWrite(); err != nil {
		return err
	}
	if v.IsDefault {
		return deleteConflict("Cannot delete the default version of a policy.")
	}
	id, _, _, err := t.policyRef(policy)
	if err != nil {
		return err
	}
	num, _ := versionNum(versionID)
	if _, err := t.exec(`DELETE FROM policy_versions WHERE policy_id = $1 AND num = $2`, id, num); err != nil {
		return err
	}
	t.changed(store.KindPolicy, store.OpUpdate, policy)
	return nil
}

// SetDefaultPolicyVersion makes an existing version the default.
func (t *sqlTx) SetDefaultPolicyVersion(policy, versionID string) error {
	if _, err := t.PolicyVersion(policy, versionID); err != nil {
		return err
	}
	if _, err := t.exec(`UPDATE policies SET default_version = $3, updated = $4 WHERE account = $1 AND name_key = $2`,
		t.acct.ID, nameKey(policy), versionID, nanos(t.s.now().UTC())); err != nil {
		return err
	}
	t.changed(store.KindPolicy, store.OpUpdate, policy)
	return nil
}
