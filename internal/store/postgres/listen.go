package postgres

import (
	"context"
	"log/slog"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
)

// PollInterval bounds how late a node learns of another node's change when
// a notification is lost (while the listener reconnects, say).
const PollInterval = time.Second

// listener follows other nodes' changes: LISTEN on a dedicated connection,
// and a poll of the change counter every PollInterval as a safety net.
type listener struct {
	cfg     *pgx.ConnConfig
	channel string
	store   *Store
	log     *slog.Logger
	last    int64
}

// run listens until ctx ends, reconnecting after failures.
func (l *listener) run(ctx context.Context) {
	if l.log == nil {
		l.log = slog.New(slog.DiscardHandler)
	}
	wait := minReconnectWait
	for ctx.Err() == nil {
		began := time.Now()
		err := l.listen(ctx)
		if ctx.Err() != nil {
			return
		}
		if time.Since(began) > maxReconnectWait {
			wait = minReconnectWait // it had been listening: start the backoff afresh
		}
		l.log.Warn("store: change listener failed; reconnecting", "err", err, "after", wait)
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
		wait = min(2*wait, maxReconnectWait)
	}
}

// The listener's reconnection backoff: while the server is down it tries
// again after 250 ms, then twice as long each time, up to 5 s. (Missed
// changes are not lost meanwhile: the process's follower reads the change
// sequence every second.)
const (
	minReconnectWait = 250 * time.Millisecond
	maxReconnectWait = 5 * time.Second
)

// listen holds one connection until it fails.
func (l *listener) listen(ctx context.Context) error {
	conn, err := pgx.ConnectConfig(ctx, l.cfg)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{l.channel}.Sanitize()); err != nil {
		return err
	}
	for {
		wctx, cancel := context.WithTimeout(ctx, PollInterval)
		n, err := conn.WaitForNotification(wctx)
		cancel()
		switch {
		case ctx.Err() != nil:
			return nil
		case err == nil:
			if seq, perr := strconv.ParseInt(n.Payload, 10, 64); perr == nil {
				l.publish(seq)
			}
		case wctx.Err() != nil:
			// Timed out: poll, in case a notification was missed.
			if seq, err := l.store.LastSeq(ctx); err == nil {
				l.publish(seq)
			}
		default:
			return err
		}
	}
}

// publish passes a newer change number to the store's subscribers.
func (l *listener) publish(seq int64) {
	if seq > l.last {
		l.last = seq
		l.store.Publish(seq)
	}
}
