package iamapi

import (
	"context"
	"net/url"
	"strings"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/eval"
	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/server"
)

// This file holds the IAM user operations and what every IAM identity
// operation shares: the operation table with each operation's resource, the
// list input, tags, dates and documents as IAM's XML carries them.

// anyResource is the resource of account-wide operations.
func anyResource(context.Context, *api, *server.Call) string { return "*" }

// listResource is the resource of List operations of a kind of entity:
// arn:aws:iam::ACCOUNT:user/PATHPREFIX, as IAM names it in its denials.
func listResource(kind string) resourceFunc {
	return func(_ context.Context, _ *api, c *server.Call) string {
		// An empty PathPrefix is the root path "/", as arn.IAMString reads it.
		return arn.IAMString(c.Caller.Account, kind, c.Form.Get("PathPrefix"), "")
	}
}

// entityResource is the ARN of the user, group, role or instance profile
// named by param as stored: its path, and its name spelled as IAM keeps it,
// whatever case the request used (names are unique regardless of case). An
// entity that does not exist yet (being created) gets the request's Path and
// name. A missing name means the caller itself.
func entityResource(kind iam.Kind, param string) resourceFunc {
	return func(ctx context.Context, a *api, c *server.Call) string {
		name, account := c.Form.Get(param), c.Caller.Account
		if name == "" {
			return c.Caller.ARN
		}
		if arn, ok := a.iam.EntityARN(ctx, account, kind, name); ok {
			return arn
		}
		path := c.Form.Get("Path")
		switch kind {
		case iam.KindUser:
			return arn.IAMString(account, arn.TypeUser, path, name)
		case iam.KindGroup:
			return arn.IAMString(account, arn.TypeGroup, path, name)
		case iam.KindRole:
			return arn.IAMString(account, arn.TypeRole, path, name)
		}
		return arn.IAMString(account, arn.TypeInstanceProfile, path, name)
	}
}

// listInput reads Marker, MaxItems and PathPrefix. An explicit MaxItems of 0
// or less is refused here: 0 means "not given" to package iam.
func listInput(f *server.Form) iam.ListInput {
	in := iam.ListInput{PathPrefix: f.Get("PathPrefix"), Marker: f.Get("Marker")}
	if n, ok := f.Int("MaxItems"); ok {
		if n < 1 {
			f.Fail("Value '" + f.Get("MaxItems") + "' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1")
		}
		in.MaxItems = n
	}
	return in
}

// members is a list as the Query protocol's XML carries it: <member>
// elements. The wrapper element is written even when the list is empty.
type members[T any] struct {
	Member []T `xml:"member"`
}

func list[T any](items []T) members[T] { return members[T]{Member: items} }

// xmlTag is a tag.
type xmlTag struct {
	Key   string
	Value string
}

// tagMembers is an entity's Tags as GetUser, GetRole and the Create
// operations answer them: nil, so no <Tags> at all, when it has none (AWS's
// recorded answers, LocalStack's snapshots of 2026). encoding/xml writes the
// parent of a "Tags>member" field even when the list is empty, hence the
// pointer.
func tagMembers(tags []iam.Tag) *members[xmlTag] {
	if len(tags) == 0 {
		return nil
	}
	return &members[xmlTag]{Member: tagsXML(tags)}
}

func tagsXML(tags []iam.Tag) []xmlTag {
	if len(tags) == 0 {
		return nil
	}
	out := make([]xmlTag, len(tags))
	for i, t := range tags {
		out[i] = xmlTag(t)
	}
	return out
}

// tagsResult is the answer of ListUserTags, ListRoleTags and
// ListInstanceProfileTags.
type tagsResult struct {
	Tags        members[xmlTag]
	IsTruncated bool
	Marker      string `xml:",omitempty"`
}

func tagPage(p iam.Page[iam.Tag]) tagsResult {
	return tagsResult{Tags: list(tagsXML(p.Items)), IsTruncated: p.IsTruncated, Marker: p.Marker}
}

// encodeDocument writes a policy document as IAM returns it: URL-encoded
// (RFC 3986), which the AWS CLI decodes and the SDKs leave to the caller.
func encodeDocument(doc string) string {
	return strings.ReplaceAll(url.QueryEscape(doc), "+", "%20")
}

// xmlBoundary is an identity's permissions boundary.
type xmlBoundary struct {
	PermissionsBoundaryType string
	PermissionsBoundaryArn  string
}

func boundaryXML(arn string) *xmlBoundary {
	if arn == "" {
		return nil
	}
	return &xmlBoundary{PermissionsBoundaryType: iam.BoundaryType, PermissionsBoundaryArn: arn}
}

// xmlUser is the model's User.
type xmlUser struct {
	Path                string `xml:",omitempty"`
	UserName            string `xml:",omitempty"`
	UserId              string
	Arn                 string
	CreateDate          string
	PermissionsBoundary *xmlBoundary     `xml:",omitempty"`
	Tags                *members[xmlTag] `xml:",omitempty"`
}

// userXML is a user as CreateUser and GetUser answer it (PermissionsBoundary
// and Tags when set) or, listed, as ListUsers and GetGroup do (neither: IAM
// API Reference, ListUsers, "does not return … PermissionsBoundary, Tags").
func userXML(account string, u iam.User, listed bool) xmlUser {
	out := xmlUser{Path: u.Path, UserName: u.Name, UserId: u.ID, Arn: arn.IAMString(account, arn.TypeUser, u.Path, u.Name),
		CreateDate: server.ISODate(u.Created)}
	if !listed {
		out.PermissionsBoundary, out.Tags = boundaryXML(u.PermissionsBoundary), tagMembers(u.Tags)
	}
	return out
}

type userResult struct{ User xmlUser }

type usersResult struct {
	Users       members[xmlUser]
	IsTruncated bool
	Marker      string `xml:",omitempty"`
}

func userOps() []operation {
	user := entityResource(iam.KindUser, "UserName")
	return []operation{
		{"CreateUser", (*api).createUser, user},
		{"GetUser", (*api).getUser, user},
		{"ListUsers", (*api).listUsers, listResource("user")},
		{"UpdateUser", (*api).updateUser, user},
		{"DeleteUser", (*api).deleteUser, user},
		{"TagUser", (*api).tagUser, user},
		{"UntagUser", (*api).untagUser, user},
		{"ListUserTags", (*api).listUserTags, user},
	}
}

func (a *api) createUser(ctx context.Context, c *server.Call) (any, error) {
	f := c.Form
	in := iam.CreateUserInput{UserName: f.String("UserName"), Path: f.Get("Path"),
		PermissionsBoundary: f.Get("PermissionsBoundary"), Tags: server.Tags[iam.Tag](f, "Tags")}
	if err := f.Err(); err != nil {
		return nil, err
	}
	u, err := a.iam.CreateUser(ctx, c.Caller.Account, in)
	if err != nil {
		return nil, err
	}
	return userResult{userXML(c.Caller.Account, u, false)}, nil
}

// getUser answers GetUser; without UserName it describes the caller: a user,
// or the root (its account id as UserId, no name), as IAM does.
func (a *api) getUser(ctx context.Context, c *server.Call) (any, error) {
	name := c.Form.Get("UserName")
	account := c.Caller.Account
	if name == "" {
		switch c.Caller.Kind {
		case eval.PrincipalRoot:
			acct, err := a.iam.Account(ctx, account)
			if err != nil {
				return nil, err
			}
			return userResult{xmlUser{UserId: account, Arn: c.Caller.ARN, CreateDate: server.ISODate(acct.Created)}}, nil
		case eval.PrincipalUser:
			if u := c.Caller.User; u != nil {
				return userResult{userXML(account, *u, false)}, nil // read with the key, as fresh
			}
			name = c.Caller.Name
		default:
			return nil, iam.ErrNonUserCaller()
		}
	}
	u, err := a.iam.GetUser(ctx, account, name)
	if err != nil {
		return nil, err
	}
	return userResult{userXML(account, u, false)}, nil
}

func (a *api) listUsers(ctx context.Context, c *server.Call) (any, error) {
	in := listInput(c.Form)
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	p, err := a.iam.ListUsers(ctx, c.Caller.Account, in)
	if err != nil {
		return nil, err
	}
	out := usersResult{Users: list(make([]xmlUser, 0, len(p.Items))), IsTruncated: p.IsTruncated, Marker: p.Marker}
	for _, u := range p.Items {
		out.Users.Member = append(out.Users.Member, userXML(c.Caller.Account, u, true))
	}
	return out, nil
}

func (a *api) updateUser(ctx context.Context, c *server.Call) (any, error) {
	f := c.Form
	in := iam.UpdateUserInput{UserName: f.String("UserName"), NewUserName: f.Get("NewUserName"), NewPath: f.Get("NewPath")}
	if err := f.Err(); err != nil {
		return nil, err
	}
	if err := a.authorizeRename(ctx, c, "iam:UpdateUser", iam.KindUser, in.UserName, in.NewUserName, in.NewPath); err != nil {
		return nil, err
	}
	return nil, a.iam.UpdateUser(ctx, c.Caller.Account, in)
}

func (a *api) deleteUser(ctx context.Context, c *server.Call) (any, error) {
	name := c.Form.String("UserName")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, a.iam.DeleteUser(ctx, c.Caller.Account, name)
}

func (a *api) tagUser(ctx context.Context, c *server.Call) (any, error) {
	name, tags := c.Form.String("UserName"), server.Tags[iam.Tag](c.Form, "Tags")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, a.iam.TagUser(ctx, c.Caller.Account, name, tags)
}

func (a *api) untagUser(ctx context.Context, c *server.Call) (any, error) {
	name, keys := c.Form.String("UserName"), c.Form.List("TagKeys")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, a.iam.UntagUser(ctx, c.Caller.Account, name, keys)
}

func (a *api) listUserTags(ctx context.Context, c *server.Call) (any, error) {
	name, in := c.Form.String("UserName"), listInput(c.Form)
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	p, err := a.iam.ListUserTags(ctx, c.Caller.Account, name, in)
	if err != nil {
		return nil, err
	}
	return tagPage(p), nil
}
