// Package layout is the executable form of the dependency table in DESIGN.md:
// which iamq package may import which, directly. Its test runs `go list` over
// the module and fails on any direct import the table does not list (not the
// table's closure: each edge is a decision written down), and the same check
// is shown to fail on deliberately bad modules kept under testdata.
//
// It imports nothing of iamq.
package layout
