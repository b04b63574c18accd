package sts

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/go-jose/go-jose/v4"

	"github.com/iamq/iamq/internal/store"
)

// TestLocalKeys: a provider the JWKS file names gets the file's keys; any
// other is fetched only from a loopback issuer, never from the internet.
func TestLocalKeys(t *testing.T) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "jwks.json")
	b, _ := json.Marshal(map[string]jose.JSONWebKeySet{"idp.example.com/ci": {Keys: []jose.JSONWebKey{{Key: &k.PublicKey, KeyID: "a"}}}})
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	l := &LocalKeys{File: file}
	set, err := l.Keys(context.Background(), store.Provider{Name: "idp.example.com/ci"})
	if err != nil || len(set.Key("a")) != 1 {
		t.Fatalf("Keys(in the file) = %v, %v; want the file's key a", set, err)
	}
	for _, name := range []string{"idp.example.com", "token.actions.githubusercontent.com", "10.0.0.1:8443", "127.0.0.1.example.com"} {
		if _, err := l.Keys(context.Background(), store.Provider{Name: name}); !errors.Is(err, ErrNoKeys) {
			t.Errorf("Keys(%s) = %v, want ErrNoKeys (not loopback, not in the file)", name, err)
		}
	}
	// A loopback issuer that is not listening: a fetch was attempted and failed.
	if _, err := (&LocalKeys{}).Keys(context.Background(), store.Provider{Name: "127.0.0.1:1"}); !errors.Is(err, ErrNoKeys) {
		t.Errorf("Keys(127.0.0.1:1) = %v, want ErrNoKeys", err)
	}
}

func TestLoopback(t *testing.T) {
	for host, want := range map[string]bool{"127.0.0.1": true, "127.3.2.1": true, "::1": true, "[::1]": true, "localhost": true,
		"LOCALHOST": true, "10.0.0.1": false, "example.com": false, "": false, "localhost.example.com": false} {
		if got := Loopback(host); got != want {
			t.Errorf("Loopback(%q) = %v, want %v", host, got, want)
		}
	}
}
