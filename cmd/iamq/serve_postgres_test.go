package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver, to create a schema

	"github.com/iamq/iamq/internal/store/postgres/pgtest"
)

// TestServePostgresTwoNodes: two 'iamq serve' processes share one database
// and one key file; the root key the first node created works on the second.
func TestServePostgresTwoNodes(t *testing.T) {
	storeURL := pgtest.SchemaURL(t)
	keyFile := filepath.Join(t.TempDir(), "secret.key")
	env := map[string]string{"IAMQ_STORE": storeURL, "IAMQ_KEY_FILE": keyFile}
	dirA, dirB := t.TempDir(), t.TempDir()
	a := startServe(t, dirA, env)
	if !strings.Contains(a.out.String(), "store: postgres ") || !strings.Contains(a.out.String(), "search_path=t_") {
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
