package server

import (
	"context"
	"net/netip"

	"github.com/iamq/iamq/eval"
	"github.com/iamq/iamq/internal/authz"
)

// This file enforces the callers' policies on every call (issue 9): before an
// operation runs, the caller becomes an authz.Principal, the operation's
// Target names its action, resource and condition keys, and the authorizer
// decides. Operations registered NoPermission (those AWS never denies, and
// those that authorize themselves with a resource's own policy) skip this
// step.

// enforce authorizes a call for its operation's target, the
// Options.Authorize hook when Options.Authz is set.
func (s *Server) enforce(ctx context.Context, o *op, c *Call) error {
	p := c.Caller
	if p.Kind == eval.PrincipalRoot {
		// The root may do everything in its own account, and every call
		// here acts in the caller's account: no need to build the request.
		s.allowRoot(c)
		return nil
	}
	t := Target{Action: string(c.Service) + ":" + c.Action, Resource: "*"}
	if o.target != nil {
		t = o.target(ctx, c)
	}
	return s.decide(ctx, c, &p, &authz.Request{Action: t.Action, Resource: t.Resource,
		Info: c.RequestInfo(), Keys: t.Keys, Trust: t.Grant})
}

// afterWrite makes this node's caches see its own write before the next
// request is decided, whatever the protocol of the call that wrote: Sync
// passes the write's changes to the credentials and the authorizer's
// compiled sets, each of which drops only what the changes can alter (a
// write that changes nothing of either, such as an SSH key or a broker,
// keeps both). Without a Sync, or while the credentials do not follow the
// change sequence, or when Sync fails, the whole credential cache is
// dropped instead, so that a deleted key never verifies again; a failed
// Sync is logged and leaves the follower behind, which makes the next
// request catch up first (Options.Current).
func (s *Server) afterWrite(ctx context.Context) {
	if s.opts.Sync == nil {
		s.creds.Invalidate()
		return
	}
	if err := s.opts.Sync(ctx); err != nil {
		s.log.Warn("syncing the caches after a write", "err", err)
		s.creds.Invalidate()
		return
	}
	if !s.creds.Following() {
		s.creds.Invalidate()
	}
}

// RequestInfo is what the HTTP request says about the call's context, for
// the condition keys of the request itself (aws:SourceIp, aws:CurrentTime,
// aws:SecureTransport, aws:RequestedRegion).
func (c *Call) RequestInfo() authz.RequestInfo {
	ri := authz.RequestInfo{Time: c.Time, Region: c.Region}
	if c.HTTP != nil {
		ri.Secure = c.HTTP.TLS != nil
		if ap, err := netip.ParseAddrPort(c.HTTP.RemoteAddr); err == nil {
			ri.SourceIP = ap.Addr().Unmap()
		}
	}
	return ri
}
