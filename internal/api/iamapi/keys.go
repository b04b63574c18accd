package iamapi

import (
	"context"

	"github.com/iamq/iamq/eval"
	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/server"
)

// xmlAccessKey is the model's AccessKey (with the secret, once) and
// AccessKeyMetadata (without).
type xmlAccessKey struct {
	UserName        string `xml:",omitempty"`
	AccessKeyId     string
	Status          string
	SecretAccessKey string `xml:",omitempty"`
	CreateDate      string
}

func keyXML(k iam.AccessKey) xmlAccessKey {
	out := xmlAccessKey{AccessKeyId: k.ID, Status: string(k.Status), SecretAccessKey: k.Secret, CreateDate: server.ISODate(k.Created)}
	if k.Owner.Kind == iam.KindUser {
		out.UserName = k.Owner.Name
	}
	return out
}

type accessKeyResult struct{ AccessKey xmlAccessKey }

type accessKeysResult struct {
	AccessKeyMetadata members[xmlAccessKey]
	IsTruncated       bool
	Marker            string `xml:",omitempty"`
}

// xmlKeyLastUsed is the model's AccessKeyLastUsed.
type xmlKeyLastUsed struct {
	LastUsedDate string `xml:",omitempty"`
	ServiceName  string
	Region       string
}

type keyLastUsedResult struct {
	UserName          string `xml:",omitempty"`
	AccessKeyLastUsed xmlKeyLastUsed
}

func keyOps() []operation {
	user := entityResource(iam.KindUser, "UserName")
	return []operation{
		{"CreateAccessKey", (*api).createAccessKey, user},
		{"ListAccessKeys", (*api).listAccessKeys, user},
		{"UpdateAccessKey", (*api).updateAccessKey, user},
		{"DeleteAccessKey", (*api).deleteAccessKey, user},
		{"GetAccessKeyLastUsed", (*api).getAccessKeyLastUsed, keyOwnerResource},
	}
}

// keyOwnerResource is GetAccessKeyLastUsed's resource: the user who owns the
// key (the root's ARN for a root key), whoever asks. A key the account does
// not hold acts on "*", so that only a caller allowed on every user learns
// that it does not exist.
func keyOwnerResource(ctx context.Context, a *api, c *server.Call) string {
	if arn, ok := a.iam.KeyOwnerARN(ctx, c.Caller.Account, c.Form.Get("AccessKeyId")); ok {
		return arn
	}
	return "*"
}

// keyOwner is whose keys a call acts on: UserName, or the caller.
func keyOwner(c *server.Call) (iam.EntityRef, error) {
	user := ""
	if c.Caller.Kind == eval.PrincipalUser {
		user = c.Caller.Name
	}
	return iam.KeyOwner(c.Form.Get("UserName"), user, c.Caller.Kind == eval.PrincipalRoot)
}

// formOwner checks the call's parameters and returns whose credentials it
// acts on (keyOwner).
func formOwner(c *server.Call) (iam.EntityRef, error) {
	if err := c.Form.Err(); err != nil {
		return iam.EntityRef{}, err
	}
	return keyOwner(c)
}

func (a *api) createAccessKey(ctx context.Context, c *server.Call) (any, error) {
	owner, err := keyOwner(c)
	if err != nil {
		return nil, err
	}
	k, err := a.iam.CreateAccessKey(ctx, c.Caller.Account, owner)
	if err != nil {
		return nil, err
	}
	return accessKeyResult{keyXML(k)}, nil
}

func (a *api) listAccessKeys(ctx context.Context, c *server.Call) (any, error) {
	in := listInput(c.Form)
	owner, err := formOwner(c)
	if err != nil {
		return nil, err
	}
	p, err := a.iam.ListAccessKeys(ctx, c.Caller.Account, owner, in)
	if err != nil {
		return nil, err
	}
	out := accessKeysResult{AccessKeyMetadata: list(make([]xmlAccessKey, 0, len(p.Items))), IsTruncated: p.IsTruncated, Marker: p.Marker}
	for _, k := range p.Items {
		k.Secret = ""
		out.AccessKeyMetadata.Member = append(out.AccessKeyMetadata.Member, keyXML(k))
	}
	return out, nil
}

func (a *api) updateAccessKey(ctx context.Context, c *server.Call) (any, error) {
	id, status := c.Form.String("AccessKeyId"), c.Form.String("Status")
	owner, err := formOwner(c)
	if err != nil {
		return nil, err
	}
	return nil, a.iam.UpdateAccessKey(ctx, c.Caller.Account, owner, id, iam.KeyStatus(status))
}

func (a *api) deleteAccessKey(ctx context.Context, c *server.Call) (any, error) {
	id := c.Form.String("AccessKeyId")
	owner, err := formOwner(c)
	if err != nil {
		return nil, err
	}
	return nil, a.iam.DeleteAccessKey(ctx, c.Caller.Account, owner, id)
}

func (a *api) getAccessKeyLastUsed(ctx context.Context, c *server.Call) (any, error) {
	id := c.Form.String("AccessKeyId")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	u, err := a.iam.GetAccessKeyLastUsed(ctx, c.Caller.Account, id)
	if err != nil {
		return nil, err
	}
	out := keyLastUsedResult{UserName: u.UserName, AccessKeyLastUsed: xmlKeyLastUsed{ServiceName: u.Used.Service, Region: u.Used.Region}}
	if !u.Used.Time.IsZero() {
		out.AccessKeyLastUsed.LastUsedDate = server.ISODate(u.Used.Time)
	}
	return out, nil
}
