// Package sigv4 verifies AWS Signature Version 4 requests (the Authorization
// header and presigned query strings). It is given a credential-lookup function
// and knows no store.
//
// It imports nothing of iamq.
package sigv4
