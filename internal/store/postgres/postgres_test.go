package postgres_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"math/big"
	"net/url"
	"os"
	"testing"

	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/internal/store/postgres"
	"github.com/iamq/iamq/internal/store/storetest"
	_ "github.com/jackc/pgx/v5/stdlib"
)

// testKey is the secret key of test stores.
var testKey = make([]byte, store.KeySize)

// serverURL returns IAMQ_TEST_POSTGRES; without it the test is skipped, or
// fails under CI, where the test command always starts a server.
func serverURL(t testing.TB) string {
	u := os.Getenv("IAMQ_TEST_POSTGRES")
	if u == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("IAMQ_TEST_POSTGRES is not set under CI: scripts/test.sh starts a PostgreSQL server and sets it")
		}
		t.Skip("IAMQ_TEST_POSTGRES is not set (scripts/test.sh sets it)")
	}
	return u
}

// schemaURL creates a fresh schema and returns the server URL that selects
// it; the schema is dropped when the test ends.
func schemaURL(t testing.TB) string {
	t.Helper()
	base := serverURL(t)
	n, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	schema := fmt.Sprintf("t_%x", n)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
		admin.Close()
	})
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

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
