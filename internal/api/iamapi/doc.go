// Package iamapi is IAM's wire: the Query-protocol operations of the IAM API
// (2010-05-08) with their input decoding and XML output shapes, taken from
// the IAM service model that ships with botocore and aws-sdk-go-v2; the
// table of what each operation is authorized for (the action iam:NAME, the
// resource it acts on — resolved to the entity's stored ARN — and its
// condition keys), which is the one source enforcement uses; and the table
// from IAM's domain errors to its AWS codes.
//
// [Register] plugs it into the HTTP core: iamapi.Register(srv, iamService,
// authorizer). The business rules are package iam's; this package only
// decodes, calls and encodes.
//
// It may import internal/server, internal/iam, internal/authz,
// internal/audit, eval, policy and arn.
package iamapi
