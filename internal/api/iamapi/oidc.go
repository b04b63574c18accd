package iamapi

import (
	"context"

	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/server"
)

// oidcOps are the OpenID Connect provider operations (IAM API Reference).
// Each acts on the provider's ARN; CreateOpenIDConnectProvider on the ARN
// its URL makes.
func oidcOps() []operation {
	p := providerResource(iam.ProviderOIDC, "OpenIDConnectProviderArn")
	return []operation{
		{"CreateOpenIDConnectProvider", (*api).createOIDCProvider, oidcURLResource},
		{"GetOpenIDConnectProvider", (*api).getOIDCProvider, p},
		{"ListOpenIDConnectProviders", (*api).listOIDCProviders, anyResource},
		{"DeleteOpenIDConnectProvider", (*api).deleteOIDCProvider, p},
		{"AddClientIDToOpenIDConnectProvider", (*api).addClientID, p},
		{"RemoveClientIDFromOpenIDConnectProvider", (*api).removeClientID, p},
		{"UpdateOpenIDConnectProviderThumbprint", (*api).updateThumbprints, p},
		{"TagOpenIDConnectProvider", providerTagger(iam.ProviderOIDC, "OpenIDConnectProviderArn"), p},
		{"UntagOpenIDConnectProvider", providerUntagger(iam.ProviderOIDC, "OpenIDConnectProviderArn"), p},
		{"ListOpenIDConnectProviderTags", providerTagLister(iam.ProviderOIDC, "OpenIDConnectProviderArn"), p},
	}
}

// providerResource is the provider ARN that param names, when it is one of
// the caller's account; "*" otherwise (the call then fails its checks, and
// only a caller allowed on every resource learns why).
func providerResource(kind iam.ProviderKind, param string) resourceFunc {
	return func(_ context.Context, _ *api, c *server.Call) string {
		s := c.Form.Get(param)
		if acct, _, ok := iam.ParseProviderARN(kind, s); ok && acct == c.Caller.Account {
			return s
		}
		return "*"
	}
}

// oidcURLResource is the ARN of the provider a CreateOpenIDConnectProvider
// call would create.
func oidcURLResource(_ context.Context, _ *api, c *server.Call) string {
	if name, ok := iam.OIDCProviderName(c.Form.Get("Url")); ok {
		return iam.ProviderARN(c.Caller.Account, iam.ProviderOIDC, name)
	}
	return "*"
}

type createOIDCResult struct {
	OpenIDConnectProviderArn string
	Tags                     *members[xmlTag] `xml:",omitempty"`
}

func (a *api) createOIDCProvider(ctx context.Context, c *server.Call) (any, error) {
	f := c.Form
	in := iam.CreateOIDCProviderInput{URL: f.String("Url"), ClientIDs: f.List("ClientIDList"),
		Thumbprints: f.List("ThumbprintList"), Tags: server.Tags[iam.Tag](f, "Tags")}
	if err := f.Err(); err != nil {
		return nil, err
	}
	p, err := a.iam.CreateOIDCProvider(ctx, c.Caller.Account, in)
	if err != nil {
		return nil, err
	}
	return createOIDCResult{iam.ProviderARN(c.Caller.Account, iam.ProviderOIDC, p.Name), tagMembers(p.Tags)}, nil
}

type getOIDCResult struct {
	Url            string
	ClientIDList   members[string]
	ThumbprintList members[string]
	CreateDate     string
	Tags           *members[xmlTag] `xml:",omitempty"`
}

func (a *api) getOIDCProvider(ctx context.Context, c *server.Call) (any, error) {
	s := c.Form.String("OpenIDConnectProviderArn")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	p, err := a.iam.GetProvider(ctx, c.Caller.Account, iam.ProviderOIDC, s)
	if err != nil {
		return nil, err
	}
	// IAM answers the URL without its scheme (IAM API Reference,
	// GetOpenIDConnectProvider, Url).
	return getOIDCResult{Url: p.Name, ClientIDList: list(p.ClientIDs), ThumbprintList: list(p.Thumbprints),
		CreateDate: server.ISODate(p.Created), Tags: tagMembers(p.Tags)}, nil
}

type xmlProviderEntry struct{ Arn string }

type listOIDCResult struct {
	OpenIDConnectProviderList members[xmlProviderEntry]
}

func (a *api) listOIDCProviders(ctx context.Context, c *server.Call) (any, error) {
	ps, err := a.iam.ListProviders(ctx, c.Caller.Account, iam.ProviderOIDC)
	if err != nil {
		return nil, err
	}
	out := listOIDCResult{list(make([]xmlProviderEntry, 0, len(ps)))}
	for _, p := range ps {
		out.OpenIDConnectProviderList.Member = append(out.OpenIDConnectProviderList.Member,
			xmlProviderEntry{iam.ProviderARN(c.Caller.Account, iam.ProviderOIDC, p.Name)})
	}
	return out, nil
}

func (a *api) deleteOIDCProvider(ctx context.Context, c *server.Call) (any, error) {
	s := c.Form.String("OpenIDConnectProviderArn")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, a.iam.DeleteProvider(ctx, c.Caller.Account, iam.ProviderOIDC, s)
}

func (a *api) addClientID(ctx context.Context, c *server.Call) (any, error) {
	s, id := c.Form.String("OpenIDConnectProviderArn"), c.Form.String("ClientID")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, a.iam.AddClientID(ctx, c.Caller.Account, s, id)
}

func (a *api) removeClientID(ctx context.Context, c *server.Call) (any, error) {
	s, id := c.Form.String("OpenIDConnectProviderArn"), c.Form.String("ClientID")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, a.iam.RemoveClientID(ctx, c.Caller.Account, s, id)
}

func (a *api) updateThumbprints(ctx context.Context, c *server.Call) (any, error) {
	s, tps := c.Form.String("OpenIDConnectProviderArn"), c.Form.List("ThumbprintList")
	if tps == nil && c.Form.Has("ThumbprintList") {
		tps = []string{} // "ThumbprintList=" is an empty list, not a missing one
	}
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, a.iam.UpdateThumbprints(ctx, c.Caller.Account, s, tps)
}

// providerTagger, providerUntagger and providerTagLister answer the tag
// operations of a kind of provider, whose ARN is param.
func providerTagger(kind iam.ProviderKind, param string) func(*api, context.Context, *server.Call) (any, error) {
	return func(a *api, ctx context.Context, c *server.Call) (any, error) {
		s, tags := c.Form.String(param), server.Tags[iam.Tag](c.Form, "Tags")
		if err := c.Form.Err(); err != nil {
			return nil, err
		}
		return nil, a.iam.TagProvider(ctx, c.Caller.Account, kind, s, tags)
	}
}

func providerUntagger(kind iam.ProviderKind, param string) func(*api, context.Context, *server.Call) (any, error) {
	return func(a *api, ctx context.Context, c *server.Call) (any, error) {
		s, keys := c.Form.String(param), c.Form.List("TagKeys")
		if err := c.Form.Err(); err != nil {
			return nil, err
		}
		return nil, a.iam.UntagProvider(ctx, c.Caller.Account, kind, s, keys)
	}
}

func providerTagLister(kind iam.ProviderKind, param string) func(*api, context.Context, *server.Call) (any, error) {
	return func(a *api, ctx context.Context, c *server.Call) (any, error) {
		s, in := c.Form.String(param), listInput(c.Form)
		if err := c.Form.Err(); err != nil {
			return nil, err
		}
		p, err := a.iam.ListProviderTags(ctx, c.Caller.Account, kind, s, in)
		if err != nil {
			return nil, err
		}
		return tagPage(p), nil
	}
}

// providerTags are the tags of the identity provider a call names by its
// ARN (aws:ResourceTag/KEY), nil when it names none that exists.
func (a *api) providerTags(ctx context.Context, c *server.Call) []iam.Tag {
	for kind, param := range map[iam.ProviderKind]string{iam.ProviderOIDC: "OpenIDConnectProviderArn", iam.ProviderSAML: "SAMLProviderArn"} {
		if s := c.Form.Get(param); s != "" {
			if p, err := a.iam.GetProvider(ctx, c.Caller.Account, kind, s); err == nil {
				return p.Tags
			}
		}
	}
	return nil
}
