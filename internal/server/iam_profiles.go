package server

import (
	"context"

	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/store"
)

// xmlInstanceProfile is the model's InstanceProfile, with its roles.
type xmlInstanceProfile struct {
	Path                string
	InstanceProfileName string
	InstanceProfileId   string
	Arn                 string
	CreateDate          string
	Roles               members[xmlRole]
	Tags                []xmlTag `xml:"Tags>member,omitempty"`
}

func profileXML(account string, p iam.ProfileWithRoles) xmlInstanceProfile {
	ip := p.Profile
	out := xmlInstanceProfile{Path: ip.Path, InstanceProfileName: ip.Name, InstanceProfileId: ip.ID,
		Arn: iam.InstanceProfileARN(account, ip.Path, ip.Name), CreateDate: isoDate(ip.Created),
		Roles: list(make([]xmlRole, 0, len(p.Roles))), Tags: tagsXML(ip.Tags)}
	for _, r := range p.Roles {
		out.Roles.Member = append(out.Roles.Member, roleXML(account, r))
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
		out.InstanceProfiles.Member = append(out.InstanceProfiles.Member, profileXML(account, ip))
	}
	return out
}

func profileOps() []iamOp {
	profile := entityResource(store.KindInstanceProfile, "InstanceProfileName")
	return []iamOp{
		{"CreateInstanceProfile", (*Server).createInstanceProfile, profile},
		{"GetInstanceProfile", (*Server).getInstanceProfile, profile},
		{"ListInstanceProfiles", (*Server).listInstanceProfiles, listResource("instance-profile")},
		{"DeleteInstanceProfile", (*Server).deleteInstanceProfile, profile},
		{"AddRoleToInstanceProfile", (*Server).addRoleToInstanceProfile, profile},
		{"RemoveRoleFromInstanceProfile", (*Server).removeRoleFromInstanceProfile, profile},
		{"ListInstanceProfilesForRole", (*Server).listInstanceProfilesForRole, entityResource(store.KindRole, "RoleName")},
		{"TagInstanceProfile", (*Server).tagInstanceProfile, profile},
		{"UntagInstanceProfile", (*Server).untagInstanceProfile, profile},
		{"ListInstanceProfileTags", (*Server).listInstanceProfileTags, profile},
	}
}

func (s *Server) createInstanceProfile(ctx context.Context, c *Call) (any, error) {
	name, path, tags := c.Form.String("InstanceProfileName"), c.Form.Get("Path"), formTags(c.Form)
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	p, err := s.opts.IAM.CreateInstanceProfile(ctx, c.Caller.Account, name, path, tags)
	if err != nil {
		return nil, err
	}
	return profileResult{profileXML(c.Caller.Account, iam.ProfileWithRoles{Profile: p})}, nil
}

func (s *Server) getInstanceProfile(ctx context.Context, c *Call) (any, error) {
	name := c.Form.String("InstanceProfileName")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	p, err := s.opts.IAM.GetInstanceProfile(ctx, c.Caller.Account, name)
	if err != nil {
		return nil, err
	}
	return profileResult{profileXML(c.Caller.Account, p)}, nil
}

func (s *Server) listInstanceProfiles(ctx context.Context, c *Call) (any, error) {
	in := listInput(c.Form)
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	p, err := s.opts.IAM.ListInstanceProfiles(ctx, c.Caller.Account, in)
	if err != nil {
		return nil, err
	}
	return profilesPage(c.Caller.Account, p), nil
}

func (s *Server) listInstanceProfilesForRole(ctx context.Context, c *Call) (any, error) {
	role, in := c.Form.String("RoleName"), listInput(c.Form)
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	p, err := s.opts.IAM.ListInstanceProfilesForRole(ctx, c.Caller.Account, role, in)
	if err != nil {
		return nil, err
	}
	return profilesPage(c.Caller.Account, p), nil
}

func (s *Server) deleteInstanceProfile(ctx context.Context, c *Call) (any, error) {
	name := c.Form.String("InstanceProfileName")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, s.opts.IAM.DeleteInstanceProfile(ctx, c.Caller.Account, name)
}

func (s *Server) addRoleToInstanceProfile(ctx context.Context, c *Call) (any, error) {
	profile, role := c.Form.String("InstanceProfileName"), c.Form.String("RoleName")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, s.opts.IAM.AddRoleToInstanceProfile(ctx, c.Caller.Account, profile, role)
}

func (s *Server) removeRoleFromInstanceProfile(ctx context.Context, c *Call) (any, error) {
	profile, role := c.Form.String("InstanceProfileName"), c.Form.String("RoleName")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, s.opts.IAM.RemoveRoleFromInstanceProfile(ctx, c.Caller.Account, profile, role)
}

func (s *Server) tagInstanceProfile(ctx context.Context, c *Call) (any, error) {
	name, tags := c.Form.String("InstanceProfileName"), formTags(c.Form)
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, s.opts.IAM.TagInstanceProfile(ctx, c.Caller.Account, name, tags)
}

func (s *Server) untagInstanceProfile(ctx context.Context, c *Call) (any, error) {
	name, keys := c.Form.String("InstanceProfileName"), c.Form.List("TagKeys")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, s.opts.IAM.UntagInstanceProfile(ctx, c.Caller.Account, name, keys)
}

func (s *Server) listInstanceProfileTags(ctx context.Context, c *Call) (any, error) {
	name, in := c.Form.String("InstanceProfileName"), listInput(c.Form)
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	p, err := s.opts.IAM.ListInstanceProfileTags(ctx, c.Caller.Account, name, in)
	if err != nil {
		return nil, err
	}
	return tagPage(p), nil
}
