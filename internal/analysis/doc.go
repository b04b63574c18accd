// Package analysis compares policies: whether one allows everything another
// allows (with a counterexample when not), and semantic diffs.
//
// It may import internal/catalog, eval and policy.
package analysis
