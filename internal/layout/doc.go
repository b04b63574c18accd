// Package layout is the executable form of the dependency table in DESIGN.md:
// which iamq package may import which. Its test runs `go list` over the module
// and fails on any import against the table; the same check is shown to fail on
// a deliberately bad module kept under testdata.
//
// It imports nothing of iamq.
package layout
