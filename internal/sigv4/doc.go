// Package sigv4 verifies AWS Signature Version 4 requests: the Authorization
// header form and the presigned query-string form (as EKS and Vault use for
// sts:GetCallerIdentity). It is given a credential-lookup function ([Lookup])
// and knows no store.
//
// Entry points: [New] builds a [Verifier]; [Verifier.Verify] checks one request
// and returns a [Result] or an [*Error] carrying the AWS error code and message
// that IAM and STS answer with; [ParseAuthorization] parses the header alone.
//
// The canonical request follows the AWS General Reference, "Create a signed AWS
// API request" (IAM User Guide, reference_sigv-create-signed-request), cross-read
// against aws-sdk-go-v2's aws/signer/v4 so that what the SDKs sign is what is
// verified here. Signatures are compared with [hmac.Equal]; derived signing keys
// are cached per secret, day, region and service.
//
// It imports nothing of iamq.
package sigv4
