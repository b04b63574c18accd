package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/internal/store/sqlstore"
)

// Readers is how many reader connections the store keeps open beside its
// one writer connection.
const Readers = 4

// Store is a store.Store in one SQLite file.
type Store struct {
	*sqlstore.Engine
	writer, reader *sql.DB
}

var _ store.Store = (*Store)(nil)

// Open opens (creating when missing, mode 0600 in a directory of mode 0700)
// the database file at path, in WAL mode with synchronous=FULL, and applies
// the migrations. A key (o.Key or o.KeyFile) is required.
func Open(ctx context.Context, path string, o store.Options) (*Store, error) {
	if strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("sqlite: path %q may not contain ? or #", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	// The database holds every identity and the (encrypted) secrets: it is
	// made readable by its owner only, before SQLite would create it with
	// 0644. SQLite gives the -wal and -shm files the database file's mode.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	f.Close()
	common := url.Values{}
	common.Add("_pragma", "busy_timeout(10000)")
	common.Add("_pragma", "synchronous(FULL)")
	// A larger page cache and memory-mapped reads keep list pages and
	// lookups in a store of 100,000 users well under a millisecond of I/O.
	common.Add("_pragma", "cache_size(-65536)") // KiB: 64 MiB per connection, at most
	common.Add("_pragma", "mmap_size(268435456)")
	wv := url.Values{"_txlock": {"immediate"}}
	wv["_pragma"] = append([]string{"journal_mode(WAL)"}, common["_pragma"]...)
	writer := sql.OpenDB(connector{dsn: "file:" + path + "?" + wv.Encode(), drv: &sqlite.Driver{}})
	// One writer connection: SQLite has one writer at a time anyway, and
	// queuing in database/sql is cheaper than busy-waiting on the lock.
	writer.SetMaxOpenConns(1)
	writer.SetMaxIdleConns(1)
	writer.SetConnMaxLifetime(0)
	if err := writer.PingContext(ctx); err != nil {
		writer.Close()
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	rv := url.Values{}
	rv["_pragma"] = append([]string{"query_only(1)"}, common["_pragma"]...)
	reader := sql.OpenDB(connector{dsn: "file:" + path + "?" + rv.Encode(), drv: &sqlite.Driver{}})
	reader.SetMaxOpenConns(Readers)
	reader.SetMaxIdleConns(Readers)
	engine, err := sqlstore.New(ctx, writer, reader, dialect{}, o)
	if err != nil {
		reader.Close()
		writer.Close()
		return nil, err
	}
	return &Store{Engine: engine, writer: writer, reader: reader}, nil
}

// Close closes the database.
func (s *Store) Close() error {
	err := s.Engine.Close()
	err = errors.Join(err, s.reader.Close())
	return errors.Join(err, s.writer.Close())
}

// IntegrityCheck runs PRAGMA integrity_check and returns an error unless the
// database is sound.
func (s *Store) IntegrityCheck(ctx context.Context) error {
	rows, err := s.writer.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return fmt.Errorf("sqlite: integrity check: %w", err)
	}
	defer rows.Close()
	var found []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return fmt.Errorf("sqlite: integrity check: %w", err)
		}
		found = append(found, line)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlite: integrity check: %w", err)
	}
	if len(found) != 1 || found[0] != "ok" {
		return fmt.Errorf("sqlite: integrity check: %s", strings.Join(found, "; "))
	}
	return nil
}

// dialect is SQLite's part of the shared engine.
type dialect struct{}

// KeyType: SQLite's default BINARY collation orders by bytes.
func (dialect) KeyType() string { return "TEXT" }

// ViewOptions: a deferred transaction reads one WAL snapshot.
func (dialect) ViewOptions() *sql.TxOptions { return nil }

// LockAccount: the one writer connection and BEGIN IMMEDIATE serialize every
// writer already.
func (dialect) LockAccount(context.Context, *sql.Tx, int64) error { return nil }

// LockMigrations: each migration runs in a BEGIN IMMEDIATE transaction that
// checks first whether it is applied, which is enough between processes.
func (dialect) LockMigrations(context.Context, *sql.Conn) (func() error, error) {
	return func() error { return nil }, nil
}

// Relax sets synchronous=NORMAL on conn for one of the decision log's
// batches and restore sets FULL again (SQLite refuses to change it inside a
// transaction). In WAL mode, NORMAL skips the commit's fsync of the WAL: a
// crash of the process loses nothing committed, a power failure may lose
// the last commits (https://www.sqlite.org/pragma.html#pragma_synchronous).
func (dialect) Relax(ctx context.Context, conn *sql.Conn) (func(context.Context) error, error) {
	if _, err := conn.ExecContext(ctx, `PRAGMA synchronous=NORMAL`); err != nil {
		return nil, err
	}
	return func(ctx context.Context) error {
		_, err := conn.ExecContext(ctx, `PRAGMA synchronous=FULL`)
		return err
	}, nil
}

// Notify: one process owns a SQLite file; the engine tells its subscribers.
func (dialect) Notify(context.Context, *sql.Tx, int64) error { return nil }

// IsUniqueViolation reports a UNIQUE or PRIMARY KEY constraint failure.
func (dialect) IsUniqueViolation(err error) bool {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return false
	}
	return e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || e.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}

// IsConflict reports SQLITE_BUSY and SQLITE_LOCKED (after busy_timeout):
// another process holds the database.
func (dialect) IsConflict(err error) bool {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return false
	}
	code := e.Code() & 0xff // the primary code of an extended one
	return code == sqlite3.SQLITE_BUSY || code == sqlite3.SQLITE_LOCKED
}
