package server

import (
	"context"

	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/store"
)

// xmlGroup is the model's Group.
type xmlGroup struct {
	Path       string
	GroupName  string
	GroupId    string
	Arn        string
	CreateDate string
}

func groupXML(account string, g store.Group) xmlGroup {
	return xmlGroup{Path: g.Path, GroupName: g.Name, GroupId: g.ID, Arn: iam.GroupARN(account, g.Path, g.Name), CreateDate: isoDate(g.Created)}
}

type groupResult struct{ Group xmlGroup }

type groupsResult struct {
	Groups      members[xmlGroup]
	IsTruncated bool
	Marker      string `xml:",omitempty"`
}

func groupsPage(account string, p iam.Page[store.Group]) groupsResult {
	out := groupsResult{Groups: list(make([]xmlGroup, 0, len(p.Items))), IsTruncated: p.IsTruncated, Marker: p.Marker}
	for _, g := range p.Items {
		out.Groups.Member = append(out.Groups.Member, groupXML(account, g))
	}
	return out
}

// getGroupResult is GetGroup's answer: the group and a page of its users.
type getGroupResult struct {
	Group       xmlGroup
	Users       members[xmlUser]
	IsTruncated bool
	Marker      string `xml:",omitempty"`
}

func groupOps() []iamOp {
	group := entityResource(store.KindGroup, "GroupName")
	return []iamOp{
		{"CreateGroup", (*Server).createGroup, group},
		{"GetGroup", (*Server).getGroup, group},
		{"ListGroups", (*Server).listGroups, listResource("group")},
		{"UpdateGroup", (*Server).updateGroup, group},
		{"DeleteGroup", (*Server).deleteGroup, group},
		{"AddUserToGroup", (*Server).addUserToGroup, group},
		{"RemoveUserFromGroup", (*Server).removeUserFromGroup, group},
		{"ListGroupsForUser", (*Server).listGroupsForUser, entityResource(store.KindUser, "UserName")},
	}
}

func (s *Server) createGroup(ctx context.Context, c *Call) (any, error) {
	name, path := c.Form.String("GroupName"), c.Form.Get("Path")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	g, err := s.opts.IAM.CreateGroup(ctx, c.Caller.Account, name, path)
	if err != nil {
		return nil, err
	}
	return groupResult{groupXML(c.Caller.Account, g)}, nil
}

func (s *Server) getGroup(ctx context.Context, c *Call) (any, error) {
	name, in := c.Form.String("GroupName"), listInput(c.Form)
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	g, err := s.opts.IAM.GetGroup(ctx, c.Caller.Account, name, in)
	if err != nil {
		return nil, err
	}
	out := getGroupResult{Group: groupXML(c.Caller.Account, g.Group), Users: list(make([]xmlUser, 0, len(g.Users.Items))),
		IsTruncated: g.Users.IsTruncated, Marker: g.Users.Marker}
	for _, u := range g.Users.Items {
		out.Users.Member = append(out.Users.Member, userXML(c.Caller.Account, u))
	}
	return out, nil
}

func (s *Server) listGroups(ctx context.Context, c *Call) (any, error) {
	in := listInput(c.Form)
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	p, err := s.opts.IAM.ListGroups(ctx, c.Caller.Account, in)
	if err != nil {
		return nil, err
	}
	return groupsPage(c.Caller.Account, p), nil
}

func (s *Server) updateGroup(ctx context.Context, c *Call) (any, error) {
	f := c.Form
	in := iam.UpdateGroupInput{GroupName: f.String("GroupName"), NewGroupName: f.Get("NewGroupName"), NewPath: f.Get("NewPath")}
	if err := f.Err(); err != nil {
		return nil, err
	}
	return nil, s.opts.IAM.UpdateGroup(ctx, c.Caller.Account, in)
}

func (s *Server) deleteGroup(ctx context.Context, c *Call) (any, error) {
	name := c.Form.String("GroupName")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, s.opts.IAM.DeleteGroup(ctx, c.Caller.Account, name)
}

func (s *Server) addUserToGroup(ctx context.Context, c *Call) (any, error) {
	group, user := c.Form.String("GroupName"), c.Form.String("UserName")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, s.opts.IAM.AddUserToGroup(ctx, c.Caller.Account, group, user)
}

func (s *Server) removeUserFromGroup(ctx context.Context, c *Call) (any, error) {
	group, user := c.Form.String("GroupName"), c.Form.String("UserName")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, s.opts.IAM.RemoveUserFromGroup(ctx, c.Caller.Account, group, user)
}

func (s *Server) listGroupsForUser(ctx context.Context, c *Call) (any, error) {
	user, in := c.Form.String("UserName"), listInput(c.Form)
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	p, err := s.opts.IAM.ListGroupsForUser(ctx, c.Caller.Account, user, in)
	if err != nil {
		return nil, err
	}
	return groupsPage(c.Caller.Account, p), nil
}
