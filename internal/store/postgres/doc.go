// Package postgres is the PostgreSQL backend of internal/store, for many nodes
// sharing one database (pgx through database/sql).
//
// It may import internal/store/sqlstore, whose engine it opens with its
// dialect, and internal/store.
//
// Entry point: [Open]. Migrations run under an advisory lock, so nodes may
// start at once; writers to one account hold an advisory transaction lock,
// so quotas hold across nodes; every commit that records changes sends
// NOTIFY, and each node LISTENs (and polls every [PollInterval] as a safety
// net), so a change on one node reaches the others' [store.Store.Subscribe]
// within a second. Every node must be given the same secret key.
package postgres
