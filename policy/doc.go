// Package policy is the IAM JSON policy language: parsing, validation with IAM's
// own messages, a canonical form, and printing.
//
// It imports nothing of iamq. Condition values are parsed and typed here; what the
// operators mean is decided by package eval.
//
// Entry points: [Parse] reads a document, [Document.Validate] reports every finding
// for a [Kind] of document, and [Print] writes the canonical form.
package policy
