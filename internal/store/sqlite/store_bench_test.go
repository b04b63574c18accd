package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/internal/store/sqlite"
	"github.com/iamq/iamq/internal/store/storetest"
)

// benchOpen opens a store in b's temporary directory and measures its files.
func benchOpen(b *testing.B) (store.Store, func() int64) {
	path := filepath.Join(b.TempDir(), "iamq.db")
	s, err := sqlite.Open(context.Background(), path, store.Options{Key: testKey})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s, func() int64 {
		var n int64
		for _, f := range []string{path, path + "-wal"} {
			if fi, err := os.Stat(f); err == nil {
				n += fi.Size()
			}
		}
		return n
	}
}

func BenchmarkStore(b *testing.B) { storetest.Bench(b, benchOpen) }

// BenchmarkScale runs only with IAMQ_BENCH_SCALE=1 (see docs/benchmarks.md).
func BenchmarkScale(b *testing.B) { storetest.BenchScale(b, benchOpen) }
