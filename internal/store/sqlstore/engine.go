package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"sync"
	"time"

	"github.com/iamq/iamq/internal/store"
)

// Dialect is what a SQL backend (store/sqlite, store/postgres) supplies to
// the shared [Engine]: the SQL text itself is common to both, written with
// $N placeholders, which both drivers accept.
type Dialect interface {
	// KeyType is the column type of case-folded name keys; its collation
	// must order by bytes (PostgreSQL: TEXT COLLATE "C"), so that lists are
	// in the same order on every backend.
	KeyType() string
	// ViewOptions are the options of read-only transactions.
	ViewOptions() *sql.TxOptions
	// LockAccount runs first in every write transaction on an account and
	// holds until it ends, serializing the account's writers (PostgreSQL: an
	// advisory transaction lock). key identifies the account.
	LockAccount(ctx context.Context, tx *sql.Tx, key int64) error
	// LockMigrations takes a lock, held on conn until unlock, that keeps two
	// processes from migrating at once.
	LockMigrations(ctx context.Context, conn *sql.Conn) (unlock func() error, err error)
	// Notify runs in a committing transaction that recorded changes, the
	// latest numbered seq (PostgreSQL: NOTIFY).
	Notify(ctx context.Context, tx *sql.Tx, seq int64) error
	// IsUniqueViolation reports whether err is a unique-constraint failure.
	IsUniqueViolation(err error) bool
	// IsConflict reports whether err is a lost race for a lock that a retry
	// may win (SQLite: busy; PostgreSQL: serialization failure, deadlock).
	IsConflict(err error) bool
	// Relax runs on conn, outside any transaction, before a write whose
	// commit may be lost to a power failure (but not to a crash of the
	// process): the decision log's batches. restore undoes it and runs
	// whatever the write's outcome; if it fails, conn is discarded.
	// SQLite: PRAGMA synchronous=NORMAL, then FULL again. PostgreSQL:
	// nothing (its commit's fsync is the database server's CPU, not
	// iamq's, and compatible databases may refuse synchronous_commit).
	Relax(ctx context.Context, conn *sql.Conn) (restore func(context.Context) error, err error)
}

// Engine is the store behind both SQL backends: one schema, one set of
// queries. Writers go to writer (SQLite: one connection), readers to reader.
type Engine struct {
	writer, reader *sql.DB
	d              Dialect
	sealer         *Sealer
	now            func() time.Time
	log            *slog.Logger

	mu   sync.Mutex
	subs map[chan int64]struct{}

	packs sync.Pool // *[]byte: AppendAudit's buffers, reused from batch to batch
}

var _ store.Store = (*Engine)(nil)

// New applies the embedded migrations and returns the engine. writer and
// reader may be the same pool. The caller closes them after Close.
func New(ctx context.Context, writer, reader *sql.DB, d Dialect, o store.Options) (*Engine, error) {
	key, err := LoadKey(o)
	if err != nil {
		return nil, err
	}
	sealer, err := NewSealer(key)
	if err != nil {
		return nil, err
	}
	s := &Engine{writer: writer, reader: reader, d: d, sealer: sealer, now: o.Now, log: o.Logger,
		subs: map[chan int64]struct{}{}}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if err := s.migrate(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// Close ends every subscription. The backend closes the pools.
func (s *Engine) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for ch := range s.subs {
		close(ch)
		delete(s.subs, ch)
	}
	return nil
}

// accountKey maps an account id to the 64-bit key of its write lock.
func accountKey(account string) int64 {
	h := fnv.New64a()
	h.Write([]byte("iamq-account:" + account))
	return int64(h.Sum64())
}

// View runs fn in a read-only transaction on account.
func (s *Engine) View(ctx context.Context, account string, fn func(store.Tx) error) error {
	tx, err := s.reader.BeginTx(ctx, s.d.ViewOptions())
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer tx.Rollback()
	t := &sqlTx{ctx: ctx, s: s, tx: tx}
	if t.acct, err = t.loadAccount(account); err != nil {
		return err
	}
	return fn(t)
}

// Update runs fn in a write transaction on account and commits it.
func (s *Engine) Update(ctx context.Context, account string, fn func(store.Tx) error) error {
	return s.write(ctx, account, func(t *sqlTx) error {
		var err error
		if t.acct, err = t.loadAccount(account); err != nil {
			return err
		}
		return fn(t)
	})
}

// write runs fn in a write transaction that holds account's lock (account
// "" locks nothing), records fn's changes and commits.
func (s *Engine) write(ctx context.Context, account string, fn func(*sqlTx) error) error {
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return s.dbError(err)
	}
	return s.writeTx(ctx, tx, account, fn)
}

// writeRelaxed is write for the decision log's batches: their commit may be
// lost to a power failure (not to a crash of the process), which spares
// the commit's fsync. The durability of every other write is untouched:
// the relaxation is set on the writer connection only around this
// transaction ([Dialect.Relax]).
func (s *Engine) writeRelaxed(ctx context.Context, fn func(*sqlTx) error) (err error) {
	conn, err := s.writer.Conn(ctx)
	if err != nil {
		return s.dbError(err)
	}
	defer conn.Close()
	restore, err := s.d.Relax(ctx, conn)
	if err != nil {
		return s.dbError(err)
	}
	defer func() {
		// Restored even when ctx is done; a connection left relaxed is
		// discarded rather than reused by a configuration write.
		if rerr := restore(context.WithoutCancel(ctx)); rerr != nil {
			conn.Raw(func(any) error { return driver.ErrBadConn })
			err = errors.Join(err, s.dbError(rerr))
		}
	}()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return s.dbError(err)
	}
	return s.writeTx(ctx, tx, "", fn)
}

// writeTx runs fn in tx, which holds account's lock (account "" locks
// nothing), records fn's changes and commits.
func (s *Engine) writeTx(ctx context.Context, tx *sql.Tx, account string, fn func(*sqlTx) error) error {
	defer tx.Rollback()
	if account != "" {
		if err := s.d.LockAccount(ctx, tx, accountKey(account)); err != nil {
			return s.dbError(err)
		}
	}
	t := &sqlTx{ctx: ctx, s: s, tx: tx, writable: true}
	if err := fn(t); err != nil {
		return err
	}
	last, err := t.recordChanges()
	if err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return s.dbError(err)
	}
	if last > 0 {
		s.Publish(last)
	}
	return nil
}

// recordChanges numbers the transaction's changes and writes them. The
// counter row is updated last, so its row lock is held only briefly and
// commits are numbered in commit order: a reader that has seen change N
// never later finds a committed change below N.
func (t *sqlTx) recordChanges() (int64, error) {
	n := len(t.changes)
	if n == 0 {
		return 0, nil
	}
	var last int64
	if err := t.tx.QueryRowContext(t.ctx,
		`UPDATE change_counter SET seq = seq + $1 WHERE id = 1 RETURNING seq`, n).Scan(&last); err != nil {
		return 0, fmt.Errorf("store: change sequence: %w", err)
	}
	for i, c := range t.changes {
		seq := last - int64(n) + int64(i) + 1
		if _, err := t.tx.ExecContext(t.ctx,
			`INSERT INTO changes (seq, at, account, kind, op, name) VALUES ($1, $2, $3, $4, $5, $6)`,
			seq, c.Time.UnixNano(), c.AccountID, string(c.Kind), string(c.Op), c.Name); err != nil {
			return 0, fmt.Errorf("store: change record: %w", err)
		}
	}
	if err := t.s.d.Notify(t.ctx, t.tx, last); err != nil {
		return 0, fmt.Errorf("store: notify: %w", err)
	}
	return last, nil
}

// Publish tells this process's subscribers that changes up to seq exist.
// Backends call it when another node announces a change.
func (s *Engine) Publish(seq int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for ch := range s.subs {
		// Coalesce: drop a stale pending value, keep the newest.
		select {
		case old := <-ch:
			if old > seq {
				seq = old
			}
		default:
		}
		ch <- seq
	}
}

// Subscribe returns a channel of the latest change numbers.
func (s *Engine) Subscribe(ctx context.Context) <-chan int64 {
	ch := make(chan int64, 1)
	s.mu.Lock()
	s.subs[ch] = struct{}{}
	s.mu.Unlock()
	go func() {
		<-ctx.Done()
		s.mu.Lock()
		defer s.mu.Unlock()
		if _, ok := s.subs[ch]; ok {
			delete(s.subs, ch)
			close(ch)
		}
	}()
	return ch
}

// Changes returns up to limit changes after seq.
func (s *Engine) Changes(ctx context.Context, after int64, limit int) ([]store.Change, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("%w: Changes limit %d", store.ErrInvalid, limit)
	}
	rows, err := s.reader.QueryContext(ctx,
		`SELECT seq, at, account, kind, op, name FROM changes WHERE seq > $1 ORDER BY seq LIMIT $2`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("store: changes: %w", err)
	}
	defer rows.Close()
	var out []store.Change
	for rows.Next() {
		var c store.Change
		var at int64
		var kind, op string
		if err := rows.Scan(&c.Seq, &at, &c.AccountID, &kind, &op, &c.Name); err != nil {
			return nil, fmt.Errorf("store: changes: %w", err)
		}
		c.Time, c.Kind, c.Op = fromNanos(at), store.Kind(kind), store.Op(op)
		out = append(out, c)
	}
	return out, rows.Err()
}

// PruneChanges deletes the changes recorded before tm, except the latest
// (which LastSeq's readers and gap detection rely on).
func (s *Engine) PruneChanges(ctx context.Context, tm time.Time) (int, error) {
	var n int64
	err := s.write(ctx, "", func(t *sqlTx) error {
		r, err := t.exec(`DELETE FROM changes WHERE at < $1 AND seq < (SELECT seq FROM change_counter WHERE id = 1)`, nanos(tm))
		if err != nil {
			return err
		}
		n, err = r.RowsAffected()
		return err
	})
	return int(n), err
}

// LastSeq returns the latest change number.
func (s *Engine) LastSeq(ctx context.Context) (int64, error) {
	var seq int64
	err := s.reader.QueryRowContext(ctx, `SELECT seq FROM change_counter WHERE id = 1`).Scan(&seq)
	if err != nil {
		return 0, fmt.Errorf("store: last change: %w", err)
	}
	return seq, nil
}

// sqlTx is a transaction of the engine; it implements store.Tx.
type sqlTx struct {
	ctx      context.Context
	s        *Engine
	tx       *sql.Tx
	acct     store.Account
	writable bool
	changes  []store.Change
}

// changed records a change to be numbered at commit.
func (t *sqlTx) changed(kind store.Kind, op store.Op, name string) {
	t.changes = append(t.changes, store.Change{Time: t.s.now().UTC(), AccountID: t.acct.ID, Kind: kind, Op: op, Name: name})
}

// mustWrite refuses writes in a View.
func (t *sqlTx) mustWrite() error {
	if !t.writable {
		return fmt.Errorf("%w: write in a read-only transaction", store.ErrInvalid)
	}
	return nil
}

// exec runs a statement.
func (t *sqlTx) exec(query string, args ...any) (sql.Result, error) {
	if err := t.mustWrite(); err != nil {
		return nil, err
	}
	r, err := t.tx.ExecContext(t.ctx, query, args...)
	if err != nil {
		if t.s.d.IsUniqueViolation(err) {
			// Only a race across accounts gets here (an alias, an
			// explicit access key id): the pre-checks catch the rest. The
			// database's text stays out of the message a client reads.
			return nil, fmt.Errorf("%w: The entity already exists.", store.ErrAlreadyExists)
		}
		return nil, t.s.dbError(err)
	}
	return r, nil
}

// dbError wraps a database error: a lost race for a lock is ErrConflict,
// which the API answers as ConcurrentModification; anything else is an
// internal failure, whose text the server logs and does not return.
func (s *Engine) dbError(err error) error {
	if s.d.IsConflict(err) {
		return fmt.Errorf("%w: The request was rejected because it conflicted with another one; retry it.", store.ErrConflict)
	}
	return fmt.Errorf("store: %w", err)
}

// count runs a query that returns one integer.
func (t *sqlTx) count(query string, args ...any) (int, error) {
	var n int
	if err := t.tx.QueryRowContext(t.ctx, query, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: %w", err)
	}
	return n, nil
}

// queryRow runs a query for one row; no row is ErrNotFound with msg.
func (t *sqlTx) queryRow(msg string, dest []any, query string, args ...any) error {
	err := t.tx.QueryRowContext(t.ctx, query, args...).Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w: %s", store.ErrNotFound, msg)
	}
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return nil
}

// Account returns the transaction's account.
func (t *sqlTx) Account() store.Account { return t.acct }

// nanos and fromNanos convert times to the stored form, UTC nanoseconds; the
// zero time is 0.
func nanos(tm time.Time) int64 {
	if tm.IsZero() {
		return 0
	}
	return tm.UnixNano()
}

func fromNanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// boolInt stores a bool as 0 or 1 (portable between the backends).
func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
