package server

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"strings"

	"github.com/iamq/iamq/eval"
	"github.com/iamq/iamq/internal/authz"
	"github.com/iamq/iamq/internal/sigv4"
)

// An operator's first questions about a refused call are "who, doing what,
// and why": every refused authentication and every AccessDenied is logged at
// info level, one line each (issue 25). A line never carries a secret: the
// access key id names the key (AWS logs it in CloudTrail too), and sigv4's
// messages never contain the secret or the expected signature.

// logRefusal logs the call's refusal err, mapped to e, when it is a refused
// authentication or an access denial; other errors are not logged here.
func (s *Server) logRefusal(ctx context.Context, c *Call, err error, e *APIError) {
	if !s.log.Enabled(ctx, slog.LevelInfo) {
		return
	}
	var de *authz.DeniedError
	var se *sigv4.Error
	switch {
	case errors.As(err, &de):
		s.log.LogAttrs(ctx, slog.LevelInfo, "access denied", slog.String("caller", c.Caller.ARN), slog.String("key_id", keyID(c)),
			slog.String("action", de.Action), slog.String("resource", de.Resource), slog.String("reason", deniedReason(de)))
	case e.Code == CodeAccessDenied || errors.Is(err, authz.ErrAccessDenied):
		// A refusal an operation made itself (with a resource's own policy).
		s.log.LogAttrs(ctx, slog.LevelInfo, "access denied", slog.String("caller", c.Caller.ARN), slog.String("key_id", keyID(c)),
			slog.String("action", string(c.Service)+":"+c.Action), slog.String("reason", e.Message))
	case errors.As(err, &se) || e.Code == Code(sigv4.CodeInvalidClientTokenID):
		s.log.LogAttrs(ctx, slog.LevelInfo, "authentication refused", slog.String("code", string(e.Code)), slog.String("key_id", keyID(c)),
			slog.String("caller", c.Caller.ARN), slog.String("service", string(c.Service)), slog.String("action", c.Action),
			slog.String("source", remoteAddr(c)), slog.String("reason", e.Message))
	}
}

// keyID is the access key id the call names: the caller's key once
// verified, else the credential scope's, as the request claims it.
func keyID(c *Call) string {
	if c.Caller.Key != nil {
		return c.Caller.Key.ID
	}
	if c.HTTP != nil {
		if scope, ok := sigv4.ScopeOf(c.HTTP); ok {
			return scope.AccessKeyID
		}
	}
	return ""
}

func remoteAddr(c *Call) string {
	if c.HTTP == nil {
		return ""
	}
	return c.HTTP.RemoteAddr
}

// deniedReason is the denial's explanation: the explicit deny's statement, or
// the part of AWS's message that says which policy type did not allow.
func deniedReason(de *authz.DeniedError) string {
	if x := de.Explanation; x != nil && x.Decision == eval.ExplicitDeny && len(x.Statements) > 0 {
		m := x.Statements[0]
		stmt := m.Sid
		if stmt == "" {
			stmt = "Statement[" + strconv.Itoa(m.Index) + "]"
		}
		return "explicit deny in " + string(m.Kind) + " policy " + m.PolicyID + " " + stmt
	}
	if i := strings.Index(de.Message, " because "); i >= 0 {
		return de.Message[i+1:]
	}
	return de.Message
}
