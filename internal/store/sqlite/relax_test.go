package sqlite

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/iamq/iamq/internal/store"
)

// synchronous reads the writer connection's PRAGMA synchronous (1 NORMAL,
// 2 FULL); the writer pool has one connection, so it is the one every
// write uses.
func synchronous(t *testing.T, s *Store) int {
	t.Helper()
	var n int
	if err := s.writer.QueryRowContext(context.Background(), `PRAGMA synchronous`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestRelaxOnlyAroundLogBatches shows that the decision log's batches do not
// leave the writer connection at synchronous=NORMAL: configuration writes
// before and after them still run with FULL, and Relax itself switches the
// connection to NORMAL and back.
func TestRelaxOnlyAroundLogBatches(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "iamq.db"), store.Options{Key: make([]byte, store.KeySize)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.CreateAccount(ctx, store.Account{ID: "123456789012"}); err != nil {
		t.Fatal(err)
	}
	if got := synchronous(t, s); got != 2 {
		t.Fatalf("synchronous after open = %d, want 2 (FULL)", got)
	}

	conn, err := s.writer.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	restore, err := dialect{}.Relax(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := conn.QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("synchronous after Relax = %d, %v; want 1 (NORMAL)", n, err)
	}
	if err := restore(ctx); err != nil {
		t.Fatal(err)
	}
	conn.Close()

	base := time.Date(2026, 12, 3, 17, 0, 0, 0, time.UTC)
	for i, id := range []string{"a", "b", "c"} {
		rec := store.AuditRecord{ID: id, Time: base.Add(time.Duration(i) * time.Second), Account: "123456789012",
			Entity: "arn:aws:iam::123456789012:user/u", Service: "iam", Action: "iam:GetUser", Decision: "Allow",
			Event: []byte(`{"eventID":"` + id + `"}`)}
		if err := s.AppendAudit(ctx, []store.AuditRecord{rec}); err != nil {
			t.Fatal(err)
		}
		if got := synchronous(t, s); got != 2 {
			t.Fatalf("synchronous after batch %d = %d, want 2 (FULL)", i, got)
		}
		if err := s.Update(ctx, "123456789012", func(tx store.Tx) error {
			_, err := tx.CreateUser(store.User{Name: "u" + id})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if got := synchronous(t, s); got != 2 {
			t.Fatalf("synchronous after configuration write %d = %d, want 2 (FULL)", i, got)
		}
	}
	got, err := s.AuditRecords(ctx, store.AuditQuery{})
	if err != nil || len(got) != 3 {
		t.Fatalf("AuditRecords = %d records, %v; want 3", len(got), err)
	}
}
