package postgres

import (
	"context"
	"database/sql"
	"testing"

	"github.com/iamq/iamq/internal/store/postgres/pgtest"
)

// TestRelaxTxIsLocal shows that RelaxTx turns synchronous_commit off in the
// decision log's transaction only: the same connection commits the next
// transaction (a configuration write) with it on again.
func TestRelaxTxIsLocal(t *testing.T) {
	ctx := context.Background()
	db, err := sql.Open("pgx", pgtest.ServerURL(t)) // the driver postgres.go registers
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // every statement below on the same connection
	show := func(q interface {
		QueryRowContext(context.Context, string, ...any) *sql.Row
	}) string {
		t.Helper()
		var v string
		if err := q.QueryRowContext(ctx, `SHOW synchronous_commit`).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	if got := show(db); got != "on" {
		t.Fatalf("synchronous_commit before = %q, want on", got)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := (dialect{}).RelaxTx(ctx, tx); err != nil {
		t.Fatal(err)
	}
	if got := show(tx); got != "off" {
		t.Fatalf("synchronous_commit in the log's transaction = %q, want off", got)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := show(db); got != "on" {
		t.Fatalf("synchronous_commit after = %q, want on", got)
	}
}
