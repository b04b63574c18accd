// Package storetest is the conformance suite that every internal/store backend
// runs.
//
// It may import internal/store and policy.
package storetest
