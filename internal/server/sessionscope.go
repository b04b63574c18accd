package server

import (
	"github.com/iamq/iamq/internal/sigv4"
)

// msgSessionTokenNoMFA is what IAM answers a call signed with GetSessionToken
// credentials that carry no MFA: the code and text of an invalid token,
// status 403 (the raw IAM response quoted in aws/aws-cli#8918; also
// 99designs/aws-vault#15 and #1056). IAM sends it without a final period.
const msgSessionTokenNoMFA = "The security token included in the request is invalid"

// sessionScope refuses the calls that the temporary credentials of
// GetSessionToken may not make (STS API Reference, GetSessionToken: "You
// cannot call any IAM API operations unless MFA authentication information
// is included in the request"). iamq has no MFA devices, so no such session
// carries MFA: every IAM operation is refused to them, whatever the policies
// say, and for the root's sessions as well as users'. The STS side of the
// rule ("You cannot call any STS API except AssumeRole or
// GetCallerIdentity") is the sts package's: GetSessionToken refuses session
// credentials itself, and AssumeRole and GetCallerIdentity are allowed.
func sessionScope(c *Call) error {
	se := c.Caller.Session
	if se == nil || !se.UserSession || c.Service != ServiceIAM {
		return nil
	}
	return &sigv4.Error{Code: sigv4.CodeInvalidClientTokenID, Message: msgSessionTokenNoMFA}
}
