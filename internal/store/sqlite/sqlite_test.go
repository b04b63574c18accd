package sqlite_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/internal/store/sqlite"
	"github.com/iamq/iamq/internal/store/storetest"
)

// testKey is the secret key of test stores.
var testKey = make([]byte, store.KeySize)

// open opens a store in a new file of t's temporary directory.
func open(t *testing.T) store.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "iamq.db"), store.Options{Key: testKey})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, open)
}

// TestSecretsAtRest shows that a secret never reaches the file in clear
// text, survives a reopen with the same key file, and does not open with
// another key.
func TestSecretsAtRest(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path, keyFile := filepath.Join(dir, "iamq.db"), filepath.Join(dir, "key")
	s, err := sqlite.Open(ctx, path, store.Options{KeyFile: keyFile})
	if err != nil {
		t.Fatal(err)
	}
	const secret = "Sup3rSecretValueThatMustNotLeak/000000000"
	if _, err := s.CreateAccount(ctx, store.Account{ID: "123456789012"}); err != nil {
		t.Fatal(err)
	}
	var key store.AccessKey
	err = s.Update(ctx, "123456789012", func(tx store.Tx) error {
		key, err = tx.CreateAccessKey(store.AccessKey{Owner: store.EntityRef{Kind: store.KindAccount}, Secret: secret})
		if err != nil {
			return err
		}
		// A server certificate's private key and a service-specific
		// credential's password are sealed the same way.
		if _, err := tx.CreateServerCertificate(store.ServerCertificate{Name: "c", Body: "B", PrivateKey: secret + "/key"}); err != nil {
			return err
		}
		if _, err := tx.CreateUser(store.User{Name: "u"}); err != nil {
			return err
		}
		_, err = tx.CreateCredential(store.Credential{Kind: store.CredService, Owner: store.EntityRef{Kind: store.KindUser, Name: "u"},
			Service: "codecommit.amazonaws.com", Secret: secret + "/pw"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	for _, f := range []string{path, path + "-wal"} {
		raw, err := os.ReadFile(f)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			t.Fatal(err)
		}
		if bytes.Contains(raw, []byte(secret)) {
			t.Fatalf("%s holds the secret in clear text", f)
		}
	}
	s, err = sqlite.Open(ctx, path, store.Options{KeyFile: keyFile})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.AccessKey(ctx, key.ID)
	s.Close()
	if err != nil || got.Secret != secret {
		t.Fatalf("AccessKey after reopen = %q, %v", got.Secret, err)
	}
	s, err = sqlite.Open(ctx, path, store.Options{Key: testKey})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.AccessKey(ctx, key.ID); !errors.Is(err, store.ErrDecrypt) {
		t.Fatalf("AccessKey with another key = %v, want ErrDecrypt", err)
	}
}

// TestFileModes: the database, its -wal and -shm files and a directory Open
// creates are its owner's only, whatever the umask lets through.
func TestFileModes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	path := filepath.Join(dir, "iamq.db")
	s, err := sqlite.Open(context.Background(), path, store.Options{Key: testKey})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.CreateAccount(context.Background(), store.Account{ID: "111122223333"}); err != nil {
		t.Fatal(err)
	}
	want := map[string]fs.FileMode{dir: 0o700, path: 0o600, path + "-wal": 0o600, path + "-shm": 0o600}
	for name, mode := range want {
		fi, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != mode {
			t.Errorf("%s: mode %v, want %v", filepath.Base(name), fi.Mode().Perm(), mode)
		}
	}
}
