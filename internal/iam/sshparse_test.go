package iam

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The fingerprints of testdata/ssh's keys, from `ssh-keygen -l -E md5 -f`.
const (
	fpRSA2048 = "1a:7a:0a:9f:8d:e5:d8:1e:88:f1:93:8a:df:9c:bd:be"
	fpRSA4096 = "97:24:76:c6:f0:e0:c6:40:e4:7d:1d:18:7d:00:88:9d"
)

func TestParseSSHPublicKey(t *testing.T) {
	cases := []struct {
		file        string
		fingerprint string // when accepted
		err         error  // when refused
	}{
		{"rsa2048.pub", fpRSA2048, nil},
		{"rsa2048.ssh2", fpRSA2048, nil},
		{"rsa2048-continued.ssh2", fpRSA2048, nil},
		{"rsa2048.pkix.pem", fpRSA2048, nil},
		{"rsa2048.pkcs1.pem", fpRSA2048, nil},
		{"rsa4096.pub", fpRSA4096, nil},
		{"rsa1024-short.pub", "", ErrInvalidPublicKey},
		{"ed25519.pub", "", ErrUnrecognizedPublicKeyEncoding},
		{"ecdsa.pub", "", ErrUnrecognizedPublicKeyEncoding},
		{"garbage.txt", "", ErrUnrecognizedPublicKeyEncoding},
		{"truncated.pub", "", ErrInvalidPublicKey},
		{"mislabeled.pub", "", ErrUnrecognizedPublicKeyEncoding},
		{"wrong-pem-type.pem", "", ErrUnrecognizedPublicKeyEncoding},
		{"two-keys.pub", "", ErrInvalidPublicKey},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			k, err := ParseSSHPublicKey(sshFile(t, c.file))
			if c.err != nil {
				if !errors.Is(err, c.err) {
					t.Fatalf("ParseSSHPublicKey(%s) = %v, want %v", c.file, err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseSSHPublicKey(%s) = %v", c.file, err)
			}
			if got := k.Fingerprint(); got != c.fingerprint || len(got) != 47 {
				t.Errorf("Fingerprint(%s) = %s, want %s", c.file, got, c.fingerprint)
			}
			// Both encodings parse back to the same key.
			for _, enc := range []string{k.SSH(), k.PEM()} {
				again, err := ParseSSHPublicKey(enc)
				if err != nil || again.Fingerprint() != c.fingerprint {
					t.Errorf("ParseSSHPublicKey(%.20q…) = %v, %v", enc, again.Fingerprint(), err)
				}
			}
			if !strings.HasPrefix(k.SSH(), "ssh-rsa AAAA") || !strings.HasPrefix(k.PEM(), "-----BEGIN PUBLIC KEY-----\n") {
				t.Errorf("encodings of %s: %q, %q", c.file, k.SSH(), k.PEM())
			}
		})
	}
}

func sshFile(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "ssh", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// FuzzParseSSHPublicKey: no input panics, and an accepted key's encodings
// parse back to the same fingerprint.
func FuzzParseSSHPublicKey(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "ssh", "*"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Fuzz(func(t *testing.T, body string) {
		if len(body) > MaxSSHPublicKeyBody {
			return // the Validation refuses it before parsing
		}
		k, err := ParseSSHPublicKey(body)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("ParseSSHPublicKey: %v is not an *Error", err)
			}
			return
		}
		for _, enc := range []string{k.SSH(), k.PEM()} {
			again, err := ParseSSHPublicKey(enc)
			if err != nil || again.Fingerprint() != k.Fingerprint() {
				t.Fatalf("re-parse of %q: %v", enc, err)
			}
		}
	})
}
