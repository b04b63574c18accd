// Package iam holds the IAM operations and their business rules, independent of
// HTTP.
//
// It may import internal/authz, internal/managed, internal/store, eval, policy
// and arn.
package iam
