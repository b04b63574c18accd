// Package nested is another module: not checked.
package nested

const ARN = "arn:aws:iam::123456789012:root"
