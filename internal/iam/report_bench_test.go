package iam

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/internal/store/sqlite"
)

// BenchmarkCredentialReport builds the report of an account of 1,000 users,
// each with one access key (SQLite): the work GenerateCredentialReport does
// once per four hours.
func BenchmarkCredentialReport(b *testing.B) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "iamq.db"), store.Options{Key: testKey()})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if _, err := st.CreateAccount(ctx, store.Account{ID: testAccount}); err != nil {
		b.Fatal(err)
	}
	err = st.Update(ctx, testAccount, func(tx store.Tx) error {
		for i := range 1000 {
			name := fmt.Sprintf("user-%04d", i)
			if _, err := tx.CreateUser(store.User{Name: name}); err != nil {
				return err
			}
			if _, err := tx.CreateAccessKey(store.AccessKey{Owner: store.EntityRef{Kind: store.KindUser, Name: name}, Secret: "s"}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		var n int
		err := st.View(ctx, testAccount, func(tx store.Tx) error {
			csv, err := buildReport(tx)
			n = len(csv)
			return err
		})
		if err != nil || n == 0 {
			b.Fatal(n, err)
		}
	}
}
