// Package analyzerapi is the wire of IAM Access Analyzer's policy checks
// (signing name access-analyzer, REST-JSON): ValidatePolicy,
// CheckNoNewAccess, CheckAccessNotGranted and CheckNoPublicAccess, with the
// routes, shapes and errors of the accessanalyzer service model that ships
// with botocore and aws-sdk-go-v2. The checks themselves are
// internal/analysis's; every call is authorized like any other
// (access-analyzer:ValidatePolicy, … on "*": the Service Authorization
// Reference gives these actions no resource type).
//
// It may import internal/server, internal/analysis, internal/managed,
// internal/authz, internal/audit, policy and arn.
package analyzerapi
