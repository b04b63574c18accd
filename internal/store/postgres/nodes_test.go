package postgres_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/internal/store/postgres"
)

// TestTwoNodes opens two nodes on one schema at once (both migrate) and
// shows that a change on one reaches the other's subscribers within a
// second, through LISTEN/NOTIFY.
func TestTwoNodes(t *testing.T) {
	ctx := context.Background()
	u := schemaURL(t)
	nodes := make([]*postgres.Store, 4)
	errs := make([]error, len(nodes))
	var wg sync.WaitGroup
	for i := range nodes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			nodes[i], errs[i] = postgres.Open(ctx, u, store.Options{Key: testKey})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("Open node %d at once: %v", i, err)
		}
		t.Cleanup(func() { nodes[i].Close() })
	}
	a, b := nodes[0], nodes[1]
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	notes := b.Subscribe(sctx)
	time.Sleep(100 * time.Millisecond) // let b's listener connect

	const acct = "111122223333"
	if _, err := a.CreateAccount(ctx, store.Account{ID: acct}); err != nil {
		t.Fatal(err)
	}
	var key store.AccessKey
	err := a.Update(ctx, acct, func(tx store.Tx) error {
		var err error
		key, err = tx.CreateAccessKey(store.AccessKey{Owner: store.EntityRef{Kind: store.KindAccount}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := a.LastSeq(ctx)
	deadline := time.After(time.Second)
	for got := int64(0); got < want; {
		select {
		case got = <-notes:
		case <-deadline:
			t.Fatalf("node b did not learn of change %d within 1s (last seen %d)", want, got)
		}
	}
	got, err := b.AccessKey(ctx, key.ID)
	if err != nil || got.Secret != key.Secret {
		t.Fatalf("node b AccessKey = %+v, %v; want the secret node a made", got, err)
	}
}

// TestOpenAtOnceWithoutAdvisoryLocks: four nodes opening one fresh schema at
// once, without advisory locks around the migrations, all start.
func TestOpenAtOnceWithoutAdvisoryLocks(t *testing.T) {
	u := schemaURL(t) + "&iamq_advisory_locks=off"
	errs := make([]error, 4)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Go(func() {
			s, err := postgres.Open(context.Background(), u, store.Options{Key: testKey})
			if err == nil {
				t.Cleanup(func() { s.Close() })
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("Open node %d at once without advisory locks: %v", i, err)
		}
	}
}
