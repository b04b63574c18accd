package server

import (
	"context"

	"github.com/iamq/iamq/internal/sts"
)

// registerSTS registers the STS operations.
func (s *Server) registerSTS() {
	s.Query(ServiceSTS, "GetCallerIdentity", s.getCallerIdentity, NoPermission)
}

// getCallerIdentity answers who the caller is; AWS never denies it.
func (s *Server) getCallerIdentity(ctx context.Context, c *Call) (any, error) {
	return callerIdentityResult(sts.GetCallerIdentity(c.Caller)), nil
}

// callerIdentityResult is GetCallerIdentityResult (STS API Reference), written
// without reflection because it is the benchmark's hot path.
type callerIdentityResult sts.CallerIdentity

// AppendXML appends <Arn>, <UserId> and <Account>.
func (r callerIdentityResult) AppendXML(b []byte) []byte {
	b = AppendXMLElement(b, "Arn", r.ARN)
	b = AppendXMLElement(b, "UserId", r.UserID)
	return AppendXMLElement(b, "Account", r.Account)
}
