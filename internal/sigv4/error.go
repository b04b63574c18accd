package sigv4

import "fmt"

// Code is an AWS error code that signature verification answers with.
type Code string

// The codes IAM and STS answer unsigned or badly signed requests with (IAM and
// STS API Reference, "Common Errors").
const (
	// CodeMissingAuthenticationToken: neither an Authorization header nor a
	// presigned query string.
	CodeMissingAuthenticationToken Code = "MissingAuthenticationToken"
	// CodeIncompleteSignature: the signature parameters are malformed.
	CodeIncompleteSignature Code = "IncompleteSignature"
	// CodeInvalidClientTokenID: unknown access key, or a security token that
	// does not belong to it.
	CodeInvalidClientTokenID Code = "InvalidClientTokenId"
	// CodeSignatureDoesNotMatch: a wrong signature, scope, or a request time
	// outside the allowed skew.
	CodeSignatureDoesNotMatch Code = "SignatureDoesNotMatch"
	// CodeExpiredToken: temporary credentials that have expired.
	CodeExpiredToken Code = "ExpiredToken"
)

// Error is a refused request: the AWS code and the message to return. Messages
// never contain secrets or the expected signature.
type Error struct {
	Code    Code
	Message string
}

func (e *Error) Error() string { return string(e.Code) + ": " + e.Message }

// Is reports whether target is an *Error with the same code, so that the
// sentinels below match any message: errors.Is(err, ErrSignatureDoesNotMatch).
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// Sentinels for errors.Is, one per code.
var (
	ErrMissingAuthenticationToken = &Error{Code: CodeMissingAuthenticationToken}
	ErrIncompleteSignature        = &Error{Code: CodeIncompleteSignature}
	ErrInvalidClientTokenID       = &Error{Code: CodeInvalidClientTokenID}
	ErrSignatureDoesNotMatch      = &Error{Code: CodeSignatureDoesNotMatch}
	ErrExpiredToken               = &Error{Code: CodeExpiredToken}
)

// Messages that AWS returns verbatim (quoted in public issue threads, e.g.
// cert-manager/aws-privateca-issuer#40, boto/boto3#756, prowler#789).
const (
	msgMissingToken = "Request is missing Authentication Token"
	msgInvalidToken = "The security token included in the request is invalid."
	msgExpiredToken = "The security token included in the request is expired"
	msgNoMatch      = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
)

func newError(c Code, format string, args ...any) *Error {
	if len(args) == 0 {
		return &Error{Code: c, Message: format}
	}
	return &Error{Code: c, Message: fmt.Sprintf(format, args...)}
}

// InvalidRegion is the error for a credential scope naming a region the
// service does not accept, worded as IAM and STS word it (note the trailing
// space, which AWS sends).
func InvalidRegion(region string) *Error {
	return newError(CodeSignatureDoesNotMatch, "Credential should be scoped to a valid region, not '%s'. ", region)
}

// WrongService is the error for a credential scope naming another service
// than the one that received the request; want names the right one.
func WrongService(want string) *Error {
	return newError(CodeSignatureDoesNotMatch, "Credential should be scoped to correct service: '%s'. ", want)
}
