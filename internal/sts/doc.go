// Package sts holds the STS operations (role sessions, temporary credentials),
// independent of HTTP.
//
// It may import internal/iam.
package sts
