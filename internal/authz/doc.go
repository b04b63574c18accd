// Package authz turns a verified caller into an identity, loads and caches its
// compiled policy sets (invalidated by the store's change sequence), builds the
// request context and asks package eval for a decision.
//
// It may import internal/store, eval and policy.
package authz
