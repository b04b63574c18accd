package iamapi

import (
	"context"
	"encoding/xml"

	"github.com/iamq/iamq/internal/server"
)

// This file holds the IAM operations on inline policies of users, groups and
// roles: Put, Get, Delete and List{User,Group,Role}Policy/Policies.

func inlineOps() []operation {
	var ops []operation
	for _, h := range []holder{userHolder, groupHolder, roleHolder} {
		res := entityResource(h.kind, h.param)
		ops = append(ops,
			operation{"Put" + h.noun + "Policy", h.putInline, res},
			operation{"Get" + h.noun + "Policy", h.getInline, res},
			operation{"Delete" + h.noun + "Policy", h.deleteInline, res},
			operation{"List" + h.noun + "Policies", h.listInline, res})
	}
	return ops
}

func (h holder) putInline(a *api, ctx context.Context, c *server.Call) (any, error) {
	of, name, doc := h.ref(c.Form), c.Form.String("PolicyName"), c.Form.String("PolicyDocument")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, a.iam.PutInlinePolicy(ctx, c.Caller.Account, of, name, doc)
}

// inlinePolicyResult is Get{User,Group,Role}PolicyResult: the entity's name
// under its own element (UserName, GroupName or RoleName), the policy's name
// and its document, URL-encoded as IAM returns it.
type inlinePolicyResult struct {
	Entity         xml.Name
	EntityName     string
	PolicyName     string
	PolicyDocument string
}

// MarshalXML writes the three elements in the model's order.
func (r inlinePolicyResult) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	v := struct {
		Entity         xmlNamed
		PolicyName     string
		PolicyDocument string
	}{xmlNamed{r.Entity, r.EntityName}, r.PolicyName, r.PolicyDocument}
	return e.EncodeElement(v, start)
}

// xmlNamed is an element whose name is chosen at run time.
type xmlNamed struct {
	XMLName xml.Name
	Value   string `xml:",chardata"`
}

func (h holder) getInline(a *api, ctx context.Context, c *server.Call) (any, error) {
	of, name := h.ref(c.Form), c.Form.String("PolicyName")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	p, err := a.iam.GetInlinePolicy(ctx, c.Caller.Account, of, name)
	if err != nil {
		return nil, err
	}
	return inlinePolicyResult{Entity: xml.Name{Local: h.param}, EntityName: of.Name, PolicyName: p.Name,
		PolicyDocument: encodeDocument(p.Document)}, nil
}

func (h holder) deleteInline(a *api, ctx context.Context, c *server.Call) (any, error) {
	of, name := h.ref(c.Form), c.Form.String("PolicyName")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, a.iam.DeleteInlinePolicy(ctx, c.Caller.Account, of, name)
}

type inlinePoliciesResult struct {
	PolicyNames members[string]
	IsTruncated bool
	Marker      string `xml:",omitempty"`
}

func (h holder) listInline(a *api, ctx context.Context, c *server.Call) (any, error) {
	of, in := h.ref(c.Form), listInput(c.Form)
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	p, err := a.iam.ListInlinePolicies(ctx, c.Caller.Account, of, in)
	if err != nil {
		return nil, err
	}
	return inlinePoliciesResult{PolicyNames: list(p.Items), IsTruncated: p.IsTruncated, Marker: p.Marker}, nil
}
