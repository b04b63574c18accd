package sqlstore

import (
	"fmt"

	"github.com/iamq/iamq/internal/store"
)

// AccountSetting returns one of the account's settings.
func (t *sqlTx) AccountSetting(name string) (string, error) {
	var v string
	err := t.queryRow("setting "+name, []any{&v}, `SELECT value FROM account_settings WHERE account = $1 AND name = $2`,
		t.acct.ID, name)
	return v, err
}

// PutAccountSetting sets one of the account's settings, replacing its
// value.
func (t *sqlTx) PutAccountSetting(name, value string) error {
	if name == "" || len(value) > store.MaxAccountSetting {
		return fmt.Errorf("%w: setting %q of %d bytes", store.ErrInvalid, name, len(value))
	}
	if _, err := t.exec(`INSERT INTO account_settings (account, name, value) VALUES ($1, $2, $3)
		ON CONFLICT (account, name) DO UPDATE SET value = excluded.value`, t.acct.ID, name, value); err != nil {
		return err
	}
	t.changed(store.KindAccountSetting, store.OpUpdate, name)
	return nil
}

// DeleteAccountSetting removes one of the account's settings.
func (t *sqlTx) DeleteAccountSetting(name string) error {
	r, err := t.exec(`DELETE FROM account_settings WHERE account = $1 AND name = $2`, t.acct.ID, name)
	if err != nil {
		return err
	}
	if n, err := r.RowsAffected(); err != nil || n == 0 {
		return fmt.Errorf("%w: setting %s", store.ErrNotFound, name)
	}
	t.changed(store.KindAccountSetting, store.OpDelete, name)
	return nil
}
