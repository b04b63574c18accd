// Package sqlite is the embedded SQLite backend of internal/store.
//
// It may import internal/store and policy.
package sqlite
