package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestServeFileModes: what 'iamq serve' writes in a data directory it
// creates — the directory, the database and its -wal and -shm, the key and
// the credentials — is readable by its owner only.
func TestServeFileModes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "iamq-data")
	startServe(t, dir, nil)
	want := map[string]fs.FileMode{".": 0o700, "iamq.db": 0o600, "iamq.db-wal": 0o600, "iamq.db-shm": 0o600,
		"secret.key": 0o600, "credentials": 0o600}
	for name, mode := range want {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != mode {
			t.Errorf("%s: mode %v, want %v", name, fi.Mode().Perm(), mode)
		}
	}
}
