package store

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// Follower is a process's one reader of a store's change sequence: it passes
// every change, in order and once, to each cache that subscribed — the
// endpoint's credentials, the authorizer's compiled policy sets, the
// published AWS managed policies — so that they all move together. A write
// this process served is seen at once through [Follower.Sync]; the writes of
// other nodes within a second through the background reading that
// [Follower.Start] begins.
//
// A follower that failed to read the sequence (the store unreachable, a
// PostgreSQL restart) is behind: it may have missed other nodes' changes,
// so [Follower.Current] makes the next request catch up first, and
// [Follower.Healthy] says so until it has.
type Follower struct {
	cursor *Cursor
	mu     sync.RWMutex
	subs   []func([]Change)
	behind atomic.Pointer[error] // the last read's failure; nil when caught up
}

// ErrBehind reports a follower that could not read the change sequence: the
// caches may not hold every node's latest changes.
var ErrBehind = errors.New("store: behind the change sequence")

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
	go f.follow(ctx, log)
	return nil
}

// follow syncs whenever the store announces a change (on PostgreSQL, one
// committed by any node) and every second as a safety net should an
// announcement be lost, until ctx ends. A failure is logged once, when the
// follower falls behind, and retried.
func (f *Follower) follow(ctx context.Context, log *slog.Logger) {
	changed := f.cursor.st.Subscribe(ctx)
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-changed:
		case <-tick.C:
		}
		wasBehind := f.Healthy() != nil
		err := f.Sync(ctx)
		switch {
		case ctx.Err() != nil || log == nil:
		case err != nil && !wasBehind:
			log.Warn("following the change sequence failed; requests wait for it to catch up", "err", err)
		case err == nil && wasBehind:
			log.Info("caught up with the change sequence")
		}
	}
}

// Sync passes every subscriber the changes committed since the last it saw:
// the endpoint calls it after each write it serves, so that the very next
// request is decided on the new state. A failure leaves the follower behind
// until a Sync succeeds.
func (f *Follower) Sync(ctx context.Context) error {
	err := f.cursor.Sync(ctx, f.apply)
	if err != nil {
		err = errors.Join(ErrBehind, err)
		f.behind.Store(&err)
		return err
	}
	f.behind.Store(nil)
	return nil
}

// Current returns nil at once when the follower is caught up; when it is
// behind, it syncs first. The endpoint calls it before every request, so
// that a node that lost the store answers nothing from stale caches and,
// once the store is back, catches up before it answers again.
func (f *Follower) Current(ctx context.Context) error {
	if f.behind.Load() == nil {
		return nil
	}
	return f.Sync(ctx)
}

// Healthy returns nil, or the failure that left the follower behind.
func (f *Follower) Healthy() error {
	if err := f.behind.Load(); err != nil {
		return *err
	}
	return nil
}

func (f *Follower) apply(changes []Change) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	for _, apply := range f.subs {
		apply(changes)
	}
}
