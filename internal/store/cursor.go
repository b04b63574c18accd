package store

import (
	"context"
	"sync"
)

// Cursor reads a store's change sequence in order, from a position on: what
// a cache that must follow every node's changes needs (the authorizer's
// compiled policies, the published AWS managed policy versions). It is safe
// for concurrent use; reads through one cursor are serialized.
type Cursor struct {
	st   Store
	mu   sync.Mutex
	seen int64 // the last change number passed to apply
}

// NewCursor returns a cursor before the first change of st.
func NewCursor(st Store) *Cursor { return &Cursor{st: st} }

// SkipToEnd moves the cursor past every change committed so far: a cache
// that has just loaded everything has nothing to catch up on.
func (c *Cursor) SkipToEnd(ctx context.Context) error {
	seq, err := c.st.LastSeq(ctx)
	if err != nil {
		return err
	}
	c.mu.Lock()
	c.seen = max(c.seen, seq)
	c.mu.Unlock()
	return nil
}

// Sync passes apply the changes committed since the cursor's position, in
// order and in batches, and advances past them. Changes that were pruned
// before the cursor read them are passed as one Change of KindAll and
// OpPruned: everything may have changed.
func (c *Cursor) Sync(ctx context.Context, apply func([]Change)) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for {
		changes, err := c.st.Changes(ctx, c.seen, 1000)
		if err != nil {
			return err
		}
		if len(changes) == 0 {
			return nil
		}
		if first := changes[0]; first.Seq > c.seen+1 { // numbers have no gaps but pruned ones
			changes = append([]Change{{Seq: first.Seq - 1, Time: first.Time, Kind: KindAll, Op: OpPruned}}, changes...)
		}
		apply(changes)
		c.seen = changes[len(changes)-1].Seq
	}
}
