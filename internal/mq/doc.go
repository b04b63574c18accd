// Package mq is the Amazon MQ control plane, independent of HTTP.
//
// It may import internal/iam (for the service-linked role).
package mq
