package sts

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/iamq/iamq/internal/authz"
	"github.com/iamq/iamq/internal/server/servertest"
	"github.com/iamq/iamq/internal/store"
)

// BenchmarkAssumeRoleWithWebIdentity measures the whole federation call
// below the wire, on SQLite: the token parsed and verified (ES256, key from
// a JWKS file), its provider read, the trust policy decided, the session's
// key stored.
func BenchmarkAssumeRoleWithWebIdentity(b *testing.B) {
	ctx := context.Background()
	st := servertest.OpenSQLite(b, store.Options{Key: bytes.Repeat([]byte{9}, 32)})
	const account, name = "111122223333", "idp.example.com"
	if _, err := st.CreateAccount(ctx, store.Account{ID: account}); err != nil {
		b.Fatal(err)
	}
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	file := filepath.Join(b.TempDir(), "jwks.json")
	data, _ := json.Marshal(map[string]jose.JSONWebKeySet{name: {Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k"}}}})
	if err := os.WriteFile(file, data, 0o600); err != nil {
		b.Fatal(err)
	}
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::` + account + `:oidc-provider/` + name +
		`"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"` + name + `:sub":"ci"}}}]}`
	err := st.Update(ctx, account, func(tx store.Tx) error {
		if _, err := tx.CreateProvider(store.Provider{Kind: store.ProviderOIDC, Name: name, ClientIDs: []string{"sts.amazonaws.com"}}); err != nil {
			return err
		}
		_, err := tx.CreateRole(store.Role{Name: "ci", Path: "/", AssumeRolePolicy: trust, MaxSessionDuration: 3600})
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	sig, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: key}, (&jose.SignerOptions{}).WithHeader("kid", "k"))
	now := time.Now()
	tok, _ := jwt.Signed(sig).Claims(jwt.Claims{Issuer: "https://" + name, Subject: "ci", Audience: jwt.Audience{"sts.amazonaws.com"},
		Expiry: jwt.NewNumericDate(now.Add(time.Hour)), IssuedAt: jwt.NewNumericDate(now)}).Serialize()
	s := New(st, Options{OIDCKeys: &LocalKeys{File: file}})
	in := WebIdentityInput{RoleARN: "arn:aws:iam::" + account + ":role/ci", RoleSessionName: "bench", WebIdentityToken: tok}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := s.AssumeRoleWithWebIdentity(ctx, authz.RequestInfo{Time: now}, in); err != nil {
			b.Fatal(err)
		}
	}
}
