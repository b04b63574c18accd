// Package store is iamq's persistence, behind one interface. Each backend is its
// own package: store/sqlite (embedded default) and store/postgres (many nodes).
// store/storetest is the conformance suite both run.
//
// It may import package policy (document types only).
package store
