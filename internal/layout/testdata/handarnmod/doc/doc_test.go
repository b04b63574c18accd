package doc

// Tests may write ARNs.
const inTest = "arn:aws:iam::123456789012:root"
