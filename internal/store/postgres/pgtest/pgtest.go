// Package pgtest gives a test its own PostgreSQL schema on the throwaway
// server that the test command starts (scripts/test.sh exports its URL as
// IAMQ_TEST_POSTGRES). Without the variable a test is skipped — or fails
// under CI, where the server is always there.
//
// It imports nothing of iamq.
package pgtest

import (
	"crypto/rand"
	"database/sql"
	"fmt"
	"math/big"
	"net/url"
	"os"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// EnvURL is the environment variable that names the test server.
const EnvURL = "IAMQ_TEST_POSTGRES"

// Available reports whether a test server is configured.
func Available() bool { return os.Getenv(EnvURL) != "" }

// ServerURL returns the test server's URL, skipping (or, under CI, failing)
// the test when there is none.
func ServerURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(EnvURL)
	if u == "" {
		if os.Getenv("CI") != "" {
			t.Fatal(EnvURL + " is not set under CI: scripts/test.sh starts a PostgreSQL server and sets it")
		}
		t.Skip(EnvURL + " is not set (scripts/test.sh sets it)")
	}
	return u
}

// SchemaURL creates a fresh schema on the test server and returns the URL
// that selects it (search_path); the schema is dropped when the test ends.
func SchemaURL(t testing.TB) string {
	t.Helper()
	base := ServerURL(t)
	n, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	if err != nil {
		t.Fatal(err)
	}
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
