package storetest

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/iamq/iamq/internal/store"
)

// testProviders checks identity providers: create, read, list by name,
// update, delete, the per-kind quota, kinds kept apart, and that a failed
// create changes nothing.
func testProviders(t *testing.T, s store.Store) {
	acct := newAccount(t, s)
	oidc := store.Provider{Kind: store.ProviderOIDC, Name: "token.example.com/path", ClientIDs: []string{"sts.amazonaws.com"},
		Thumbprints: []string{"0123456789abcdef0123456789abcdef01234567"}, Tags: []store.Tag{{Key: "team", Value: "ci"}}}
	saml := store.Provider{Kind: store.ProviderSAML, Name: "token.example.com/path", Metadata: "<EntityDescriptor/>",
		ValidUntil: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)}
	update(t, s, acct, func(tx store.Tx) error {
		if _, err := tx.CreateProvider(oidc); err != nil {
			return err
		}
		_, err := tx.CreateProvider(saml) // same name, other kind
		return err
	})
	err := s.Update(ctx, acct, func(tx store.Tx) error { _, err := tx.CreateProvider(oidc); return err })
	if !errors.Is(err, store.ErrAlreadyExists) {
		t.Fatalf("CreateProvider(again) = %v, want ErrAlreadyExists", err)
	}
	view(t, s, acct, func(tx store.Tx) error {
		got, err := tx.Provider(store.ProviderOIDC, oidc.Name)
		if err != nil {
			return err
		}
		if got.AccountID != acct || got.Created.IsZero() || !reflect.DeepEqual(got.ClientIDs, oidc.ClientIDs) ||
			!reflect.DeepEqual(got.Thumbprints, oidc.Thumbprints) || !reflect.DeepEqual(got.Tags, oidc.Tags) {
			return fmt.Errorf("Provider(oidc) = %+v, want %+v", got, oidc)
		}
		got, err = tx.Provider(store.ProviderSAML, saml.Name)
		if err != nil {
			return err
		}
		if got.Metadata != saml.Metadata || !got.ValidUntil.Equal(saml.ValidUntil) {
			return fmt.Errorf("Provider(saml) = %+v, want %+v", got, saml)
		}
		if _, err := tx.Provider(store.ProviderOIDC, "other.example.com"); !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("Provider(missing) = %v, want ErrNotFound", err)
		}
		return nil
	})
	oidc.ClientIDs = append(oidc.ClientIDs, "second")
	oidc.Tags = nil
	update(t, s, acct, func(tx store.Tx) error { _, err := tx.UpdateProvider(oidc); return err })
	view(t, s, acct, func(tx store.Tx) error {
		got, err := tx.Provider(store.ProviderOIDC, oidc.Name)
		if err == nil && (len(got.ClientIDs) != 2 || len(got.Tags) != 0) {
			err = fmt.Errorf("after UpdateProvider: %+v", got)
		}
		return err
	})
	missing := store.Provider{Kind: store.ProviderOIDC, Name: "nobody.example.com"}
	if err := s.Update(ctx, acct, func(tx store.Tx) error { _, err := tx.UpdateProvider(missing); return err }); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("UpdateProvider(missing) = %v, want ErrNotFound", err)
	}
	testProviderQuota(t, s, acct)
	update(t, s, acct, func(tx store.Tx) error { return tx.DeleteProvider(store.ProviderSAML, saml.Name) })
	if err := s.Update(ctx, acct, func(tx store.Tx) error { return tx.DeleteProvider(store.ProviderSAML, saml.Name) }); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("DeleteProvider(again) = %v, want ErrNotFound", err)
	}
	view(t, s, acct, func(tx store.Tx) error {
		if _, err := tx.Provider(store.ProviderOIDC, oidc.Name); err != nil {
			return fmt.Errorf("deleting the SAML provider deleted the OIDC one: %w", err)
		}
		return nil
	})
}

// testProviderQuota fills the account's OIDC providers up to the quota (one
// exists) and checks that one more is refused and that the list is sorted.
func testProviderQuota(t *testing.T, s store.Store, acct string) {
	update(t, s, acct, func(tx store.Tx) error {
		for i := 1; i < store.MaxProviders; i++ {
			if _, err := tx.CreateProvider(store.Provider{Kind: store.ProviderOIDC, Name: fmt.Sprintf("idp%03d.example.com", i)}); err != nil {
				return err
			}
		}
		return nil
	})
	err := s.Update(ctx, acct, func(tx store.Tx) error {
		_, err := tx.CreateProvider(store.Provider{Kind: store.ProviderOIDC, Name: "one-too-many.example.com"})
		return err
	})
	if !errors.Is(err, store.ErrLimitExceeded) {
		t.Fatalf("CreateProvider(past quota) = %v, want ErrLimitExceeded", err)
	}
	view(t, s, acct, func(tx store.Tx) error {
		ps, err := tx.Providers(store.ProviderOIDC)
		if err != nil {
			return err
		}
		if len(ps) != store.MaxProviders || ps[0].Name != "idp001.example.com" {
			return fmt.Errorf("Providers(oidc): %d, first %q", len(ps), ps[0].Name)
		}
		return nil
	})
}
