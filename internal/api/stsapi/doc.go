// Package stsapi is STS's wire: the Query-protocol operations of the STS API
// (2011-06-15) — GetCallerIdentity, AssumeRole, GetSessionToken — with their
// input decoding and XML output shapes from the STS service model that ships
// with botocore and aws-sdk-go-v2, and the table from STS's domain errors to
// its AWS codes. AssumeRole's trust decision is package sts's, through
// internal/authz.
//
// [Register] plugs it into the HTTP core: stsapi.Register(srv, stsService).
//
// It may import internal/server, internal/sts, internal/authz, eval, policy
// and arn.
package stsapi
