package store_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/internal/store/sqlite"
)

func TestCursor(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := sqlite.Open(ctx, filepath.Join(dir, "iamq.db"), store.Options{KeyFile: filepath.Join(dir, "key")})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	createUser := func(name string) {
		t.Helper()
		if err := st.Update(ctx, "111122223333", func(tx store.Tx) error {
			_, err := tx.CreateUser(store.User{Name: name, Path: "/"})
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.CreateAccount(ctx, store.Account{ID: "111122223333"}); err != nil {
		t.Fatal(err)
	}
	createUser("before")

	late := store.NewCursor(st)
	if err := late.SkipToEnd(ctx); err != nil {
		t.Fatal(err)
	}
	var names []string
	collect := func(cs []store.Change) {
		for _, c := range cs {
			if c.Kind == store.KindUser {
				names = append(names, c.Name)
			}
		}
	}
	if err := late.Sync(ctx, collect); err != nil || len(names) != 0 {
		t.Fatalf("Sync after SkipToEnd = %v, %v; want nothing", names, err)
	}
	createUser("a")
	createUser("b")
	if err := late.Sync(ctx, collect); err != nil || len(names) != 2 || names[0] != "a" || names[1] != "b" {
		t.Fatalf("Sync = %v, %v; want [a b]", names, err)
	}

	// A Follower delivers a change committed after it started, without a Sync.
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	seen := make(chan string, 10)
	follower := store.NewFollower(st)
	follower.Subscribe(func(cs []store.Change) {
		for _, c := range cs {
			seen <- c.Name
		}
	})
	if err := follower.Start(runCtx, nil); err != nil {
		t.Fatal(err)
	}
	createUser("c")
	select {
	case name := <-seen:
		if name != "c" {
			t.Errorf("Follower delivered %q, want c", name)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Follower delivered nothing within 5 s")
	}
}
