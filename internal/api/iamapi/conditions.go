package iamapi

import (
	"context"
	"strings"

	"github.com/iamq/iamq/eval"
	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/server"
)

// conditionKeys returns the operation's own condition keys (Service
// Authorization Reference, "Actions defined by AWS Identity and Access
// Management"): the tags a request sets (aws:RequestTag/KEY, aws:TagKeys),
// the policy it attaches (iam:PolicyARN), the boundary it sets
// (iam:PermissionsBoundary), the service of a service-linked role
// (iam:AWSServiceName), and the tags of the user or role it acts on
// (aws:ResourceTag/KEY, iam:ResourceTag/KEY). nil when there are none.
func (a *api) conditionKeys(ctx context.Context, c *server.Call) func(*eval.Context) {
	f := c.Form
	if f == nil {
		return nil
	}
	tags := server.Tags[iam.Tag](f, "Tags")
	untag := f.List("TagKeys")
	attach := strings.HasPrefix(c.Action, "Attach") || strings.HasPrefix(c.Action, "Detach")
	var policyARN string
	if attach {
		// The policy as stored: a customer policy's name is found regardless
		// of case, and a condition on iam:PolicyARN must not be dodged by a
		// spelling (issue 14).
		policyARN = a.storedPolicyARN(ctx, c, f.Get("PolicyArn"))
	}
	service := f.Get("AWSServiceName")
	resTags, boundary := a.targetEntity(ctx, c)
	if b := f.Get("PermissionsBoundary"); b != "" {
		boundary = a.storedPolicyARN(ctx, c, b) // the boundary being set (CreateUser, Put…PermissionsBoundary)
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
func (a *api) targetEntity(ctx context.Context, c *server.Call) ([]iam.Tag, string) {
	if strings.HasPrefix(c.Action, "Create") {
		return nil, ""
	}
	if name := c.Form.Get("UserName"); name != "" {
		if u, err := a.iam.GetUser(ctx, c.Caller.Account, name); err == nil {
			return u.Tags, u.PermissionsBoundary
		}
		return nil, ""
	}
	if name := c.Form.Get("RoleName"); name != "" {
		if r, err := a.iam.GetRole(ctx, c.Caller.Account, name); err == nil {
			return r.Tags, r.PermissionsBoundary
		}
	}
	return a.providerTags(ctx, c), ""
}
