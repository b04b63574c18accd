package iamapi

import (
	"context"

	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/server"
)

// This file holds the IAM operations that attach managed policies to users,
// groups and roles, list what is attached, and set permissions boundaries.

// holder names the kind of entity an operation acts on and the parameter
// that names it.
type holder struct {
	kind  iam.Kind
	param string // UserName, GroupName or RoleName
	noun  string // User, Group or Role, as operation names spell it
}

var (
	userHolder  = holder{iam.KindUser, "UserName", "User"}
	groupHolder = holder{iam.KindGroup, "GroupName", "Group"}
	roleHolder  = holder{iam.KindRole, "RoleName", "Role"}
)

// ref reads the entity's name from the form (required).
func (h holder) ref(f *server.Form) iam.EntityRef {
	return iam.EntityRef{Kind: h.kind, Name: f.String(h.param)}
}

func attachOps() []operation {
	var ops []operation
	for _, h := range []holder{userHolder, groupHolder, roleHolder} {
		res := entityResource(h.kind, h.param)
		ops = append(ops,
			operation{"Attach" + h.noun + "Policy", h.attach, res},
			operation{"Detach" + h.noun + "Policy", h.detach, res},
			operation{"ListAttached" + h.noun + "Policies", h.listAttached, res})
	}
	for _, h := range []holder{userHolder, roleHolder} {
		res := entityResource(h.kind, h.param)
		ops = append(ops,
			operation{"Put" + h.noun + "PermissionsBoundary", h.putBoundary, res},
			operation{"Delete" + h.noun + "PermissionsBoundary", h.deleteBoundary, res})
	}
	return ops
}

func (h holder) attach(a *api, ctx context.Context, c *server.Call) (any, error) {
	to, arn := h.ref(c.Form), c.Form.String("PolicyArn")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, a.iam.AttachPolicy(ctx, c.Caller.Account, to, arn)
}

func (h holder) detach(a *api, ctx context.Context, c *server.Call) (any, error) {
	from, arn := h.ref(c.Form), c.Form.String("PolicyArn")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, a.iam.DetachPolicy(ctx, c.Caller.Account, from, arn)
}

type attachedPoliciesResult struct {
	AttachedPolicies members[xmlAttachedPolicy]
	IsTruncated      bool
	Marker           string `xml:",omitempty"`
}

func (h holder) listAttached(a *api, ctx context.Context, c *server.Call) (any, error) {
	of, in := h.ref(c.Form), listInput(c.Form)
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	p, err := a.iam.ListAttachedPolicies(ctx, c.Caller.Account, of, in)
	if err != nil {
		return nil, err
	}
	out := attachedPoliciesResult{AttachedPolicies: list(make([]xmlAttachedPolicy, 0, len(p.Items))), IsTruncated: p.IsTruncated, Marker: p.Marker}
	for _, a := range p.Items {
		out.AttachedPolicies.Member = append(out.AttachedPolicies.Member, xmlAttachedPolicy{a.Name, a.ARN})
	}
	return out, nil
}

func (h holder) putBoundary(a *api, ctx context.Context, c *server.Call) (any, error) {
	of, arn := h.ref(c.Form), c.Form.String("PermissionsBoundary")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, a.iam.PutPermissionsBoundary(ctx, c.Caller.Account, of, arn)
}

func (h holder) deleteBoundary(a *api, ctx context.Context, c *server.Call) (any, error) {
	of := h.ref(c.Form)
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, a.iam.DeletePermissionsBoundary(ctx, c.Caller.Account, of)
}
