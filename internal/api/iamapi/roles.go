package iamapi

import (
	"context"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/server"
)

// xmlRoleLastUsed is the model's RoleLastUsed.
type xmlRoleLastUsed struct {
	LastUsedDate string `xml:",omitempty"`
	Region       string `xml:",omitempty"`
}

// xmlRole is the model's Role. Its optional members are pointers or
// omitempty, so that an answer carries only those its roleView gives.
type xmlRole struct {
	Path                     string
	RoleName                 string
	RoleId                   string
	Arn                      string
	CreateDate               string
	AssumeRolePolicyDocument string
	Description              string           `xml:",omitempty"`
	MaxSessionDuration       int              `xml:",omitempty"`
	PermissionsBoundary      *xmlBoundary     `xml:",omitempty"`
	Tags                     *members[xmlTag] `xml:",omitempty"`
	RoleLastUsed             *xmlRoleLastUsed `xml:",omitempty"`
}

// roleView says which optional members of Role an answer carries, as AWS
// was recorded answering (LocalStack's aws.validated snapshots of 2025–2026:
// create-role, get-role, list-roles, instance profiles) and as the IAM API
// Reference says for ListRoles ("does not return … PermissionsBoundary,
// RoleLastUsed, Tags").
type roleView uint8

// The views. Description is in every view when the role has one.
const (
	// roleGot: GetRole. MaxSessionDuration, PermissionsBoundary and Tags
	// when set, and RoleLastUsed always (empty when never used).
	roleGot roleView = iota
	// roleMade: CreateRole, UpdateRoleDescription, CreateServiceLinkedRole.
	// PermissionsBoundary and Tags when set; no MaxSessionDuration, no
	// RoleLastUsed.
	roleMade
	// roleListed: ListRoles. MaxSessionDuration only.
	roleListed
	// roleNested: the roles of an instance profile. None of them.
	roleNested
)

func roleXML(account string, r iam.Role, view roleView) xmlRole {
	out := xmlRole{Path: r.Path, RoleName: r.Name, RoleId: r.ID, Arn: arn.IAMString(account, arn.TypeRole, r.Path, r.Name),
		CreateDate: server.ISODate(r.Created), AssumeRolePolicyDocument: encodeDocument(r.AssumeRolePolicy),
		Description: r.Description}
	if view == roleGot || view == roleListed {
		out.MaxSessionDuration = r.MaxSessionDuration
		if out.MaxSessionDuration == 0 {
			out.MaxSessionDuration = iam.DefaultMaxSessionDuration
		}
	}
	if view == roleGot || view == roleMade {
		out.PermissionsBoundary, out.Tags = boundaryXML(r.PermissionsBoundary), tagMembers(r.Tags)
	}
	if view == roleGot {
		out.RoleLastUsed = &xmlRoleLastUsed{}
		if !r.LastUsed.IsZero() {
			out.RoleLastUsed = &xmlRoleLastUsed{LastUsedDate: server.ISODate(r.LastUsed), Region: r.LastUsedRegion}
		}
	}
	return out
}

type roleResult struct{ Role xmlRole }

type rolesResult struct {
	Roles       members[xmlRole]
	IsTruncated bool
	Marker      string `xml:",omitempty"`
}

func roleOps() []operation {
	role := entityResource(iam.KindRole, "RoleName")
	return []operation{
		{"CreateRole", (*api).createRole, role},
		{"GetRole", (*api).getRole, role},
		{"ListRoles", (*api).listRoles, listResource("role")},
		{"UpdateRole", (*api).updateRole, role},
		{"UpdateRoleDescription", (*api).updateRoleDescription, role},
		{"UpdateAssumeRolePolicy", (*api).updateAssumeRolePolicy, role},
		{"DeleteRole", (*api).deleteRole, role},
		{"TagRole", (*api).tagRole, role},
		{"UntagRole", (*api).untagRole, role},
		{"ListRoleTags", (*api).listRoleTags, role},
	}
}

func (a *api) createRole(ctx context.Context, c *server.Call) (any, error) {
	f := c.Form
	in := iam.CreateRoleInput{RoleName: f.String("RoleName"), Path: f.Get("Path"),
		AssumeRolePolicyDocument: f.String("AssumeRolePolicyDocument"), Description: f.Get("Description"),
		PermissionsBoundary: f.Get("PermissionsBoundary"), Tags: server.Tags[iam.Tag](f, "Tags")}
	if n, ok := f.Int("MaxSessionDuration"); ok {
		in.MaxSessionDuration = n
		if n == 0 { // 0 means "not given" to package iam
			f.Fail("Value '0' at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600")
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	r, err := a.iam.CreateRole(ctx, c.Caller.Account, in)
	if err != nil {
		return nil, err
	}
	return roleResult{roleXML(c.Caller.Account, r, roleMade)}, nil
}

func (a *api) getRole(ctx context.Context, c *server.Call) (any, error) {
	name := c.Form.String("RoleName")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	r, err := a.iam.GetRole(ctx, c.Caller.Account, name)
	if err != nil {
		return nil, err
	}
	return roleResult{roleXML(c.Caller.Account, r, roleGot)}, nil
}

func (a *api) listRoles(ctx context.Context, c *server.Call) (any, error) {
	in := listInput(c.Form)
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	p, err := a.iam.ListRoles(ctx, c.Caller.Account, in)
	if err != nil {
		return nil, err
	}
	out := rolesResult{Roles: list(make([]xmlRole, 0, len(p.Items))), IsTruncated: p.IsTruncated, Marker: p.Marker}
	for _, r := range p.Items {
		out.Roles.Member = append(out.Roles.Member, roleXML(c.Caller.Account, r, roleListed))
	}
	return out, nil
}

// updateRole answers UpdateRole, whose result is empty.
func (a *api) updateRole(ctx context.Context, c *server.Call) (any, error) {
	f := c.Form
	in := iam.UpdateRoleInput{RoleName: f.String("RoleName")}
	if d, ok := f.Optional("Description"); ok {
		in.Description = &d
	}
	if n, ok := f.Int("MaxSessionDuration"); ok {
		in.MaxSessionDuration = &n
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	_, err := a.iam.UpdateRole(ctx, c.Caller.Account, in)
	return struct{}{}, err
}

func (a *api) updateRoleDescription(ctx context.Context, c *server.Call) (any, error) {
	name, d := c.Form.String("RoleName"), c.Form.String("Description")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	r, err := a.iam.UpdateRoleDescription(ctx, c.Caller.Account, name, d)
	if err != nil {
		return nil, err
	}
	return roleResult{roleXML(c.Caller.Account, r, roleMade)}, nil
}

func (a *api) updateAssumeRolePolicy(ctx context.Context, c *server.Call) (any, error) {
	name, doc := c.Form.String("RoleName"), c.Form.String("PolicyDocument")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, a.iam.UpdateAssumeRolePolicy(ctx, c.Caller.Account, name, doc)
}

func (a *api) deleteRole(ctx context.Context, c *server.Call) (any, error) {
	name := c.Form.String("RoleName")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, a.iam.DeleteRole(ctx, c.Caller.Account, name)
}

func (a *api) tagRole(ctx context.Context, c *server.Call) (any, error) {
	name, tags := c.Form.String("RoleName"), server.Tags[iam.Tag](c.Form, "Tags")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, a.iam.TagRole(ctx, c.Caller.Account, name, tags)
}

func (a *api) untagRole(ctx context.Context, c *server.Call) (any, error) {
	name, keys := c.Form.String("RoleName"), c.Form.List("TagKeys")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, a.iam.UntagRole(ctx, c.Caller.Account, name, keys)
}

func (a *api) listRoleTags(ctx context.Context, c *server.Call) (any, error) {
	name, in := c.Form.String("RoleName"), listInput(c.Form)
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	p, err := a.iam.ListRoleTags(ctx, c.Caller.Account, name, in)
	if err != nil {
		return nil, err
	}
	return tagPage(p), nil
}
