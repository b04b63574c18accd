// Package sts holds the STS operations (role sessions, temporary credentials),
// independent of HTTP.
//
// For now it knows who a verified access key acts as ([CallerForKey]) and
// answers [GetCallerIdentity], which needs no permission, as in AWS
// (STS API Reference, GetCallerIdentity: "No permissions are required to
// perform this operation").
//
// It may import internal/iam (and, below it, internal/store).
package sts
