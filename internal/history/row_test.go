package history

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/iamq/iamq/internal/store"
)

// TestRow checks that an entry stored through Row, as a publisher does in
// its own transaction, reads back as Append would have stored it.
func TestRow(t *testing.T) {
	h := openHistory(t)
	e := Entry{ID: fullAccess + "#v6", Service: "mq", PolicyARN: fullAccess, PolicyName: "AmazonMQFullAccess", Version: "v6",
		Kind: AddedPermissions, Description: "Added 1 action (mq:X).", Date: time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC),
		Source: "test", Since: "v5", Added: 1, Diff: &Diff{Added: []string{"mq:X"}}}
	row, err := e.Row()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.st.AppendHistory(context.Background(), []store.HistoryEntry{row}); err != nil {
		t.Fatal(err)
	}
	got, err := h.Entry(context.Background(), e.ID)
	if err != nil || got.Description != e.Description || got.Diff == nil || got.Diff.Added[0] != "mq:X" {
		t.Fatalf("Entry = %+v, %v; want the entry stored through Row", got, err)
	}
	bad := e
	bad.Kind = "nonsense"
	if _, err := bad.Row(); !errors.Is(err, ErrInvalid) {
		t.Fatalf("Row(bad kind) = %v, want ErrInvalid", err)
	}
}
