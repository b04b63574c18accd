package sqlstore

import (
	"fmt"
	"strings"

	"github.com/iamq/iamq/internal/store"
)

// PutLoginProfile creates or replaces a user's login profile.
func (t *sqlTx) PutLoginProfile(p store.LoginProfile, create bool) (store.LoginProfile, error) {
	if err := t.mustWrite(); err != nil {
		return store.LoginProfile{}, err
	}
	if p.Hash == "" || len(p.History) > store.MaxPasswordHistory {
		return store.LoginProfile{}, fmt.Errorf("%w: a login profile needs a hash and at most %d earlier ones", store.ErrInvalid, store.MaxPasswordHistory)
	}
	for _, h := range p.History {
		if h == "" || strings.Contains(h, "\n") {
			return store.LoginProfile{}, fmt.Errorf("%w: an earlier password hash is empty or holds a line break", store.ErrInvalid)
		}
	}
	id, name, err := t.entity(store.EntityRef{Kind: store.KindUser, Name: p.User}, store.KindUser)
	if err != nil {
		return store.LoginProfile{}, err
	}
	n, err := t.count(`SELECT COUNT(*) FROM login_profiles WHERE user_id = $1`, id)
	if err != nil {
		return store.LoginProfile{}, err
	}
	switch {
	case create && n > 0:
		return store.LoginProfile{}, fmt.Errorf("%w: Login Profile for user %s already exists.", store.ErrAlreadyExists, name)
	case !create && n == 0:
		return store.LoginProfile{}, fmt.Errorf("%w: Login Profile for User %s cannot be found.", store.ErrNotFound, name)
	}
	now := t.s.now().UTC()
	if p.Created.IsZero() {
		p.Created = now
	}
	if p.PasswordLastChanged.IsZero() {
		p.PasswordLastChanged = now
	}
	p.User = name
	if _, err := t.exec(`DELETE FROM login_profiles WHERE user_id = $1`, id); err != nil {
		return store.LoginProfile{}, err
	}
	if _, err := t.exec(`INSERT INTO login_profiles (user_id, account, hash, history, created, password_last_changed, reset_required)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, id, t.acct.ID, p.Hash, strings.Join(p.History, "\n"),
		nanos(p.Created), nanos(p.PasswordLastChanged), boolInt(p.ResetRequired)); err != nil {
		return store.LoginProfile{}, err
	}
	op := store.OpUpdate
	if create {
		op = store.OpCreate
	}
	t.changed(store.KindLoginProfile, op, name)
	return p, nil
}

// LoginProfile returns a user's login profile.
func (t *sqlTx) LoginProfile(user string) (store.LoginProfile, error) {
	id, name, err := t.entity(store.EntityRef{Kind: store.KindUser, Name: user}, store.KindUser)
	if err != nil {
		return store.LoginProfile{}, err
	}
	p := store.LoginProfile{User: name}
	var history string
	var created, changed int64
	var reset int
	if err := t.queryRow("Login Profile for User "+name+" cannot be found.", []any{&p.Hash, &history, &created, &changed, &reset},
		`SELECT hash, history, created, password_last_changed, reset_required FROM login_profiles WHERE user_id = $1`, id); err != nil {
		return store.LoginProfile{}, err
	}
	if history != "" {
		p.History = strings.Split(history, "\n")
	}
	p.Created, p.PasswordLastChanged, p.ResetRequired = fromNanos(created), fromNanos(changed), reset != 0
	return p, nil
}

// DeleteLoginProfile deletes a user's login profile.
func (t *sqlTx) DeleteLoginProfile(user string) error {
	id, name, err := t.entity(store.EntityRef{Kind: store.KindUser, Name: user}, store.KindUser)
	if err != nil {
		return err
	}
	r, err := t.exec(`DELETE FROM login_profiles WHERE user_id = $1`, id)
	if err != nil {
		return err
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return fmt.Errorf("%w: Login Profile for User %s cannot be found.", store.ErrNotFound, name)
	}
	t.changed(store.KindLoginProfile, store.OpDelete, name)
	return nil
}

const passwordPolicyColumns = `min_length, symbols, numbers, uppercase, lowercase, allow_change, max_age, reuse, hard_expiry`

// PasswordPolicy returns the account's password policy.
func (t *sqlTx) PasswordPolicy() (store.PasswordPolicy, error) {
	var p store.PasswordPolicy
	var sym, num, up, low, allow, hard int
	err := t.queryRow("The Password Policy with domain name "+t.acct.ID+" cannot be found.",
		[]any{&p.MinimumPasswordLength, &sym, &num, &up, &low, &allow, &p.MaxPasswordAge, &p.PasswordReusePrevention, &hard},
		`SELECT `+passwordPolicyColumns+` FROM password_policies WHERE account = $1`, t.acct.ID)
	p.RequireSymbols, p.RequireNumbers, p.RequireUppercaseCharacters = sym != 0, num != 0, up != 0
	p.RequireLowercaseCharacters, p.AllowUsersToChangePassword, p.HardExpiry = low != 0, allow != 0, hard != 0
	return p, err
}

// PutPasswordPolicy sets the account's password policy.
func (t *sqlTx) PutPasswordPolicy(p store.PasswordPolicy) error {
	if _, err := t.exec(`DELETE FROM password_policies WHERE account = $1`, t.acct.ID); err != nil {
		return err
	}
	if _, err := t.exec(`INSERT INTO password_policies (account, `+passwordPolicyColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		t.acct.ID, p.MinimumPasswordLength, boolInt(p.RequireSymbols), boolInt(p.RequireNumbers), boolInt(p.RequireUppercaseCharacters),
		boolInt(p.RequireLowercaseCharacters), boolInt(p.AllowUsersToChangePassword), p.MaxPasswordAge, p.PasswordReusePrevention,
		boolInt(p.HardExpiry)); err != nil {
		return err
	}
	t.changed(store.KindPasswordPolicy, store.OpUpdate, t.acct.ID)
	return nil
}

// DeletePasswordPolicy removes the account's password policy.
func (t *sqlTx) DeletePasswordPolicy() error {
	r, err := t.exec(`DELETE FROM password_policies WHERE account = $1`, t.acct.ID)
	if err != nil {
		return err
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return fmt.Errorf("%w: The Password Policy with domain name %s cannot be found.", store.ErrNotFound, t.acct.ID)
	}
	t.changed(store.KindPasswordPolicy, store.OpDelete, t.acct.ID)
	return nil
}
