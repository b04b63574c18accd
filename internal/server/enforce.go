package server

import (
	"context"
	"net/netip"
	"strings"

	"github.com/iamq/iamq/eval"
	"github.com/iamq/iamq/internal/authz"
	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/internal/sts"
)

// This file enforces the callers' policies on every call (issue 9): before an
// operation runs, the caller becomes an authz.Principal, the operation names
// its action and resource and adds its own condition keys, and the
// authorizer decides. Operations registered NoPermission (GetCallerIdentity)
// and those that authorize themselves (AssumeRole, which also evaluates the
// role's trust policy) skip this step.

// enforce is the Options.Authorize hook when Options.Authz is set.
func (s *Server) enforce(ctx context.Context, c *Call) error {
	p := principalOf(c.Caller)
	if p.Kind == eval.PrincipalRoot {
		// The root may do everything in its own account, and every call
		// here acts in the caller's account: no need to build the request.
		return nil
	}
	action, resource := s.target(ctx, c)
	return s.opts.Authz.Authorize(ctx, &p, &authz.Request{Action: action, Resource: resource,
		Info: requestInfo(c), Keys: s.conditionKeys(ctx, c)})
}

// syncAuthz makes the authorizer see this node's own write before the next
// request is decided. A failure is logged: the change sequence's follower
// catches up within a second.
func (s *Server) syncAuthz(ctx context.Context) {
	if s.opts.Authz == nil {
		return
	}
	if err := s.opts.Authz.Sync(ctx); err != nil {
		s.log.Warn("syncing the authorizer after a write", "err", err)
	}
}

// target is the IAM action and resource ARN of a call. An IAM operation that
// no table describes acts on "*", so that only a policy allowing its action
// on every resource lets it through.
func (s *Server) target(ctx context.Context, c *Call) (action, resource string) {
	if c.Service == ServiceIAM {
		if t, ok := s.targets[c.Action]; ok {
			return t.action, t.resource(ctx, s, c)
		}
	}
	return string(c.Service) + ":" + c.Action, "*"
}

// iamTarget is an IAM operation's action and the function that finds the
// resource a call acts on.
type iamTarget struct {
	action   string
	resource resourceFunc
}

// iamTargets indexes every IAM operation's target once, as IAMTarget finds
// them (and the simulator's), so that enforcement does not rebuild the
// operation tables on every call.
func (s *Server) iamTargets() map[string]iamTarget {
	m := map[string]iamTarget{}
	sets := append(identityOps(), policyOpSets()...)
	for _, ops := range append(sets, simulateOps()) {
		for _, o := range ops {
			m[o.name] = iamTarget{"iam:" + o.name, o.resource}
		}
	}
	return m
}

// principalOf is the authorizer's view of a verified caller.
func principalOf(c sts.Caller) authz.Principal {
	p := authz.Principal{Account: c.Account, ARN: c.ARN, UserID: c.UserID, Name: c.Name}
	switch c.Type {
	case sts.PrincipalRoot:
		p.Kind = eval.PrincipalRoot
	case sts.PrincipalAssumedRole:
		p.Kind = eval.PrincipalRoleSession
	default:
		p.Kind = eval.PrincipalUser
	}
	if c.Session != nil && c.Key != nil {
		se := c.Session
		p.Session = authz.Session{Key: c.Key.ID, Policies: se.Policies, PolicyARNs: se.PolicyARNs, Issued: se.Issued}
		for _, t := range se.Tags {
			p.Session.Tags = append(p.Session.Tags, eval.Tag{Key: t.Key, Value: t.Value})
		}
	}
	return p
}

// requestInfo is what the HTTP request says about the call's context.
func requestInfo(c *Call) authz.RequestInfo {
	ri := authz.RequestInfo{Time: c.Time, Region: c.Region}
	if c.HTTP != nil {
		ri.Secure = c.HTTP.TLS != nil
		if ap, err := netip.ParseAddrPort(c.HTTP.RemoteAddr); err == nil {
			ri.SourceIP = ap.Addr().Unmap()
		}
	}
	return ri
}

// conditionKeys returns the operation's own condition keys (Service
// Authorization Reference, "Actions defined by AWS Identity and Access
// Management"): the tags a request sets (aws:RequestTag/KEY, aws:TagKeys),
// the policy it attaches (iam:PolicyARN), the boundary it sets
// (iam:PermissionsBoundary), the service of a service-linked role
// (iam:AWSServiceName), and the tags of the user or role it acts on
// (aws:ResourceTag/KEY, iam:ResourceTag/KEY). nil when there are none.
func (s *Server) conditionKeys(ctx context.Context, c *Call) func(*eval.Context) {
	f := c.Form
	if f == nil {
		return nil
	}
	tags := formTags(f)
	untag := f.List("TagKeys")
	attach := strings.HasPrefix(c.Action, "Attach") || strings.HasPrefix(c.Action, "Detach")
	var policyARN string
	if attach {
		// The policy as stored: a customer policy's name is found regardless
		// of case, and a condition on iam:PolicyARN must not be dodged by a
		// spelling (issue 14).
		policyARN = s.storedPolicyARN(ctx, c, f.Get("PolicyArn"))
	}
	service := f.Get("AWSServiceName")
	resTags, boundary := s.targetEntity(ctx, c)
	if b := f.Get("PermissionsBoundary"); b != "" {
		boundary = s.storedPolicyARN(ctx, c, b) // the boundary being set (CreateUser, Put…PermissionsBoundary)
	}
	if len(tags) == 0 && len(untag) == 0 && policyARN == "" && boundary == "" && service == "" && len(resTags) == 0 {
		return nil
	}
	return func(ec *eval.Context) {
		if len(tags) > 0 {
			keys := make([]eval.Value, 0, len(tags))
			for _, t := range tags {
				ec.Add("aws:RequestTag/"+t.Key, eval.String(t.Value))
				keys = append(keys, eval.String(t.Key))
			}
			ec.Add("aws:TagKeys", keys...)
		}
		if len(untag) > 0 {
			keys := make([]eval.Value, 0, len(untag))
			for _, k := range untag {
				keys = append(keys, eval.String(k))
			}
			ec.Add("aws:TagKeys", keys...)
		}
		if policyARN != "" {
			ec.Add("iam:PolicyARN", eval.String(policyARN))
		}
		if boundary != "" {
			ec.Add("iam:PermissionsBoundary", eval.String(boundary))
		}
		if service != "" {
			ec.Add("iam:AWSServiceName", eval.String(service))
		}
		for _, t := range resTags {
			ec.Add("aws:ResourceTag/"+t.Key, eval.String(t.Value))
			ec.Add("iam:ResourceTag/"+t.Key, eval.String(t.Value))
		}
	}
}

// targetEntity returns the tags and the permissions boundary of the existing
// user or role a call acts on (by UserName or RoleName): what
// aws:ResourceTag/KEY and, for the operations that act on an identity's
// permissions (AttachUserPolicy, PutRolePolicy, DeleteRole, …),
// iam:PermissionsBoundary test. Nothing for the Create operations, whose
// resource does not exist yet, nor for a call that names no one.
func (s *Server) targetEntity(ctx context.Context, c *Call) ([]store.Tag, string) {
	if s.opts.IAM == nil || c.Service != ServiceIAM || strings.HasPrefix(c.Action, "Create") {
		return nil, ""
	}
	if name := c.Form.Get("UserName"); name != "" {
		if u, err := s.opts.IAM.GetUser(ctx, c.Caller.Account, name); err == nil {
			return u.Tags, u.PermissionsBoundary
		}
		return nil, ""
	}
	if name := c.Form.Get("RoleName"); name != "" {
		if r, err := s.opts.IAM.GetRole(ctx, c.Caller.Account, name); err == nil {
			return r.Tags, r.PermissionsBoundary
		}
	}
	return nil, ""
}
