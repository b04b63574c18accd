// Package server is a stand-in: the table lets it import internal/authz,
// which may import internal/store, but not internal/store itself.
package server

import (
	"github.com/iamq/iamq/internal/authz"
	"github.com/iamq/iamq/internal/store"
)

// Name reaches past authz into the store.
const Name = authz.Name + store.Name
