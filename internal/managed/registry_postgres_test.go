package managed

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, to make a schema per test

	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/internal/store/postgres"
)

// TestRegistryAcrossNodes: two stores on one PostgreSQL schema stand for
// two nodes; a version published on one is in force on the other within
// about a second (its registry follows the change sequence's
// notifications). Runs when IAMQ_TEST_POSTGRES names a server.
func TestRegistryAcrossNodes(t *testing.T) {
	base := os.Getenv("IAMQ_TEST_POSTGRES")
	if base == "" {
		t.Skip("IAMQ_TEST_POSTGRES is not set")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dsn := pgSchema(t, base)
	open := func() store.Store {
		st, err := postgres.Open(ctx, dsn, store.Options{Key: make([]byte, 32)})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	nodeA, nodeB := open(), open()
	lib := Builtin()
	publisher, follower := NewRegistry(lib, nodeA, RegistryOptions{}), NewRegistry(lib, nodeB, RegistryOptions{})
	if err := follower.Start(ctx); err != nil {
		t.Fatal(err)
	}
	told := make(chan struct{}, 10)
	follower.OnChange(func() { told <- struct{}{} })
	start := time.Now()
	if _, err := publisher.Publish(ctx, mqReadOnly, describeOnly, true); err != nil {
		t.Fatal(err)
	}
	select {
	case <-told:
	case <-time.After(3 * time.Second):
		t.Fatal("the other node did not take in the published version within 3 s")
	}
	if v, doc, err := follower.DefaultVersion(ctx, mqReadOnly); err != nil || v != "v3" || doc != describeOnly {
		t.Fatalf("other node's DefaultVersion = %s, %v; want v3", v, err)
	}
	t.Logf("in force on the other node after %v", time.Since(start))
}

// pgSchema creates a schema dropped when the test ends and returns base
// with its search_path.
func pgSchema(t *testing.T, base string) string {
	t.Helper()
	schema := fmt.Sprintf("managed_%d_%d", os.Getpid(), time.Now().UnixNano())
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
