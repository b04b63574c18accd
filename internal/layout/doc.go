// Package layout is the executable form of the dependency table in DESIGN.md:
// which iamq package may import which, directly. Its test runs `go list` over
// the module and fails on any direct import the table does not list (not the
// table's closure: each edge is a decision written down), and the same check
// is shown to fail on deliberately bad modules kept under testdata.
//
// It also keeps package arn the one place that knows the shape of ARNs:
// FindHandARNs reads the syntax of every non-test file and reports string
// literals holding "arn:" and strings.Split/Cut/CutPrefix calls on ":" or
// an "arn:" prefix, save an allowlist whose every entry gives its reason.
//
// It imports nothing of iamq.
package layout
