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

// changeRetention is how long the store keeps a change record. Caches read
// the change sequence within a second; one that falls further behind than
// this is told that everything changed (store.Cursor), so the records are
// kept only for the slowest of them.
const changeRetention = 24 * time.Hour

// sweepInterval is how often 'iamq serve' sweeps.
const sweepInterval = time.Hour

// sweep deletes the temporary keys that expired more than expiredKeyGrace
// ago and the change records older than changeRetention, now and then every
// interval, until ctx ends. Every node may run it: the deletes are
// idempotent.
func sweep(ctx context.Context, st store.Store, interval time.Duration, log *slog.Logger) {
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

// sweepOnce sweeps as things stand at now, logging what it did.
func sweepOnce(ctx context.Context, st store.Store, now time.Time, log *slog.Logger) {
	n, err := st.DeleteExpiredKeys(ctx, now.Add(-expiredKeyGrace))
	logSwept(ctx, log, "expired temporary keys", n, err)
	n, err = st.PruneChanges(ctx, now.Add(-changeRetention))
	logSwept(ctx, log, "old change records", n, err)
}

func logSwept(ctx context.Context, log *slog.Logger, what string, n int, err error) {
	switch {
	case err != nil && ctx.Err() == nil:
		log.Warn("deleting "+what, "err", err)
	case n > 0:
		log.Info("deleted "+what, "count", n)
	}
}
