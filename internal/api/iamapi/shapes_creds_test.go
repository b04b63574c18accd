package iamapi

import (
	"crypto"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
)

// goldenMFA is the serial number of the golden steps' virtual MFA device.
const goldenMFA = "arn:aws:iam::" + idAccount + ":mfa/golden"

// goldenCredentials are the values the credential steps send that are not
// plain text: a certificate and its key made the same on every run (RSA
// PKCS #1 v1.5 signs without randomness; the key is the certs branch's test
// key; the dates are fixed around the steps' clock), and an SSH key.
func goldenCredentials(t *testing.T) map[string]string {
	t.Helper()
	keyPEM := credFile(t, "leaf-rsa.key")
	block, _ := pem.Decode([]byte(keyPEM))
	if block == nil {
		t.Fatal("leaf-rsa.key: no PEM block")
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		t.Fatalf("leaf-rsa.key holds a %T", key)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "golden.example.com"},
		NotBefore: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2036, 1, 1, 0, 0, 0, 0, time.UTC)}
	der, err := x509.CreateCertificate(nil, tmpl, tmpl, signer.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]string{
		"{cert}":       string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		"{privatekey}": keyPEM,
		"{sshkey}":     strings.TrimSpace(credFile(t, "rsa2048.pub")),
	}
}

// goldenMFACodes replaces {code1} … {code4} in form with the codes of the
// device whose seed an earlier step captured (base64 of the Base32 seed, as
// the answer carries it): codes 1 and 2 at the steps' clock and 30 s
// before (EnableMFADevice), 3 and 4 the two steps after (ResyncMFADevice).
func goldenMFACodes(t *testing.T, form, seed string, at time.Time) string {
	t.Helper()
	if !strings.Contains(form, "{code") {
		return form
	}
	b32, err := base64.StdEncoding.DecodeString(seed)
	if err != nil {
		t.Fatalf("captured seed %q: %v", seed, err)
	}
	for i, off := range []time.Duration{-30 * time.Second, 0, 30 * time.Second, 60 * time.Second} {
		c, err := totp.GenerateCode(string(b32), at.Add(off))
		if err != nil {
			t.Fatal(err)
		}
		form = strings.ReplaceAll(form, "{code"+string(rune('1'+i))+"}", c)
	}
	return form
}
