// Package doc holds an allowed literal.
package doc

// Example is allowed by the test's allowlist.
const Example = "see arn:aws:iam::123456789012:root"
