package iamapi

import (
	"context"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/server"
)

// xmlGroup is the model's Group.
type xmlGroup struct {
	Path       string
	GroupName  string
	GroupId    string
	Arn        string
	CreateDate string
}

func groupXML(account string, g iam.Group) xmlGroup {
	return xmlGroup{Path: g.Path, GroupName: g.Name, GroupId: g.ID, Arn: arn.IAMString(account, arn.TypeGroup, g.Path, g.Name), CreateDate: server.ISODate(g.Created)}
}

type groupResult struct{ Group xmlGroup }

type groupsResult struct {
	Groups      members[xmlGroup]
	IsTruncated bool
	Marker      string `xml:",omitempty"`
}

func groupsPage(account string, p iam.Page[iam.Group]) groupsResult {
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

func groupOps() []operation {
	group := entityResource(iam.KindGroup, "GroupName")
	return []operation{
		{"CreateGroup", (*api).createGroup, group},
		{"GetGroup", (*api).getGroup, group},
		{"ListGroups", (*api).listGroups, listResource("group")},
		{"UpdateGroup", (*api).updateGroup, group},
		{"DeleteGroup", (*api).deleteGroup, group},
		{"AddUserToGroup", (*api).addUserToGroup, group},
		{"RemoveUserFromGroup", (*api).removeUserFromGroup, group},
		{"ListGroupsForUser", (*api).listGroupsForUser, entityResource(iam.KindUser, "UserName")},
	}
}

func (a *api) createGroup(ctx context.Context, c *server.Call) (any, error) {
	name, path := c.Form.String("GroupName"), c.Form.Get("Path")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	g, err := a.iam.CreateGroup(ctx, c.Caller.Account, name, path)
	if err != nil {
		return nil, err
	}
	return groupResult{groupXML(c.Caller.Account, g)}, nil
}

func (a *api) getGroup(ctx context.Context, c *server.Call) (any, error) {
	name, in := c.Form.String("GroupName"), listInput(c.Form)
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	g, err := a.iam.GetGroup(ctx, c.Caller.Account, name, in)
	if err != nil {
		return nil, err
	}
	out := getGroupResult{Group: groupXML(c.Caller.Account, g.Group), Users: list(make([]xmlUser, 0, len(g.Users.Items))),
		IsTruncated: g.Users.IsTruncated, Marker: g.Users.Marker}
	for _, u := range g.Users.Items {
		out.Users.Member = append(out.Users.Member, userXML(c.Caller.Account, u, true))
	}
	return out, nil
}

func (a *api) listGroups(ctx context.Context, c *server.Call) (any, error) {
	in := listInput(c.Form)
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	p, err := a.iam.ListGroups(ctx, c.Caller.Account, in)
	if err != nil {
		return nil, err
	}
	return groupsPage(c.Caller.Account, p), nil
}

func (a *api) updateGroup(ctx context.Context, c *server.Call) (any, error) {
	f := c.Form
	in := iam.UpdateGroupInput{GroupName: f.String("GroupName"), NewGroupName: f.Get("NewGroupName"), NewPath: f.Get("NewPath")}
	if err := f.Err(); err != nil {
		return nil, err
	}
	if err := a.authorizeRename(ctx, c, "iam:UpdateGroup", iam.KindGroup, in.GroupName, in.NewGroupName, in.NewPath); err != nil {
		return nil, err
	}
	return nil, a.iam.UpdateGroup(ctx, c.Caller.Account, in)
}

func (a *api) deleteGroup(ctx context.Context, c *server.Call) (any, error) {
	name := c.Form.String("GroupName")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, a.iam.DeleteGroup(ctx, c.Caller.Account, name)
}

func (a *api) addUserToGroup(ctx context.Context, c *server.Call) (any, error) {
	group, user := c.Form.String("GroupName"), c.Form.String("UserName")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, a.iam.AddUserToGroup(ctx, c.Caller.Account, group, user)
}

func (a *api) removeUserFromGroup(ctx context.Context, c *server.Call) (any, error) {
	group, user := c.Form.String("GroupName"), c.Form.String("UserName")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, a.iam.RemoveUserFromGroup(ctx, c.Caller.Account, group, user)
}

func (a *api) listGroupsForUser(ctx context.Context, c *server.Call) (any, error) {
	user, in := c.Form.String("UserName"), listInput(c.Form)
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	p, err := a.iam.ListGroupsForUser(ctx, c.Caller.Account, user, in)
	if err != nil {
		return nil, err
	}
	return groupsPage(c.Caller.Account, p), nil
}
