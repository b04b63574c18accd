package storetest

import (
	"errors"
	"strings"
	"testing"

	"github.com/iamq/iamq/internal/store"
)

// testSettings checks an account's settings: unset is ErrNotFound, a put
// replaces, accounts are kept apart, a delete removes, an oversized value is
// refused and changes nothing, and deleting the account deletes them.
func testSettings(t *testing.T, s store.Store) {
	a, b := newAccount(t, s), newAccount(t, s)
	err := s.View(ctx, a, func(tx store.Tx) error { _, err := tx.AccountSetting("sts"); return err })
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("AccountSetting(unset) = %v, want ErrNotFound", err)
	}
	update(t, s, a, func(tx store.Tx) error { return tx.PutAccountSetting("sts", "v1Token") })
	update(t, s, a, func(tx store.Tx) error { return tx.PutAccountSetting("sts", "v2Token") })
	update(t, s, b, func(tx store.Tx) error { return tx.PutAccountSetting("sts", "other") })
	err = s.Update(ctx, a, func(tx store.Tx) error {
		return tx.PutAccountSetting("sts", strings.Repeat("x", store.MaxAccountSetting+1))
	})
	if !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("PutAccountSetting(oversized) = %v, want ErrInvalid", err)
	}
	wantSetting(t, s, a, "sts", "v2Token")
	wantSetting(t, s, b, "sts", "other")
	update(t, s, a, func(tx store.Tx) error { return tx.DeleteAccountSetting("sts") })
	err = s.Update(ctx, a, func(tx store.Tx) error { return tx.DeleteAccountSetting("sts") })
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("DeleteAccountSetting(again) = %v, want ErrNotFound", err)
	}
	wantSetting(t, s, b, "sts", "other")
	if err := s.DeleteAccount(ctx, b); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateAccount(ctx, store.Account{ID: b}); err != nil {
		t.Fatal(err)
	}
	err = s.View(ctx, b, func(tx store.Tx) error { _, err := tx.AccountSetting("sts"); return err })
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("AccountSetting(after DeleteAccount) = %v, want ErrNotFound", err)
	}
}

func wantSetting(t *testing.T, s store.Store, account, name, want string) {
	t.Helper()
	view(t, s, account, func(tx store.Tx) error {
		got, err := tx.AccountSetting(name)
		if err != nil {
			return err
		}
		if got != want {
			t.Errorf("AccountSetting(%s) = %q, want %q", name, got, want)
		}
		return nil
	})
}
