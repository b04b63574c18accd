package authz

import (
	"context"
	"sync"
	"time"

	"github.com/iamq/iamq/internal/store"
)

// keyUses collects each access key's latest use in memory, off the store:
// GetAccessKeyLastUsed may be a few seconds late, a request is never slowed
// by a write.
type keyUses struct {
	mu      sync.Mutex
	pending map[string]store.KeyUse
}

// record notes a use of an issued key.
func (k *keyUses) record(id string, t time.Time, service, region string) {
	k.mu.Lock()
	if k.pending == nil {
		k.pending = make(map[string]store.KeyUse)
	}
	k.pending[id] = store.KeyUse{AccessKeyID: id, Time: t, Service: service, Region: region}
	k.mu.Unlock()
}

// take returns and forgets the uses collected so far.
func (k *keyUses) take() []store.KeyUse {
	k.mu.Lock()
	defer k.mu.Unlock()
	if len(k.pending) == 0 {
		return nil
	}
	out := make([]store.KeyUse, 0, len(k.pending))
	for _, u := range k.pending {
		out = append(out, u)
	}
	clear(k.pending)
	return out
}

// DefaultKeyUseInterval is how often RecordUses writes.
const DefaultKeyUseInterval = 2 * time.Second

// RecordUse notes that the issued key id signed a call to service in region
// at t; RecordUses writes it.
func (c *Credentials) RecordUse(id string, t time.Time, service, region string) {
	c.uses.record(id, t, service, region)
}

// RecordUses writes the access keys' latest uses to the store
// (GetAccessKeyLastUsed) every interval (0 means DefaultKeyUseInterval) in one
// write, until ctx ends, and once more then. A failed write is logged and its
// uses dropped: a key's last use is a hint, not a record of configuration.
func (c *Credentials) RecordUses(ctx context.Context, interval time.Duration) {
	if interval <= 0 {
		interval = DefaultKeyUseInterval
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			c.flushKeyUses(ctx)
		case <-ctx.Done():
			c.flushKeyUses(context.WithoutCancel(ctx))
			return
		}
	}
}

func (c *Credentials) flushKeyUses(ctx context.Context) {
	uses := c.uses.take()
	if len(uses) == 0 {
		return
	}
	if err := c.store.RecordKeyUse(ctx, uses); err != nil {
		c.opts.Logger.Warn("recording access key uses", "keys", len(uses), "err", err)
	}
}
