package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"modernc.org/sqlite"
)

// TestStmtCacheNested runs one query text again while rows of it are still
// open on the same connection: the busy statement must not be reused.
func TestStmtCacheNested(t *testing.T) {
	db := sql.OpenDB(connector{dsn: "file:" + filepath.Join(t.TempDir(), "c.db"), drv: &sqlite.Driver{}})
	defer db.Close()
	db.SetMaxOpenConns(1)
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, `CREATE TABLE t (n INTEGER)`); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if _, err := db.ExecContext(ctx, `INSERT INTO t (n) VALUES ($1)`, i); err != nil {
			t.Fatal(err)
		}
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	const q = `SELECT n FROM t ORDER BY n`
	outer, err := tx.QueryContext(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	var pairs int
	for outer.Next() {
		var a int
		if err := outer.Scan(&a); err != nil {
			t.Fatal(err)
		}
		inner, err := tx.QueryContext(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var seen []int
		for inner.Next() {
			var b int
			inner.Scan(&b)
			seen = append(seen, b)
		}
		inner.Close()
		if len(seen) != 3 {
			t.Fatalf("inner query saw %v, want 3 rows", seen)
		}
		pairs++
	}
	outer.Close()
	if pairs != 3 {
		t.Fatalf("outer query saw %d rows, want 3", pairs)
	}
	// The cached statement is free again.
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM t WHERE n >= $1`, 1).Scan(&n); err != nil || n != 2 {
		t.Fatalf("count = %d, %v; want 2", n, err)
	}
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM t WHERE n >= $1`, 0).Scan(&n); err != nil || n != 3 {
		t.Fatalf("count again = %d, %v; want 3", n, err)
	}
}
