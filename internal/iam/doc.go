// Package iam holds the IAM operations and their business rules, independent of
// HTTP.
//
// It may import internal/managed, internal/store, eval and policy.
package iam
