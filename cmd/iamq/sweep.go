package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/iamq/iamq/internal/store"
)

// expiredKeyGrace is how long a temporary key outlives its expiry: until then
// a request signed with it is answered ExpiredToken, which tells the SDKs to
// fetch new credentials; after it, InvalidClientTokenId.
const expiredKeyGrace = 24 * time.Hour

// sweepInterval is how often 'iamq serve' deletes expired temporary keys.
const sweepInterval = time.Hour

// sweepExpiredKeys deletes the temporary keys that expired more than
// expiredKeyGrace ago, now and then every interval, until ctx ends. Every
// node may run it: the deletes are idempotent.
func sweepExpiredKeys(ctx context.Context, st store.Store, interval time.Duration, log *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		sweepOnce(ctx, st, time.Now(), log)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// sweepOnce deletes the temporary keys expired for longer than the grace at
// now, logging what it did.
func sweepOnce(ctx context.Context, st store.Store, now time.Time, log *slog.Logger) {
	n, err := st.DeleteExpiredKeys(ctx, now.Add(-expiredKeyGrace))
	switch {
	case err != nil && ctx.Err() == nil:
		log.Warn("deleting expired temporary keys", "err", err)
	case n > 0:
		log.Info("deleted expired temporary keys", "keys", n)
	}
}
