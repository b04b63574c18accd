// Package store is a stand-in: the bottom of the chain.
package store

// Name is used by the packages above.
const Name = "store"
