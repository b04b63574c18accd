package postgres_test

import (
	"context"
	"testing"

	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/internal/store/postgres"
	"github.com/iamq/iamq/internal/store/postgres/pgtest"
	"github.com/iamq/iamq/internal/store/storetest"
	_ "github.com/jackc/pgx/v5/stdlib"
)

// testKey is the secret key of test stores.
var testKey = make([]byte, store.KeySize)

// schemaURL is a fresh schema on the test server, dropped when the test ends.
func schemaURL(t testing.TB) string { return pgtest.SchemaURL(t) }

// open opens a store in a new schema.
func open(t *testing.T) store.Store {
	t.Helper()
	s, err := postgres.Open(context.Background(), schemaURL(t), store.Options{Key: testKey})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, open)
}

// TestConformanceWithoutNotifyOrLocks: on a PostgreSQL-compatible database
// without LISTEN/NOTIFY and advisory locks, the store still passes every
// check, the quotas under concurrent writers among them.
func TestConformanceWithoutNotifyOrLocks(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		t.Helper()
		s, err := postgres.Open(context.Background(), schemaURL(t)+"&iamq_notify=off&iamq_advisory_locks=off", store.Options{Key: testKey})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}
