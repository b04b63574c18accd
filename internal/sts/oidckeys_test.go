package sts

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha1"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

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
	if _, err := (&LocalKeys{}).Keys(context.Background(), store.Provider{Name: "127.0.0.1:1"}); !errors.Is(err, ErrNoKeys) || !errors.Is(err, ErrIDPUnreachable) {
		t.Errorf("Keys(127.0.0.1:1) = %v, want ErrNoKeys and ErrIDPUnreachable", err)
	}
	if _, err := l.Keys(context.Background(), store.Provider{Name: "idp.example.com"}); errors.Is(err, ErrIDPUnreachable) {
		t.Errorf("Keys(not loopback) = %v: it is refused, not unreachable", err)
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

// TestPinnedChain: a thumbprint pins the leaf itself or a CA that signed
// it; sending the pinned CA's certificate beside a leaf it did not sign is
// refused.
func TestPinnedChain(t *testing.T) {
	ca, caKey := newCert(t, nil, nil, true)
	leaf, _ := newCert(t, ca, caKey, false)
	rogue, _ := newCert(t, nil, nil, false)
	thumb := func(c *x509.Certificate) string { s := sha1.Sum(c.Raw); return hex.EncodeToString(s[:]) }
	cases := []struct {
		name  string
		chain []*x509.Certificate
		pins  []string
		ok    bool
	}{
		{"leaf pinned", []*x509.Certificate{leaf, ca}, []string{thumb(leaf)}, true},
		{"CA pinned", []*x509.Certificate{leaf, ca}, []string{thumb(ca)}, true},
		{"rogue leaf beside the pinned CA", []*x509.Certificate{rogue, ca}, []string{thumb(ca)}, false},
		{"nothing pinned", []*x509.Certificate{leaf, ca}, []string{strings.Repeat("0", 40)}, false},
		{"no certificate", nil, []string{thumb(ca)}, false},
	}
	for _, tc := range cases {
		err := pinnedChain(tls.ConnectionState{PeerCertificates: tc.chain, ServerName: "127.0.0.1"}, tc.pins)
		if (err == nil) != tc.ok {
			t.Errorf("pinnedChain(%s) = %v, want ok %v", tc.name, err, tc.ok)
		}
	}
}

// newCert makes a certificate for 127.0.0.1, self-signed when parent is nil.
func newCert(t *testing.T, parent *x509.Certificate, parentKey *ecdsa.PrivateKey, isCA bool) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{SerialNumber: serial, Subject: pkix.Name{CommonName: "test"}, NotBefore: time.Now().Add(-time.Hour),
		NotAfter: time.Now().Add(time.Hour), IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, BasicConstraintsValid: true, IsCA: isCA,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c, key
}

// TestLocalKeysCache: a loopback issuer's keys are fetched once per TTL.
func TestLocalKeysCache(t *testing.T) {
	var fetches atomic.Int32
	var srv *httptest.Server
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		fetches.Add(1)
		json.NewEncoder(w).Encode(map[string]string{"issuer": srv.URL, "jwks_uri": srv.URL + "/keys"})
	})
	mux.HandleFunc("GET /keys", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{"keys":[]}`)) })
	srv = httptest.NewTLSServer(mux)
	defer srv.Close()
	sum := sha1.Sum(srv.Certificate().Raw)
	p := store.Provider{Name: strings.TrimPrefix(srv.URL, "https://"), Thumbprints: []string{hex.EncodeToString(sum[:])}}
	now := time.Now()
	l := &LocalKeys{Now: func() time.Time { return now }}
	for i := 0; i < 3; i++ {
		if _, err := l.Keys(context.Background(), p); err != nil {
			t.Fatalf("Keys = %v", err)
		}
	}
	if n := fetches.Load(); n != 1 {
		t.Fatalf("three calls within the TTL fetched %d times, want 1", n)
	}
	now = now.Add(2 * time.Minute)
	if _, err := l.Keys(context.Background(), p); err != nil || fetches.Load() != 2 {
		t.Fatalf("after the TTL: %v, %d fetches, want 2", err, fetches.Load())
	}
}
