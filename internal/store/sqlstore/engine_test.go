package sqlstore

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/iamq/iamq/internal/store"
)

func TestSealer(t *testing.T) {
	key := bytes.Repeat([]byte{7}, store.KeySize)
	s, err := NewSealer(key)
	if err != nil {
		t.Fatal(err)
	}
	secret := []byte("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
	sealed := s.Seal(secret, []byte("AKIA1"))
	if bytes.Contains(sealed, secret) {
		t.Fatal("Seal left the secret readable")
	}
	if again := s.Seal(secret, []byte("AKIA1")); bytes.Equal(again, sealed) {
		t.Fatal("Seal is deterministic: the nonce repeats")
	}
	got, err := s.Open(sealed, []byte("AKIA1"))
	if err != nil || !bytes.Equal(got, secret) {
		t.Fatalf("Open = %q, %v", got, err)
	}
	other, _ := NewSealer(bytes.Repeat([]byte{8}, store.KeySize))
	cases := []struct {
		name   string
		s      *Sealer
		sealed []byte
		ad     string
	}{
		{"other key", other, sealed, "AKIA1"},
		{"other row", s, sealed, "AKIA2"},
		{"truncated", s, sealed[:10], "AKIA1"},
		{"flipped", s, append(append([]byte{}, sealed[:len(sealed)-1]...), sealed[len(sealed)-1]^1), "AKIA1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := c.s.Open(c.sealed, []byte(c.ad)); !errors.Is(err, store.ErrDecrypt) {
				t.Fatalf("Open(%s) = %v, want ErrDecrypt", c.name, err)
			}
		})
	}
	if _, err := NewSealer(key[:16]); err == nil {
		t.Fatal("NewSealer accepted a 16-byte key")
	}
}

func TestLoadKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "key")
	// Several processes' worth of goroutines create the file at once: all
	// must end up with the same key.
	keys := make([][]byte, 8)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var err error
			if keys[i], err = LoadKey(store.Options{KeyFile: path}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	for i, k := range keys {
		if len(k) != store.KeySize || !bytes.Equal(k, keys[0]) {
			t.Fatalf("key %d = %x, want %x", i, k, keys[0])
		}
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode = %v, want 0600", fi.Mode().Perm())
	}
	if again, _ := LoadKey(store.Options{KeyFile: path}); !bytes.Equal(again, keys[0]) {
		t.Fatal("LoadKey read another key the second time")
	}
	short := filepath.Join(t.TempDir(), "short")
	os.WriteFile(short, []byte("abc"), 0o600)
	cases := []struct {
		name string
		o    store.Options
	}{
		{"nothing", store.Options{}},
		{"short key", store.Options{Key: []byte("abc")}},
		{"short file", store.Options{KeyFile: short}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := LoadKey(c.o); err == nil {
				t.Fatalf("LoadKey(%s) succeeded", c.name)
			}
		})
	}
}

func TestMarker(t *testing.T) {
	cases := [][]string{{"alice"}, {"group", "admins"}, {"", ""}, {"a b/c+d=e"}}
	for _, parts := range cases {
		m := encodeMarker(parts...)
		got, err := decodeMarker(m, len(parts))
		if err != nil || strings.Join(got, "|") != strings.Join(parts, "|") {
			t.Errorf("decodeMarker(encodeMarker(%q)) = %q, %v", parts, got, err)
		}
		if _, err := decodeMarker(m, len(parts)+1); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("decodeMarker(%q, wrong arity) = %v, want ErrInvalid", m, err)
		}
	}
}

func TestErrors(t *testing.T) {
	err := quotaError(store.QuotaPoliciesPerRole, 15)
	var le *store.LimitError
	if !errors.Is(err, store.ErrLimitExceeded) || !errors.As(err, &le) || le.Limit != 15 ||
		err.Error() != "Cannot exceed quota for PoliciesPerRole: 15" {
		t.Fatalf("quotaError = %v", err)
	}
	if errors.Is(err, store.ErrDeleteConflict) {
		t.Fatal("a LimitError matches ErrDeleteConflict")
	}
	dc := deleteConflict("Cannot delete entity, must detach all policies first.")
	if !errors.Is(dc, store.ErrDeleteConflict) || errors.Is(dc, store.ErrLimitExceeded) {
		t.Fatalf("deleteConflict = %v", dc)
	}
}

func TestPolicyARN(t *testing.T) {
	cases := []struct{ arn, name, path string }{
		{"arn:aws:iam::aws:policy/ReadOnlyAccess", "ReadOnlyAccess", "/"},
		{"arn:aws:iam::aws:policy/job-function/ViewOnlyAccess", "ViewOnlyAccess", "/job-function/"},
		{store.PolicyARN("123456789012", "/a/b/", "P"), "P", "/a/b/"},
	}
	for _, c := range cases {
		if policyName(c.arn) != c.name || policyPath(c.arn) != c.path {
			t.Errorf("policyName, policyPath(%s) = %s, %s; want %s, %s", c.arn, policyName(c.arn), policyPath(c.arn), c.name, c.path)
		}
	}
}
