// Package authz is a stand-in: the table lets it import internal/store.
package authz

import "github.com/iamq/iamq/internal/store"

// Name is used by the server.
const Name = "authz over " + store.Name
