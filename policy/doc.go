// Package policy is the IAM JSON policy language: parsing, validation with IAM's
// own messages, a canonical form, and printing.
//
// It imports only package arn. Condition values are parsed and typed here; what the
// operators mean is decided by package eval.
//
// Entry points:
//
//   - [Parse] and [ParseReader] read a document (at most [MaxTextBytes]). They
//     fail, with a [*ParseError], only when the text is not JSON or cannot be
//     represented as a [Document]; everything else is a finding.
//   - [Document.Validate] returns every [Finding] for a [Kind] of document, each
//     with a [Code], a JSON path, a [Position] and the exact message IAM returns
//     in MalformedPolicyDocument ([ParseFinding] does the same for a parse
//     error). [HasErrors] tells errors from warnings.
//   - [Judge] (and [Document.Refusal]) answer as IAM does: the one message IAM
//     names when it refuses a document, chosen in IAM's order of checks, with
//     the Version rule of a [Storage]. testdata/aws holds AWS's recorded
//     answers that it reproduces.
//   - [Print] writes the canonical form; [Equal] compares documents in it.
//   - [Size] counts characters as IAM does against its limits ([MaxManaged],
//     [MaxInlineUser], [MaxTrust], …), which the IAM API applies.
//
// The JSON tokenizer is this package's own (encoding/json reports no
// positions). It returns strings without escapes as substrings of the text,
// and builds JSON paths only for findings, so that parsing and validating
// ReadOnlyAccess (91 KB) allocates a few dozen times.
package policy
