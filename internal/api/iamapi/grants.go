package iamapi

import (
	"context"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/server"
)

func grantOps() []operation {
	return []operation{
		{"ListPoliciesGrantingServiceAccess", (*api).listPoliciesGrantingServiceAccess, grantEntityResource},
	}
}

// grantEntityResource is the user, group or role the call asks about (the
// resource types of iam:ListPoliciesGrantingServiceAccess in the Service
// Authorization Reference), as stored when it exists: its stored name and
// path, not the request's spelling.
func grantEntityResource(ctx context.Context, a *api, c *server.Call) string {
	given := c.Form.Get("Arn")
	parsed, err := arn.Parse(given)
	if err != nil || parsed.Account != c.Caller.Account {
		return given
	}
	r, _ := parsed.IAM()
	kinds := map[string]iam.Kind{arn.TypeUser: iam.KindUser, arn.TypeGroup: iam.KindGroup, arn.TypeRole: iam.KindRole}
	kind, ok := kinds[r.Type]
	if !ok {
		return given
	}
	if stored, ok := a.iam.EntityARN(ctx, c.Caller.Account, kind, r.Name); ok {
		return stored
	}
	return given
}

// The shapes of ListPoliciesGrantingServiceAccessResult.
type (
	xmlPolicyGrant struct {
		PolicyName string
		PolicyType iam.PolicyType
		PolicyArn  string `xml:",omitempty"`
		EntityType string `xml:",omitempty"`
		EntityName string `xml:",omitempty"`
	}
	xmlServiceAccess struct {
		ServiceNamespace string
		Policies         members[xmlPolicyGrant]
	}
	grantsResult struct {
		PoliciesGrantingServiceAccess members[xmlServiceAccess]
		IsTruncated                   bool
	}
)

// listPoliciesGrantingServiceAccess answers in one page: at most 200
// namespaces, each with the entity's policies.
func (a *api) listPoliciesGrantingServiceAccess(ctx context.Context, c *server.Call) (any, error) {
	entity := c.Form.String("Arn")
	namespaces := c.Form.List("ServiceNamespaces")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	got, err := a.iam.ListPoliciesGrantingServiceAccess(ctx, c.Caller.Account, entity, namespaces)
	if err != nil {
		return nil, err
	}
	out := grantsResult{PoliciesGrantingServiceAccess: list(make([]xmlServiceAccess, 0, len(got)))}
	for _, sa := range got {
		x := xmlServiceAccess{ServiceNamespace: sa.ServiceNamespace, Policies: list(make([]xmlPolicyGrant, 0, len(sa.Policies)))}
		for _, p := range sa.Policies {
			x.Policies.Member = append(x.Policies.Member, xmlPolicyGrant(p))
		}
		out.PoliciesGrantingServiceAccess.Member = append(out.PoliciesGrantingServiceAccess.Member, x)
	}
	return out, nil
}
