package managed

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/internal/store/postgres"
	"github.com/iamq/iamq/internal/store/postgres/pgtest"
)

// TestRegistryAcrossNodes: two stores on one PostgreSQL schema stand for
// two nodes; a version published on one is in force on the other within
// about a second (its registry follows the change sequence's
// notifications). Needs the test command's PostgreSQL (pgtest).
func TestRegistryAcrossNodes(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dsn := pgtest.SchemaURL(t)
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
	// The node's one follower of the change sequence keeps it in step.
	changes := store.NewFollower(nodeB)
	changes.Subscribe(follower.Apply)
	if err := changes.Start(ctx, nil); err != nil {
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

	// A sync of AWS's snapshot (one transaction, two steps) is followed too.
	file, err := os.ReadFile("testdata/sync/mq-full-v6.json")
	if err != nil {
		t.Fatal(err)
	}
	if res, err := publisher.Sync(ctx, file, SyncOptions{}); err != nil || len(res.Synced) != 1 {
		t.Fatalf("Sync = %+v, %v", res, err)
	}
	deadline := time.Now().Add(3 * time.Second)
	for v, _, _ := follower.DefaultVersion(ctx, mqFull); v != "v6"; v, _, _ = follower.DefaultVersion(ctx, mqFull) {
		if time.Now().After(deadline) {
			t.Fatalf("the other node's AmazonMQFullAccess is %s 3 s after the sync, want AWS's v6", v)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
