package iam

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func pemFile(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "pem", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestServerCertificateCorpus checks bodies, chains and keys of
// testdata/pem (made by gen.sh) as UploadServerCertificate checks them.
func TestServerCertificateCorpus(t *testing.T) {
	cases := []struct {
		name             string
		body, chain, key string
		err              error
		msg              string // when not ""
	}{
		{"rsa with chain", "leaf-rsa.pem", "chain.pem", "leaf-rsa.key", nil, ""},
		{"rsa pkcs1 key", "leaf-rsa.pem", "", "leaf-rsa.pkcs1.key", nil, ""},
		{"rsa chain without root", "leaf-rsa.pem", "inter.pem", "leaf-rsa.key", nil, ""},
		{"ec pkcs8", "leaf-ec.pem", "", "leaf-ec.key", nil, ""},
		{"ec sec1", "leaf-ec.pem", "", "leaf-ec.sec1.key", nil, ""},
		{"self-signed root as body", "root.pem", "", "root.key", nil, ""},
		{"1024-bit rsa", "other-rsa.pem", "", "other-rsa.key", nil, ""},
		{"mismatched key", "leaf-rsa.pem", "", "other-rsa.key", ErrKeyPairMismatch, ""},
		{"mismatched ec key", "leaf-ec.pem", "", "leaf-rsa.key", ErrKeyPairMismatch, ""},
		{"p-521", "leaf-p521.pem", "", "leaf-p521.key", ErrMalformedCertificate, ""},
		{"encrypted key", "leaf-rsa.pem", "", "leaf-rsa.encrypted.key", ErrMalformedCertificate, ""},
		{"key as body", "leaf-rsa.key", "", "leaf-rsa.key", ErrMalformedCertificate, msgCertPEM},
		{"two certificates as body", "two-certs.pem", "", "leaf-rsa.key", ErrMalformedCertificate, msgCertPEM},
		{"garbage body", "garbage.txt", "", "leaf-rsa.key", ErrMalformedCertificate, msgCertPEM},
		{"corrupt body", "corrupt.pem", "", "leaf-rsa.key", ErrMalformedCertificate, msgCertPEM},
		{"garbage key", "leaf-rsa.pem", "", "garbage.txt", ErrMalformedCertificate, ""},
		{"certificate as key", "leaf-rsa.pem", "", "leaf-rsa.pem", ErrMalformedCertificate, ""},
		{"reversed chain", "leaf-rsa.pem", "chain-reversed.pem", "leaf-rsa.key", ErrMalformedCertificate,
			"Unable to validate certificate chain. The certificate chain must start with the immediate signing certificate, followed by any intermediaries in order. The index within the chain of the invalid certificate is: -1"},
		{"chain missing intermediate", "leaf-rsa.pem", "root.pem", "leaf-rsa.key", ErrMalformedCertificate, ""},
		{"garbage chain", "leaf-rsa.pem", "garbage.txt", "leaf-rsa.key", ErrMalformedCertificate, ""},
		{"key in chain", "leaf-rsa.pem", "leaf-rsa.key", "leaf-rsa.key", ErrMalformedCertificate, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			chain := ""
			if c.chain != "" {
				chain = pemFile(t, c.chain)
			}
			_, err := checkServerCertificate(pemFile(t, c.body), chain, pemFile(t, c.key), now2026)
			if !errors.Is(err, c.err) || (err == nil) != (c.err == nil) {
				t.Fatalf("checkServerCertificate(%s, %s, %s) = %v, want %v", c.body, c.chain, c.key, err, c.err)
			}
			if c.msg != "" && err.Error() != c.msg {
				t.Errorf("message = %q, want %q", err.Error(), c.msg)
			}
		})
	}
}

func TestCheckValidity(t *testing.T) {
	cert, err := ParseCertificatePEM(pemFile(t, "leaf-rsa.pem"))
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckValidity(cert, cert.NotAfter); err != nil {
		t.Errorf("CheckValidity(at NotAfter) = %v", err)
	}
	if err := CheckValidity(cert, cert.NotAfter.Add(1)); !errors.Is(err, ErrMalformedCertificate) {
		t.Errorf("CheckValidity(after NotAfter) = %v, want MalformedCertificate", err)
	}
}

// FuzzParseCertificatePEM: no input panics; whatever parses has a
// fingerprint and re-parses from its own DER.
func FuzzParseCertificatePEM(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "pem", "*"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > MaxCertificateBody {
			return
		}
		if cert, err := ParseCertificatePEM(text); err == nil && len(CertificateFingerprint(cert)) != 64 {
			t.Fatalf("fingerprint of %q", text)
		}
		if chain, err := ParseChainPEM(text); err == nil && (len(chain) == 0 || len(chain) > MaxChainCertificates) {
			t.Fatalf("ParseChainPEM: %d certificates", len(chain))
		}
		if k, err := ParsePrivateKeyPEM(text); err == nil && k.Public() == nil {
			t.Fatal("a key without a public half")
		}
	})
}

// now2026 is the corpus tests' clock: the corpus is valid then.
var now2026 = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

// TestServerCertificateCRLF: files saved with Windows line ends upload
// as well.
func TestServerCertificateCRLF(t *testing.T) {
	crlf := func(name string) string { return strings.ReplaceAll(pemFile(t, name), "\n", "\r\n") }
	if _, err := checkServerCertificate(crlf("leaf-rsa.pem"), crlf("chain.pem"), crlf("leaf-rsa.key"), now2026); err != nil {
		t.Fatalf("checkServerCertificate(CRLF) = %v", err)
	}
	if _, err := ParseSSHPublicKey(strings.ReplaceAll(sshFile(t, "rsa2048.ssh2"), "\n", "\r\n")); err != nil {
		t.Fatalf("ParseSSHPublicKey(SSH2, CRLF) = %v", err)
	}
}
