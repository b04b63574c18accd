package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/internal/store/sqlstore"
)

// MaxConns is the most connections a Store opens (besides its listener).
const MaxConns = 20

// DefaultConnectTimeout bounds a connection attempt unless the URL's
// connect_timeout sets another.
const DefaultConnectTimeout = 5 * time.Second

// migrationLock is the advisory lock key held while migrating.
const migrationLock int64 = 0x69616d71 // "iamq"

// Store is a store.Store in a PostgreSQL database shared by any number of
// iamq nodes.
type Store struct {
	*sqlstore.Engine
	db     *sql.DB
	stop   context.CancelFunc
	closed chan struct{}
}

var _ store.Store = (*Store)(nil)

// Open connects to the database at url (postgres://…; a search_path
// parameter selects the schema), applies the migrations, and listens for
// other nodes' changes. A key (o.Key or o.KeyFile) is required, the same on
// every node.
func Open(ctx context.Context, url string, o store.Options) (*Store, error) {
	url, feat, err := splitFeatures(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if cfg.ConnectTimeout == 0 {
		// An unreachable server (a dropped network) must fail a request
		// quickly, as 503, rather than hold it until the client gives up.
		cfg.ConnectTimeout = DefaultConnectTimeout
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(MaxConns)
	db.SetMaxIdleConns(MaxConns)
	var schema string
	if err := db.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: %w", err)
	}
	d := dialect{channel: "iamq_changes_" + schema, features: feat}
	engine, err := newEngine(ctx, db, d, o)
	if err != nil {
		db.Close()
		return nil, err
	}
	lctx, stop := context.WithCancel(context.Background())
	s := &Store{Engine: engine, db: db, stop: stop, closed: make(chan struct{})}
	if !feat.notify {
		// The change sequence is still read every second by the process's
		// follower: other nodes' changes arrive within about a second.
		close(s.closed)
		return s, nil
	}
	l := &listener{cfg: cfg, channel: d.channel, store: s, log: o.Logger}
	go func() {
		defer close(s.closed)
		l.run(lctx)
	}()
	return s, nil
}

// newEngine opens the engine, which migrates the schema. Without advisory
// locks two nodes starting at once may both try a migration; the loser's
// statement fails, and a retry finds the migration applied.
func newEngine(ctx context.Context, db *sql.DB, d dialect, o store.Options) (*sqlstore.Engine, error) {
	for attempt := 1; ; attempt++ {
		engine, err := sqlstore.New(ctx, db, db, d, o)
		if err == nil || d.advisoryLocks || attempt == 5 {
			return engine, err
		}
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(time.Duration(attempt) * 100 * time.Millisecond):
		}
	}
}

// Close stops listening and closes the pool.
func (s *Store) Close() error {
	s.stop()
	<-s.closed
	return errors.Join(s.Engine.Close(), s.db.Close())
}

// dialect is PostgreSQL's part of the shared engine.
type dialect struct {
	channel string // NOTIFY channel, per schema
	features
}

// KeyType: the "C" collation orders by bytes, as SQLite does.
func (dialect) KeyType() string { return `TEXT COLLATE "C"` }

// ViewOptions: one snapshot for the whole read.
func (dialect) ViewOptions() *sql.TxOptions {
	return &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
}

// LockAccount takes the account's advisory transaction lock: writers to one
// account run one at a time, on every node, so that their quota checks
// see each other's writes (READ COMMITTED reads what committed before each
// statement).
//
// Without advisory locks it locks the change counter's row instead, which
// serializes every writer of every account: correct, and slower.
func (d dialect) LockAccount(ctx context.Context, tx *sql.Tx, key int64) error {
	if !d.advisoryLocks {
		_, err := tx.ExecContext(ctx, `SELECT seq FROM change_counter WHERE id = 1 FOR UPDATE`)
		return err
	}
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, key)
	return err
}

// LockMigrations holds a session advisory lock while migrating, so that two
// nodes starting at once migrate one after the other.
func (d dialect) LockMigrations(ctx context.Context, conn *sql.Conn) (func() error, error) {
	if !d.advisoryLocks {
		return func() error { return nil }, nil // Open retries a migration that lost a race
	}
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, migrationLock); err != nil {
		return nil, err
	}
	return func() error {
		_, err := conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1)`, migrationLock)
		return err
	}, nil
}

// Notify announces the latest change number to every listening node; the
// notification is delivered when the transaction commits.
func (d dialect) Notify(ctx context.Context, tx *sql.Tx, seq int64) error {
	if !d.notify {
		return nil
	}
	_, err := tx.ExecContext(ctx, `SELECT pg_notify($1, $2)`, d.channel, strconv.FormatInt(seq, 10))
	return err
}

// Relax: nothing. The decision log's batches commit as durably as every
// other write: synchronous_commit=off would spare the database server's
// fsync, not iamq's CPU, and PostgreSQL-compatible databases may refuse it.
func (dialect) Relax(context.Context, *sql.Conn) (func(context.Context) error, error) {
	return func(context.Context) error { return nil }, nil
}

// IsUniqueViolation reports SQLSTATE 23505.
func (dialect) IsUniqueViolation(err error) bool {
	var e *pgconn.PgError
	return errors.As(err, &e) && e.Code == "23505"
}

// IsConflict reports a serialization failure (40001), a deadlock (40P01) or
// a lock that was not available (55P03).
func (dialect) IsConflict(err error) bool {
	var e *pgconn.PgError
	return errors.As(err, &e) && (e.Code == "40001" || e.Code == "40P01" || e.Code == "55P03")
}
