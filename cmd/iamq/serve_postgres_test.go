package main

import (
	"crypto/rand"
	"database/sql"
	"fmt"
	"math/big"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver, to create a schema
)

// postgresSchemaURL returns IAMQ_TEST_POSTGRES with a fresh schema selected
// (dropped when the test ends); without the variable the test is skipped,
// or fails under CI, where scripts/test.sh always starts a server.
func postgresSchemaURL(t *testing.T) string {
	t.Helper()
	base := os.Getenv("IAMQ_TEST_POSTGRES")
	if base == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("IAMQ_TEST_POSTGRES is not set under CI")
		}
		t.Skip("IAMQ_TEST_POSTGRES is not set (scripts/test.sh sets it)")
	}
	n, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	schema := fmt.Sprintf("serve_%x", n)
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

// TestServePostgresTwoNodes: two 'iamq serve' processes share one database
// and one key file; the root key the first node created works on the second.
func TestServePostgresTwoNodes(t *testing.T) {
	storeURL := postgresSchemaURL(t)
	keyFile := filepath.Join(t.TempDir(), "secret.key")
	env := map[string]string{"IAMQ_STORE": storeURL, "IAMQ_KEY_FILE": keyFile}
	dirA, dirB := t.TempDir(), t.TempDir()
	a := startServe(t, dirA, env)
	if !strings.Contains(a.out.String(), "store: postgres ") || !strings.Contains(a.out.String(), "search_path=serve_") {
		t.Errorf("banner does not name the PostgreSQL store:\n%s", a.out)
	}
	key, err := readCredentials(filepath.Join(dirA, "credentials"), profileName)
	if err != nil || key.ID == "" {
		t.Fatalf("node A's credentials: %+v, %v", key, err)
	}
	account := accountRE.FindStringSubmatch(a.out.String())[1]

	b := startServe(t, dirB, env, "--root-access-key-id", key.ID, "--root-secret-access-key", key.Secret)
	if !strings.Contains(b.out.String(), "default account "+account) {
		t.Errorf("node B chose another default account:\n%s", b.out)
	}
	for _, s := range []*serving{a, b} {
		out, err := callerIdentity(t, s.endpoint, key.ID, key.Secret)
		if err != nil || aws.ToString(out.Account) != account {
			t.Fatalf("GetCallerIdentity at %s = %v, %v, want account %s", s.endpoint, out, err, account)
		}
	}
}
