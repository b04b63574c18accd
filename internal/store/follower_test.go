package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/internal/store/sqlite"
)

// flakyStore fails its reads of the change sequence while down is set, as a
// PostgreSQL store does while the server restarts.
type flakyStore struct {
	store.Store
	down atomic.Bool
}

var errDown = errors.New("connection refused")

func (s *flakyStore) Changes(ctx context.Context, after int64, limit int) ([]store.Change, error) {
	if s.down.Load() {
		return nil, errDown
	}
	return s.Store.Changes(ctx, after, limit)
}

// TestFollowerBehind: a follower that could not read the sequence is
// behind — unhealthy, and Current fails — until a read succeeds; then
// Current has delivered the changes it missed.
func TestFollowerBehind(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	inner, err := sqlite.Open(ctx, filepath.Join(dir, "iamq.db"), store.Options{KeyFile: filepath.Join(dir, "key")})
	if err != nil {
		t.Fatal(err)
	}
	defer inner.Close()
	st := &flakyStore{Store: inner}
	if _, err := st.CreateAccount(ctx, store.Account{ID: "111122223333"}); err != nil {
		t.Fatal(err)
	}
	f := store.NewFollower(st)
	var names []string
	f.Subscribe(func(cs []store.Change) {
		for _, c := range cs {
			names = append(names, c.Name)
		}
	})
	if err := f.Current(ctx); err != nil || f.Healthy() != nil {
		t.Fatalf("a new follower: Current = %v, Healthy = %v; want nil, nil", err, f.Healthy())
	}

	st.down.Store(true)
	if err := f.Sync(ctx); !errors.Is(err, store.ErrBehind) || !errors.Is(err, errDown) {
		t.Fatalf("Sync while down = %v, want ErrBehind and the cause", err)
	}
	if err := f.Healthy(); !errors.Is(err, errDown) {
		t.Errorf("Healthy while behind = %v, want the cause", err)
	}
	if err := st.Update(ctx, "111122223333", func(tx store.Tx) error {
		_, err := tx.CreateUser(store.User{Name: "missed", Path: "/"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if err := f.Current(ctx); !errors.Is(err, store.ErrBehind) {
		t.Fatalf("Current while down = %v, want ErrBehind", err)
	}

	st.down.Store(false)
	if err := f.Current(ctx); err != nil || f.Healthy() != nil {
		t.Fatalf("Current after the store came back = %v (healthy: %v), want nil", err, f.Healthy())
	}
	if len(names) == 0 || names[len(names)-1] != "missed" {
		t.Errorf("changes delivered on catching up = %v, want the user 'missed' last", names)
	}
}
