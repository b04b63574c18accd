package sts

import "github.com/iamq/iamq/internal/store"

// Tag is a session tag (AssumeRole's Tags).
type Tag = store.Tag

// The store's errors STS's operations wrap besides its own, which a wire
// package maps to its codes.
var (
	ErrNotFound      = store.ErrNotFound
	ErrLimitExceeded = store.ErrLimitExceeded
	ErrConflict      = store.ErrConflict
)
