package server

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/internal/store/sqlite"
)

// openTestStore opens a SQLite store with options o in a fresh temporary
// directory of tb, closed when tb ends: the store every fixture, golden test
// and benchmark of this package runs against.
func openTestStore(tb testing.TB, o store.Options) *sqlite.Store {
	tb.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "iamq.db"), o)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return st
}
