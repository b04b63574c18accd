package server

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/iamq/iamq/eval"
	"github.com/iamq/iamq/internal/audit"
	"github.com/iamq/iamq/internal/authz"
)

// This file hands each call's outcome to the decision log (internal/audit,
// issue 23) and implements soft enforcement. The record is built from what
// the call already holds; the log removes secrets, encodes and writes it off
// the request path.

// maxUserAgent bounds the User-Agent kept in a record.
const maxUserAgent = 1024

// AuditLog is the decision log the server writes to (Options.Audit), for
// the operations that read it (IAM's last-accessed data); nil when off.
func (s *Server) AuditLog() *audit.Log { return s.opts.Audit }

// decide authorizes a call for its target with the caller's policies. With
// the decision log on, the decision also names the statements that allowed
// the call (no second pass over the policies), and the outcome is kept on
// the call for its record. Under soft enforcement (dev mode only) a denial
// is recorded as such and the call goes on.
func (s *Server) decide(ctx context.Context, c *Call, p *authz.Principal, r *authz.Request) error {
	if s.opts.Audit == nil {
		return s.opts.Authz.Authorize(ctx, p, r)
	}
	var why eval.Reason
	err := s.opts.Authz.Decide(ctx, p, r, &why)
	if err == nil {
		c.authorization = s.reasons.authorization(&why, r.Action, r.Resource)
		return nil
	}
	var de *authz.DeniedError // declared here, its escape costs the allowed calls nothing
	if !errors.As(err, &de) {
		return err
	}
	a := denial(de)
	c.authorization = a
	if s.softEnforce() {
		a.Enforced = false
		return nil
	}
	return err
}

// reasonCache keeps the log's statements of each eval.Reason seen: the
// same policies allow the same calls over and over, and the statements of
// a Reason never change (a changed policy is a new compiled set). With
// them it keeps the last Authorization made of them, which the next call
// of the same action on the same resource shares: such a call allocates
// none, and the log's writer finds its record's authorization the same as
// the last one's by its address. The Reason met last is found without a
// lock. Nobody changes what it hands out. It is emptied when full.
type reasonCache struct {
	recent atomic.Pointer[reasonEntry]
	mu     sync.Mutex
	m      map[eval.Reason]*reasonEntry
}

// reasonEntry is what the cache keeps of one Reason.
type reasonEntry struct {
	why        eval.Reason
	statements []audit.Statement
	last       atomic.Pointer[audit.Authorization]
}

// maxReasons bounds the cache.
const maxReasons = 4096

// authorization is the log's form of an allowed call of action on
// resource, and the statements that allowed it (why).
func (rc *reasonCache) authorization(why *eval.Reason, action, resource string) *audit.Authorization {
	if why.Len() == 0 {
		return &audit.Authorization{Decision: audit.Allow, Enforced: true, Action: action, Resource: resource}
	}
	e := rc.recent.Load()
	if e == nil || e.why != *why {
		e = rc.entry(why)
		rc.recent.Store(e)
	}
	if a := e.last.Load(); a != nil && a.Action == action && a.Resource == resource {
		return a
	}
	a := &audit.Authorization{Decision: audit.Allow, Enforced: true, Action: action, Resource: resource, Statements: e.statements}
	e.last.Store(a)
	return a
}

// entry is why's entry, made when it has none.
func (rc *reasonCache) entry(why *eval.Reason) *reasonEntry {
	rc.mu.Lock()
	e, ok := rc.m[*why]
	rc.mu.Unlock()
	if ok {
		return e
	}
	e = &reasonEntry{why: *why}
	var buf [5]eval.Match
	for _, m := range why.Statements(buf[:0]) {
		e.statements = append(e.statements, audit.Statement{PolicyType: string(m.Kind), Policy: m.PolicyID, PolicyVersion: m.PolicyVersion, Sid: m.Sid, Index: m.Index})
	}
	rc.mu.Lock()
	if rc.m == nil || len(rc.m) >= maxReasons {
		rc.m = map[eval.Reason]*reasonEntry{}
	}
	rc.m[*why] = e
	rc.mu.Unlock()
	return e
}

// allowRoot records the root's call in its own account, allowed without a
// policy (and without looking up the resource it acts on).
func (s *Server) allowRoot(c *Call) {
	if s.opts.Audit != nil {
		c.authorization = &audit.Authorization{Decision: audit.Allow, Enforced: true, Action: string(c.Service) + ":" + c.Action}
	}
}

// softEnforce reports whether denials are let through: only in dev mode.
func (s *Server) softEnforce() bool { return s.opts.SoftEnforce && s.opts.Dev }

// authorization is the log's form of a decision and its explanation.
func authorization(d audit.Decision, action, resource string, x *eval.Explanation) *audit.Authorization {
	a := &audit.Authorization{Decision: d, Enforced: true, Action: action, Resource: resource}
	if x == nil {
		return a
	}
	for _, m := range x.Statements {
		a.Statements = append(a.Statements, audit.Statement{PolicyType: string(m.Kind), Policy: m.PolicyID,
			PolicyVersion: m.PolicyVersion, Sid: m.Sid, Index: m.Index})
	}
	for _, k := range x.Lacking {
		a.Lacking = append(a.Lacking, string(k))
	}
	a.MissingContextKeys = x.MissingContextKeys
	return a
}

// denial is the log's form of a refusal.
func denial(de *authz.DeniedError) *audit.Authorization {
	d := audit.ImplicitDeny
	if de.Explanation != nil && de.Explanation.Decision == eval.ExplicitDeny {
		d = audit.ExplicitDeny
	}
	a := authorization(d, de.Action, de.Resource, de.Explanation)
	a.Reason = de.Message
	return a
}

// record hands the call's record to the decision log, if it is on. o is
// the operation (nil when none was found); err the call's error and e its
// mapping (nil on success).
func (s *Server) record(c *Call, o *op, err error, e *APIError) {
	if s.opts.Audit == nil {
		return
	}
	r := &c.record
	*r = audit.Record{EventTime: c.Time, EventSource: eventSource(c.Service), EventName: c.Action,
		AWSRegion: c.Region, RequestID: c.RequestID, UserIdentity: identity(c), RecipientAccountID: c.Caller.Account,
		Authorization: c.authorization}
	if r.AWSRegion == "" {
		r.AWSRegion = s.opts.Region
	}
	if o != nil {
		r.ReadOnly = o.readOnly()
	}
	if e != nil {
		r.ErrorCode, r.ErrorMessage = string(e.Code), e.Message
		var de *authz.DeniedError
		if r.Authorization == nil && errors.As(err, &de) {
			r.Authorization = denial(de) // an operation that authorized itself
		}
	}
	if h := c.HTTP; h != nil {
		if host, _, err := net.SplitHostPort(h.RemoteAddr); err == nil {
			r.SourceIPAddress = host
		}
		if ua := h.Header["User-Agent"]; len(ua) > 0 { // h.UserAgent() without canonicalizing the key again
			r.UserAgent = ua[0]
		}
		if len(r.UserAgent) > maxUserAgent {
			r.UserAgent = r.UserAgent[:maxUserAgent]
		}
		switch {
		case c.Form != nil && len(c.Body) > 0:
			r.Input, r.InputForm = c.Body, true
		case c.Form != nil:
			r.Input, r.InputForm = []byte(h.URL.RawQuery), true
		case h.Method != http.MethodGet:
			r.Input = c.Body
		}
	}
	s.opts.Audit.Record(r)
}

// eventSource is CloudTrail's eventSource of a service's calls, without
// building the string for the common services.
func eventSource(svc Service) string {
	switch svc {
	case "iam":
		return "iam.amazonaws.com"
	case "sts":
		return "sts.amazonaws.com"
	case "mq":
		return "mq.amazonaws.com"
	case "access-analyzer":
		return "access-analyzer.amazonaws.com"
	}
	return string(svc) + ".amazonaws.com"
}

// identity is the caller in CloudTrail's userIdentity shape.
func identity(c *Call) audit.UserIdentity {
	p := &c.Caller
	u := audit.UserIdentity{ARN: p.ARN, AccountID: p.Account, PrincipalID: p.UserID, AccessKeyID: keyID(c), InvokedBy: p.Service}
	switch p.Kind {
	case eval.PrincipalRoot:
		u.Type = audit.IdentityRoot
	case eval.PrincipalUser:
		u.Type, u.UserName = audit.IdentityIAMUser, p.Name
	case eval.PrincipalRoleSession:
		u.Type = audit.IdentityAssumedRole
		roleID := p.UserID // AROA…:SESSION
		if p.Session != nil {
			roleID = strings.TrimSuffix(roleID, ":"+p.Session.Name)
		}
		u.SessionContext = &audit.SessionContext{SessionIssuer: &audit.SessionIssuer{Type: "Role", PrincipalID: roleID,
			ARN: audit.Entity(p.ARN), AccountID: p.Account, UserName: p.Name}}
	case eval.PrincipalFederatedUser:
		u.Type = audit.IdentityFederatedUser
	default:
		u.Type = audit.IdentityUnknown
	}
	if p.Session != nil {
		if u.SessionContext == nil {
			u.SessionContext = &audit.SessionContext{}
		}
		u.SessionContext.Attributes.CreationDate = p.Session.Issued
		u.SessionContext.SourceIdentity = p.Session.SourceIdentity
		if p.Session.FederatedProvider != "" {
			u.SessionContext.WebIDFederationData = &audit.WebIDFederationData{FederatedProvider: p.Session.FederatedProvider}
		}
	}
	if u.SessionContext != nil {
		u.SessionContext.Attributes.MFAAuthenticated = "false"
		if p.Session != nil && p.Session.MFA {
			u.SessionContext.Attributes.MFAAuthenticated = "true"
		}
	}
	return u
}
