package iam

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/iamq/iamq/internal/managed"
	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/internal/store/sqlite"
)

// BenchmarkHashPassword is what every password set costs (argon2id, 19 MiB,
// two passes): the price of a slow hash, paid outside the store's write
// transaction.
func BenchmarkHashPassword(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		HashPassword("Correct-Horse-Battery-1")
	}
}

// BenchmarkCheckPassword is ChangePassword's check of the old password, and
// one step of PasswordReusePrevention.
func BenchmarkCheckPassword(b *testing.B) {
	h := HashPassword("Correct-Horse-Battery-1")
	b.ReportAllocs()
	for b.Loop() {
		if !CheckPassword(h, "Correct-Horse-Battery-1") {
			b.Fatal("CheckPassword = false")
		}
	}
}

// BenchmarkTOTPCode is one TOTP code; matchPair computes up to eight.
func BenchmarkTOTPCode(b *testing.B) {
	seed := NewSeed()
	b.ReportAllocs()
	for i := int64(0); b.Loop(); i++ {
		Code(seed, i)
	}
}

// BenchmarkVerifyMFA is GetSessionToken's and AssumeRole's check of a code
// on SQLite: read the sealed seed, compute up to three codes, record the
// step (a write transaction). Each op uses the next step's code.
func BenchmarkVerifyMFA(b *testing.B) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "iamq.db"), store.Options{Key: testKey()})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if _, err := st.CreateAccount(ctx, store.Account{ID: testAccount}); err != nil {
		b.Fatal(err)
	}
	now := time.Date(2026, 11, 26, 1, 2, 3, 0, time.UTC)
	s := New(st, managed.Builtin(), Options{Now: func() time.Time { return now }})
	if _, err := s.CreateUser(ctx, testAccount, CreateUserInput{UserName: "ann"}); err != nil {
		b.Fatal(err)
	}
	d, err := s.CreateVirtualMFADevice(ctx, testAccount, "ann", "", testAccount, nil)
	if err != nil {
		b.Fatal(err)
	}
	ann := store.EntityRef{Kind: store.KindUser, Name: "ann"}
	if err := st.Update(ctx, testAccount, func(tx store.Tx) error {
		return tx.AssignMFADevice(d.Device.SerialNumber, ann, s.now(), 0)
	}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := int64(1); b.Loop(); i++ {
		at := now.Add(totpStep * time.Duration(i))
		if err := VerifyMFA(ctx, st, at, testAccount, ann, d.Device.SerialNumber, Code(d.Device.Seed, Step(at))); err != nil {
			b.Fatal(err)
		}
	}
}
