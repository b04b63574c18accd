// Package server is iamq's HTTP endpoint: protocol decoding (Query/XML for IAM
// and STS, REST-JSON for Amazon MQ), dispatch, the one table from domain errors to
// AWS error codes, and metrics.
//
// It may import internal/sigv4, internal/authz, internal/iam, internal/sts,
// internal/mq and internal/web.
package server
