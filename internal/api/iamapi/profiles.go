package iamapi

import (
	"context"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/server"
)

// xmlInstanceProfile is the model's InstanceProfile, with its roles.
type xmlInstanceProfile struct {
	Path                string
	InstanceProfileName string
	InstanceProfileId   string
	Arn                 string
	CreateDate          string
	Roles               members[xmlRole]
	Tags                *members[xmlTag] `xml:",omitempty"`
}

// profileXML is an instance profile as CreateInstanceProfile and
// GetInstanceProfile answer it (Tags when it has some) or, listed, as the
// List operations do (no Tags: IAM API Reference, ListInstanceProfiles).
// Its roles carry none of Role's optional members but Description (AWS's
// recorded answers, LocalStack's snapshots of 2026).
func profileXML(account string, p iam.ProfileWithRoles, listed bool) xmlInstanceProfile {
	ip := p.Profile
	out := xmlInstanceProfile{Path: ip.Path, InstanceProfileName: ip.Name, InstanceProfileId: ip.ID,
		Arn: arn.IAMString(account, arn.TypeInstanceProfile, ip.Path, ip.Name), CreateDate: server.ISODate(ip.Created),
		Roles: list(make([]xmlRole, 0, len(p.Roles)))}
	if !listed {
		out.Tags = tagMembers(ip.Tags)
	}
	for _, r := range p.Roles {
		out.Roles.Member = append(out.Roles.Member, roleXML(account, r, roleNested))
	}
	return out
}

type profileResult struct{ InstanceProfile xmlInstanceProfile }

type profilesResult struct {
	InstanceProfiles members[xmlInstanceProfile]
	IsTruncated      bool
	Marker           string `xml:",omitempty"`
}

func profilesPage(account string, p iam.Page[iam.ProfileWithRoles]) profilesResult {
	out := profilesResult{InstanceProfiles: list(make([]xmlInstanceProfile, 0, len(p.Items))), IsTruncated: p.IsTruncated, Marker: p.Marker}
	for _, ip := range p.Items {
		out.InstanceProfiles.Member = append(out.InstanceProfiles.Member, profileXML(account, ip, true))
	}
	return out
}

func profileOps() []operation {
	profile := entityResource(iam.KindInstanceProfile, "InstanceProfileName")
	return []operation{
		{"CreateInstanceProfile", (*api).createInstanceProfile, profile},
		{"GetInstanceProfile", (*api).getInstanceProfile, profile},
		{"ListInstanceProfiles", (*api).listInstanceProfiles, listResource("instance-profile")},
		{"DeleteInstanceProfile", (*api).deleteInstanceProfile, profile},
		{"AddRoleToInstanceProfile", (*api).addRoleToInstanceProfile, profile},
		{"RemoveRoleFromInstanceProfile", (*api).removeRoleFromInstanceProfile, profile},
		{"ListInstanceProfilesForRole", (*api).listInstanceProfilesForRole, entityResource(iam.KindRole, "RoleName")},
		{"TagInstanceProfile", (*api).tagInstanceProfile, profile},
		{"UntagInstanceProfile", (*api).untagInstanceProfile, profile},
		{"ListInstanceProfileTags", (*api).listInstanceProfileTags, profile},
	}
}

func (a *api) createInstanceProfile(ctx context.Context, c *server.Call) (any, error) {
	name, path, tags := c.Form.String("InstanceProfileName"), c.Form.Get("Path"), server.Tags[iam.Tag](c.Form, "Tags")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	p, err := a.iam.CreateInstanceProfile(ctx, c.Caller.Account, name, path, tags)
	if err != nil {
		return nil, err
	}
	return profileResult{profileXML(c.Caller.Account, iam.ProfileWithRoles{Profile: p}, false)}, nil
}

func (a *api) getInstanceProfile(ctx context.Context, c *server.Call) (any, error) {
	name := c.Form.String("InstanceProfileName")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	p, err := a.iam.GetInstanceProfile(ctx, c.Caller.Account, name)
	if err != nil {
		return nil, err
	}
	return profileResult{profileXML(c.Caller.Account, p, false)}, nil
}

func (a *api) listInstanceProfiles(ctx context.Context, c *server.Call) (any, error) {
	in := listInput(c.Form)
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	p, err := a.iam.ListInstanceProfiles(ctx, c.Caller.Account, in)
	if err != nil {
		return nil, err
	}
	return profilesPage(c.Caller.Account, p), nil
}

func (a *api) listInstanceProfilesForRole(ctx context.Context, c *server.Call) (any, error) {
	role, in := c.Form.String("RoleName"), listInput(c.Form)
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	p, err := a.iam.ListInstanceProfilesForRole(ctx, c.Caller.Account, role, in)
	if err != nil {
		return nil, err
	}
	return profilesPage(c.Caller.Account, p), nil
}

func (a *api) deleteInstanceProfile(ctx context.Context, c *server.Call) (any, error) {
	name := c.Form.String("InstanceProfileName")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, a.iam.DeleteInstanceProfile(ctx, c.Caller.Account, name)
}

func (a *api) addRoleToInstanceProfile(ctx context.Context, c *server.Call) (any, error) {
	profile, role := c.Form.String("InstanceProfileName"), c.Form.String("RoleName")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, a.iam.AddRoleToInstanceProfile(ctx, c.Caller.Account, profile, role)
}

func (a *api) removeRoleFromInstanceProfile(ctx context.Context, c *server.Call) (any, error) {
	profile, role := c.Form.String("InstanceProfileName"), c.Form.String("RoleName")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, a.iam.RemoveRoleFromInstanceProfile(ctx, c.Caller.Account, profile, role)
}

func (a *api) tagInstanceProfile(ctx context.Context, c *server.Call) (any, error) {
	name, tags := c.Form.String("InstanceProfileName"), server.Tags[iam.Tag](c.Form, "Tags")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, a.iam.TagInstanceProfile(ctx, c.Caller.Account, name, tags)
}

func (a *api) untagInstanceProfile(ctx context.Context, c *server.Call) (any, error) {
	name, keys := c.Form.String("InstanceProfileName"), c.Form.List("TagKeys")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, a.iam.UntagInstanceProfile(ctx, c.Caller.Account, name, keys)
}

func (a *api) listInstanceProfileTags(ctx context.Context, c *server.Call) (any, error) {
	name, in := c.Form.String("InstanceProfileName"), listInput(c.Form)
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	p, err := a.iam.ListInstanceProfileTags(ctx, c.Caller.Account, name, in)
	if err != nil {
		return nil, err
	}
	return tagPage(p), nil
}
