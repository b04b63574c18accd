package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/internal/store/sqlite"
	_ "modernc.org/sqlite"
)

// TestMigrationUpgrade turns a store back into schema version 1 with data in
// it, reopens it, and checks that migration 2 computed the counts that
// version 1 did not keep.
func TestMigrationUpgrade(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	s, err := sqlite.Open(ctx, path, store.Options{Key: testKey})
	if err != nil {
		t.Fatal(err)
	}
	const acct = "123456789012"
	arn := store.PolicyARN(acct, "/", "p")
	if _, err := s.CreateAccount(ctx, store.Account{ID: acct}); err != nil {
		t.Fatal(err)
	}
	err = s.Update(ctx, acct, func(tx store.Tx) error {
		if _, err := tx.CreatePolicy(store.Policy{Name: "p"}, `{}`); err != nil {
			return err
		}
		for _, n := range []string{"a", "b"} {
			if _, err := tx.CreateUser(store.User{Name: n, PermissionsBoundary: arn}); err != nil {
				return err
			}
			if err := tx.AttachPolicy(store.EntityRef{Kind: store.KindUser, Name: n}, arn); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()

	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`DROP INDEX policies_arn`,
		`ALTER TABLE policies DROP COLUMN attach_count`,
		`ALTER TABLE policies DROP COLUMN boundary_count`,
		`DELETE FROM schema_migrations WHERE version = 2`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	raw.Close()

	s, err = sqlite.Open(ctx, path, store.Options{Key: testKey})
	if err != nil {
		t.Fatalf("reopen (migration 2): %v", err)
	}
	defer s.Close()
	err = s.View(ctx, acct, func(tx store.Tx) error {
		p, err := tx.Policy("p")
		if err != nil {
			return err
		}
		if p.AttachmentCount != 2 || p.BoundaryUsageCount != 2 {
			t.Errorf("after migration 2: counts %d, %d; want 2, 2", p.AttachmentCount, p.BoundaryUsageCount)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
