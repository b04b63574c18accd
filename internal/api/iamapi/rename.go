package iamapi

import (
	"context"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/eval"
	"github.com/iamq/iamq/internal/authz"
	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/server"
)

// authorizeRename asks for action on the entity a rename makes, as well as
// on the one it renames (the operation's Target): "To change a user name,
// the requester must have appropriate permissions on both the source object
// and the target object. For example, to change Bob to Robert, the entity
// making the request must have permission on Bob and Robert" (IAM API
// Reference, UpdateUser; UpdateGroup says the same). newName and newPath may
// be "" (unchanged); an entity that does not exist is left to the operation,
// which answers NoSuchEntity.
func (a *api) authorizeRename(ctx context.Context, c *server.Call, action string, kind iam.Kind, name, newName, newPath string) error {
	if a.authz == nil || c.Caller.Kind == eval.PrincipalRoot || newName == "" && newPath == "" {
		return nil
	}
	current, ok := a.iam.EntityARN(ctx, c.Caller.Account, kind, name)
	if !ok {
		return nil
	}
	parsed, _ := arn.Split(current)
	r := arn.SplitIAMResource(parsed.Resource)
	if newName == "" {
		newName = r.Name
	}
	if newPath == "" {
		newPath = r.Path
	}
	p := c.Caller
	return a.authz.Authorize(ctx, &p, &authz.Request{Action: action, Resource: arn.IAMString(c.Caller.Account, r.Type, newPath, newName),
		Info: c.RequestInfo()})
}
