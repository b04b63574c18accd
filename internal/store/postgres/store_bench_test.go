package postgres_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/internal/store/postgres"
	"github.com/iamq/iamq/internal/store/storetest"
)

// benchOpen opens a store in a new schema and measures the schema's size.
func benchOpen(b *testing.B) (store.Store, func() int64) {
	u := schemaURL(b)
	s, err := postgres.Open(context.Background(), u, store.Options{Key: testKey})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s, func() int64 {
		db, err := sql.Open("pgx", u)
		if err != nil {
			return 0
		}
		defer db.Close()
		var n int64
		db.QueryRow(`SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c
			JOIN pg_namespace ns ON ns.oid = c.relnamespace WHERE ns.nspname = current_schema() AND c.relkind = 'r'`).Scan(&n)
		return n
	}
}

func BenchmarkStore(b *testing.B) { storetest.Bench(b, benchOpen) }

// BenchmarkScale runs only with IAMQ_BENCH_SCALE=1 (see docs/benchmarks.md).
func BenchmarkScale(b *testing.B) { storetest.BenchScale(b, benchOpen) }
