package sts

import (
	"context"

	"github.com/iamq/iamq/eval"
	"github.com/iamq/iamq/internal/authz"
)

// authorizeAll asks for each action the request needs: sts:AssumeRole, and
// sts:TagSession with session tags, sts:SetSourceIdentity with a source
// identity (IAM User Guide, "Passing session tags in AWS STS", "Monitor and
// control actions taken with assumed roles").
func (s *Service) authorizeAll(ctx context.Context, caller authz.Principal, info authz.RequestInfo, tr TrustRequest) error {
	actions := []string{"sts:AssumeRole"}
	if len(tr.Input.Tags) > 0 {
		actions = append(actions, "sts:TagSession")
	}
	if tr.Input.SourceIdentity != "" {
		actions = append(actions, "sts:SetSourceIdentity")
	}
	for _, a := range actions {
		tr.Action = a
		if err := s.authorizeTrust(ctx, caller, info, tr); err != nil {
			return err
		}
	}
	return nil
}

// authorizeTrust decides one of AssumeRole's actions: the caller's policies
// and the role's trust policy, with the request's sts: keys (IAM User Guide,
// "AWS STS condition context keys").
func (s *Service) authorizeTrust(ctx context.Context, caller authz.Principal, info authz.RequestInfo, r TrustRequest) error {
	if s.opts.Authz == nil {
		return nil // enforcement off (tests of the wire alone)
	}
	trust, err := authz.CompileTrust(r.RoleARN, r.Role.AssumeRolePolicy)
	if err != nil {
		return err
	}
	in := r.Input
	keys := func(ec *eval.Context) {
		ec.Add("sts:RoleSessionName", eval.String(in.RoleSessionName))
		if in.ExternalID != "" {
			ec.Add("sts:ExternalId", eval.String(in.ExternalID))
		}
		if in.SourceIdentity != "" {
			ec.Add("sts:SourceIdentity", eval.String(in.SourceIdentity))
		}
		if len(r.Tags) > 0 {
			keys := make([]eval.Value, 0, len(r.Tags))
			for _, t := range r.Tags {
				ec.Add("aws:RequestTag/"+t.Key, eval.String(t.Value))
				keys = append(keys, eval.String(t.Key))
			}
			ec.Add("aws:TagKeys", keys...)
		}
		if len(in.TransitiveKeys) > 0 {
			vs := make([]eval.Value, 0, len(in.TransitiveKeys))
			for _, k := range in.TransitiveKeys {
				vs = append(vs, eval.String(k))
			}
			ec.Add("sts:TransitiveTagKeys", vs...)
		}
	}
	return s.opts.Authz.Authorize(ctx, &caller, &authz.Request{Action: r.Action, Resource: r.RoleARN, ResourceAccount: r.Role.AccountID,
		Info: info, Keys: keys, Trust: trust})
}
