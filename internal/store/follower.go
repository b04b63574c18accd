package store

import (
	"context"
	"log/slog"
	"sync"
)

// Follower is a process's one reader of a store's change sequence: it passes
// every change, in order and once, to each cache that subscribed — the
// endpoint's credentials, the authorizer's compiled policy sets, the
// published AWS managed policies — so that they all move together. A write
// this process served is seen at once through [Follower.Sync]; the writes of
// other nodes within a second through the background reading that
// [Follower.Start] begins.
type Follower struct {
	cursor *Cursor
	mu     sync.RWMutex
	subs   []func([]Change)
}

// NewFollower returns a follower of st that has subscribers yet to be added.
func NewFollower(st Store) *Follower { return &Follower{cursor: NewCursor(st)} }

// Subscribe adds apply to the caches the follower fans changes out to.
// apply must be quick and must not call back into the follower.
func (f *Follower) Subscribe(apply func([]Change)) {
	f.mu.Lock()
	f.subs = append(f.subs, apply)
	f.mu.Unlock()
}

// Start moves past the changes committed so far (the caches have just
// loaded everything) and follows the sequence in the background until ctx
// ends, logging read failures to log (nil: none) and retrying.
func (f *Follower) Start(ctx context.Context, log *slog.Logger) error {
	if err := f.cursor.SkipToEnd(ctx); err != nil {
		return err
	}
	go f.cursor.Follow(ctx, f.apply, log)
	return nil
}

// Sync passes every subscriber the changes committed since the last it saw:
// the endpoint calls it after each write it serves, so that the very next
// request is decided on the new state.
func (f *Follower) Sync(ctx context.Context) error { return f.cursor.Sync(ctx, f.apply) }

func (f *Follower) apply(changes []Change) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	for _, apply := range f.subs {
		apply(changes)
	}
}
