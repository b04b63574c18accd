// Package sqlite is the embedded SQLite backend of internal/store: one file,
// the pure-Go driver modernc.org/sqlite, WAL with synchronous=FULL (a commit
// that returned survives a crash of the process or the machine; the decision
// log's batches alone run at synchronous=NORMAL, which a crash of the machine
// may undo), one writer connection and a few query-only readers.
//
// It may import internal/store/sqlstore, whose engine it opens with its
// dialect, and internal/store.
//
// Entry point: [Open]. [Store.IntegrityCheck] runs PRAGMA integrity_check.
package sqlite
