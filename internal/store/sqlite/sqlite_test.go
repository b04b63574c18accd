package sqlite_test

import (
	"context"
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
