package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/iamq/iamq/internal/store"
)

// accountTables are the tables that hold an account column, deleted with
// the account (policy_versions goes through its policies).
var accountTables = []string{
	"account_aliases", "iam_users", "iam_groups", "group_members", "iam_roles", "instance_profiles",
	"profile_roles", "attachments", "inline_policies", "tags", "access_keys", "slr_deletions",
	"mq_records",
	"identity_providers",
	"account_settings",
	"user_credentials", "server_certificates",
	"login_profiles", "password_policies", "mfa_devices",
	"policy_generations",
}

// validAccountID reports whether id is 12 digits.
func validAccountID(id string) bool {
	if len(id) != 12 {
		return false
	}
	for _, c := range id {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// loadAccount reads the transaction's account.
func (t *sqlTx) loadAccount(id string) (store.Account, error) {
	var a store.Account
	var created int64
	err := t.queryRow("account "+id, []any{&a.ID, &a.Name, &created, &a.AttachedPoliciesPerUser, &a.AttachedPoliciesPerRole},
		`SELECT id, name, created, quota_user, quota_role FROM accounts WHERE id = $1`, id)
	a.Created = fromNanos(created)
	return a, err
}

// CreateAccount creates an account.
func (s *Engine) CreateAccount(ctx context.Context, a store.Account) (store.Account, error) {
	if !validAccountID(a.ID) {
		return store.Account{}, fmt.Errorf("%w: account id %q is not 12 digits", store.ErrInvalid, a.ID)
	}
	if err := checkQuotas(a.AttachedPoliciesPerUser, a.AttachedPoliciesPerRole); err != nil {
		return store.Account{}, err
	}
	if a.Created.IsZero() {
		a.Created = s.now().UTC()
	}
	err := s.write(ctx, a.ID, func(t *sqlTx) error {
		t.acct.ID = a.ID
		if _, err := t.loadAccount(a.ID); err == nil {
			return fmt.Errorf("%w: account %s", store.ErrAlreadyExists, a.ID)
		}
		if _, err := t.exec(`INSERT INTO accounts (id, name, created, quota_user, quota_role) VALUES ($1, $2, $3, $4, $5)`,
			a.ID, a.Name, nanos(a.Created), a.AttachedPoliciesPerUser, a.AttachedPoliciesPerRole); err != nil {
			return err
		}
		t.changed(store.KindAccount, store.OpCreate, a.ID)
		return nil
	})
	return a, err
}

// checkQuotas validates attach quota settings.
func checkQuotas(perUser, perRole int) error {
	if perUser < 0 || perUser > store.MaxAttachQuota || perRole < 0 || perRole > store.MaxAttachQuota {
		return fmt.Errorf("%w: attach quotas are 0 (default) to %d", store.ErrInvalid, store.MaxAttachQuota)
	}
	return nil
}

// Account returns an account.
func (s *Engine) Account(ctx context.Context, id string) (store.Account, error) {
	var a store.Account
	err := s.View(ctx, id, func(tx store.Tx) error { a = tx.Account(); return nil })
	return a, err
}

// Accounts lists every account by id.
func (s *Engine) Accounts(ctx context.Context) ([]store.Account, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT id, name, created, quota_user, quota_role FROM accounts ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("store: accounts: %w", err)
	}
	defer rows.Close()
	var out []store.Account
	for rows.Next() {
		var a store.Account
		var created int64
		if err := rows.Scan(&a.ID, &a.Name, &created, &a.AttachedPoliciesPerUser, &a.AttachedPoliciesPerRole); err != nil {
			return nil, fmt.Errorf("store: accounts: %w", err)
		}
		a.Created = fromNanos(created)
		out = append(out, a)
	}
	return out, rows.Err()
}

// UpdateAccount replaces an account's name and quotas.
func (s *Engine) UpdateAccount(ctx context.Context, a store.Account) (store.Account, error) {
	if err := checkQuotas(a.AttachedPoliciesPerUser, a.AttachedPoliciesPerRole); err != nil {
		return store.Account{}, err
	}
	var out store.Account
	err := s.Update(ctx, a.ID, func(tx store.Tx) error {
		t := tx.(*sqlTx)
		if _, err := t.exec(`UPDATE accounts SET name = $2, quota_user = $3, quota_role = $4 WHERE id = $1`,
			a.ID, a.Name, a.AttachedPoliciesPerUser, a.AttachedPoliciesPerRole); err != nil {
			return err
		}
		t.changed(store.KindAccount, store.OpUpdate, a.ID)
		out = t.acct
		out.Name, out.AttachedPoliciesPerUser, out.AttachedPoliciesPerRole = a.Name, a.AttachedPoliciesPerUser, a.AttachedPoliciesPerRole
		return nil
	})
	return out, err
}

// SetAccountQuotas sets the account's attach quotas.
func (t *sqlTx) SetAccountQuotas(perUser, perRole int) error {
	if err := checkQuotas(perUser, perRole); err != nil {
		return err
	}
	if _, err := t.exec(`UPDATE accounts SET quota_user = $2, quota_role = $3 WHERE id = $1`, t.acct.ID, perUser, perRole); err != nil {
		return err
	}
	t.acct.AttachedPoliciesPerUser, t.acct.AttachedPoliciesPerRole = perUser, perRole
	t.changed(store.KindAccount, store.OpUpdate, t.acct.ID)
	return nil
}

// DeleteAccount deletes an account and everything in it.
func (s *Engine) DeleteAccount(ctx context.Context, id string) error {
	return s.Update(ctx, id, func(tx store.Tx) error {
		t := tx.(*sqlTx)
		if err := t.deleteAccountRows(id); err != nil {
			return err
		}
		t.changed(store.KindAll, store.OpDelete, id)
		return nil
	})
}

// deleteAccountRows deletes every row of account id.
func (t *sqlTx) deleteAccountRows(id string) error {
	if _, err := t.exec(`DELETE FROM policy_versions WHERE policy_id IN (SELECT id FROM policies WHERE account = $1)`, id); err != nil {
		return err
	}
	for _, table := range append(accountTables, "policies") {
		if _, err := t.exec(`DELETE FROM `+table+` WHERE account = $1`, id); err != nil {
			return err
		}
	}
	_, err := t.exec(`DELETE FROM accounts WHERE id = $1`, id)
	return err
}

// resetTables are the tables Reset empties besides accountTables: the
// decision log goes too (its records and sums name the accounts' entities).
var resetTables = []string{"policy_versions", "policies", "accounts", "audit_batches", "audit_access"}

// Reset deletes every account and the decision log.
func (s *Engine) Reset(ctx context.Context) error {
	return s.write(ctx, "", func(t *sqlTx) error {
		for _, table := range append(accountTables[:len(accountTables):len(accountTables)], resetTables...) {
			if _, err := t.exec(`DELETE FROM ` + table); err != nil {
				return err
			}
		}
		t.changed(store.KindAll, store.OpDelete, "")
		return nil
	})
}

// Summary counts the account's entities.
func (t *sqlTx) Summary() (store.Summary, error) {
	var s store.Summary
	a := t.acct.ID
	counts := []struct {
		dst   *int
		query string
	}{
		{&s.Users, `SELECT COUNT(*) FROM iam_users WHERE account = $1`},
		{&s.Groups, `SELECT COUNT(*) FROM iam_groups WHERE account = $1`},
		{&s.Roles, `SELECT COUNT(*) FROM iam_roles WHERE account = $1`},
		{&s.InstanceProfiles, `SELECT COUNT(*) FROM instance_profiles WHERE account = $1`},
		{&s.Policies, `SELECT COUNT(*) FROM policies WHERE account = $1`},
		{&s.PolicyVersionsInUse, `SELECT COUNT(*) FROM policy_versions v JOIN policies p ON p.id = v.policy_id WHERE p.account = $1`},
		{&s.AttachedPolicies, `SELECT COUNT(*) FROM attachments WHERE account = $1`},
		{&s.AccessKeysPresent, `SELECT COUNT(*) FROM access_keys WHERE account = $1 AND owner_kind = 'account' AND expires = 0`},
		{&s.AccountAliases, `SELECT COUNT(*) FROM account_aliases WHERE account = $1`},
		{&s.ServerCertificates, `SELECT COUNT(*) FROM server_certificates WHERE account = $1`},
		{&s.SigningCertificatesPresent, `SELECT COUNT(*) FROM user_credentials WHERE account = $1 AND kind = 'signing-cert' AND owner_kind = 'account'`},
		{&s.MFADevices, `SELECT COUNT(*) FROM mfa_devices WHERE account = $1`},
		{&s.MFADevicesInUse, `SELECT COUNT(*) FROM mfa_devices WHERE account = $1 AND owner_kind <> ''`},
		{&s.RootMFA, `SELECT COUNT(*) FROM mfa_devices WHERE account = $1 AND owner_kind = 'account'`},
	}
	for _, c := range counts {
		n, err := t.count(c.query, a)
		if err != nil {
			return store.Summary{}, err
		}
		*c.dst = n
	}
	return s, nil
}

// CreateAccountAlias sets the account's alias.
func (t *sqlTx) CreateAccountAlias(alias string) error {
	if err := t.mustWrite(); err != nil {
		return err
	}
	var owner string
	err := t.queryRow("alias", []any{&owner}, `SELECT account FROM account_aliases WHERE alias = $1`, alias)
	switch {
	case err == nil && owner == t.acct.ID:
		return nil // IAM: creating the alias the account already has succeeds
	case err == nil:
		return fmt.Errorf("%w: The account alias %s already exists.", store.ErrAlreadyExists, alias)
	case !errors.Is(err, store.ErrNotFound):
		return err
	}
	n, err := t.count(`SELECT COUNT(*) FROM account_aliases WHERE account = $1`, t.acct.ID)
	if err != nil {
		return err
	}
	if n >= 1 {
		return quotaError(store.QuotaAccountAliases, 1)
	}
	if _, err := t.exec(`INSERT INTO account_aliases (alias, account) VALUES ($1, $2)`, alias, t.acct.ID); err != nil {
		return err
	}
	t.changed(store.KindAccountAlias, store.OpCreate, alias)
	return nil
}

// AccountAliases lists the account's aliases (zero or one).
func (t *sqlTx) AccountAliases() ([]string, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT alias FROM account_aliases WHERE account = $1 ORDER BY alias`, t.acct.ID)
	if err != nil {
		return nil, fmt.Errorf("store: aliases: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			return nil, fmt.Errorf("store: aliases: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// DeleteAccountAlias removes the account's alias.
func (t *sqlTx) DeleteAccountAlias(alias string) error {
	r, err := t.exec(`DELETE FROM account_aliases WHERE alias = $1 AND account = $2`, alias, t.acct.ID)
	if err != nil {
		return err
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return fmt.Errorf("%w: the account alias %s cannot be found", store.ErrNotFound, alias)
	}
	t.changed(store.KindAccountAlias, store.OpDelete, alias)
	return nil
}

// RecordKeyUse records uses of access keys.
func (s *Engine) RecordKeyUse(ctx context.Context, uses []store.KeyUse) error {
	if len(uses) == 0 {
		return nil
	}
	return s.write(ctx, "", func(t *sqlTx) error {
		for _, u := range uses {
			// Only move forward: batches from several nodes may arrive out
			// of order.
			if _, err := t.exec(`UPDATE access_keys SET last_used = $2, last_service = $3, last_region = $4
				WHERE id = $1 AND last_used < $2`, u.AccessKeyID, nanos(u.Time), u.Service, u.Region); err != nil {
				return err
			}
		}
		return nil
	})
}

// DeleteExpiredKeys deletes temporary keys that expired before tm.
func (s *Engine) DeleteExpiredKeys(ctx context.Context, tm time.Time) (int, error) {
	var n int64
	err := s.write(ctx, "", func(t *sqlTx) error {
		r, err := t.exec(`DELETE FROM access_keys WHERE expires > 0 AND expires < $1`, nanos(tm))
		if err != nil {
			return err
		}
		n, err = r.RowsAffected()
		return err
	})
	return int(n), err
}
