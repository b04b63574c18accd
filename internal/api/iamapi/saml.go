package iamapi

import (
	"context"

	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/server"
)

// samlOps are the SAML provider operations (IAM API Reference). Each acts on
// the provider's ARN; CreateSAMLProvider on the ARN its name makes.
func samlOps() []operation {
	p := providerResource(iam.ProviderSAML, "SAMLProviderArn")
	return []operation{
		{"CreateSAMLProvider", (*api).createSAMLProvider, samlNameResource},
		{"GetSAMLProvider", (*api).getSAMLProvider, p},
		{"ListSAMLProviders", (*api).listSAMLProviders, anyResource},
		{"UpdateSAMLProvider", (*api).updateSAMLProvider, p},
		{"DeleteSAMLProvider", (*api).deleteSAMLProvider, p},
		{"TagSAMLProvider", providerTagger(iam.ProviderSAML, "SAMLProviderArn"), p},
		{"UntagSAMLProvider", providerUntagger(iam.ProviderSAML, "SAMLProviderArn"), p},
		{"ListSAMLProviderTags", providerTagLister(iam.ProviderSAML, "SAMLProviderArn"), p},
	}
}

func samlNameResource(_ context.Context, _ *api, c *server.Call) string {
	if name := c.Form.Get("Name"); name != "" {
		return iam.ProviderARN(c.Caller.Account, iam.ProviderSAML, name)
	}
	return "*"
}

type samlARNResult struct {
	SAMLProviderArn string
	Tags            *members[xmlTag] `xml:",omitempty"`
}

func (a *api) createSAMLProvider(ctx context.Context, c *server.Call) (any, error) {
	f := c.Form
	name, doc, tags := f.String("Name"), f.String("SAMLMetadataDocument"), server.Tags[iam.Tag](f, "Tags")
	if err := f.Err(); err != nil {
		return nil, err
	}
	p, err := a.iam.CreateSAMLProvider(ctx, c.Caller.Account, name, doc, tags)
	if err != nil {
		return nil, err
	}
	return samlARNResult{iam.ProviderARN(c.Caller.Account, iam.ProviderSAML, p.Name), tagMembers(p.Tags)}, nil
}

type getSAMLResult struct {
	SAMLMetadataDocument string
	CreateDate           string
	ValidUntil           string           `xml:",omitempty"`
	Tags                 *members[xmlTag] `xml:",omitempty"`
}

func validUntil(p iam.Provider) string {
	if p.ValidUntil.IsZero() {
		return ""
	}
	return server.ISODate(p.ValidUntil)
}

func (a *api) getSAMLProvider(ctx context.Context, c *server.Call) (any, error) {
	s := c.Form.String("SAMLProviderArn")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	p, err := a.iam.GetProvider(ctx, c.Caller.Account, iam.ProviderSAML, s)
	if err != nil {
		return nil, err
	}
	return getSAMLResult{SAMLMetadataDocument: p.Metadata, CreateDate: server.ISODate(p.Created), ValidUntil: validUntil(p), Tags: tagMembers(p.Tags)}, nil
}

type xmlSAMLEntry struct {
	Arn        string
	ValidUntil string `xml:",omitempty"`
	CreateDate string
}

type listSAMLResult struct {
	SAMLProviderList members[xmlSAMLEntry]
}

func (a *api) listSAMLProviders(ctx context.Context, c *server.Call) (any, error) {
	ps, err := a.iam.ListProviders(ctx, c.Caller.Account, iam.ProviderSAML)
	if err != nil {
		return nil, err
	}
	out := listSAMLResult{list(make([]xmlSAMLEntry, 0, len(ps)))}
	for _, p := range ps {
		out.SAMLProviderList.Member = append(out.SAMLProviderList.Member, xmlSAMLEntry{Arn: iam.ProviderARN(c.Caller.Account, iam.ProviderSAML, p.Name),
			ValidUntil: validUntil(p), CreateDate: server.ISODate(p.Created)})
	}
	return out, nil
}

func (a *api) updateSAMLProvider(ctx context.Context, c *server.Call) (any, error) {
	s, doc := c.Form.String("SAMLProviderArn"), c.Form.String("SAMLMetadataDocument")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	if err := a.iam.UpdateSAMLProvider(ctx, c.Caller.Account, s, doc); err != nil {
		return nil, err
	}
	return samlARNResult{SAMLProviderArn: s}, nil
}

func (a *api) deleteSAMLProvider(ctx context.Context, c *server.Call) (any, error) {
	s := c.Form.String("SAMLProviderArn")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, a.iam.DeleteProvider(ctx, c.Caller.Account, iam.ProviderSAML, s)
}
