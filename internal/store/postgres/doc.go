// Package postgres is the PostgreSQL backend of internal/store, for many nodes
// sharing one database.
//
// It may import internal/store and policy.
package postgres
