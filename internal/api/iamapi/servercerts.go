package iamapi

import (
	"context"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/eval"
	"github.com/iamq/iamq/internal/authz"
	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/server"
)

// xmlServerCertMeta is the model's ServerCertificateMetadata.
type xmlServerCertMeta struct {
	Path                  string
	ServerCertificateName string
	ServerCertificateId   string
	Arn                   string
	UploadDate            string
	Expiration            string
}

func serverCertMetaXML(account string, c iam.ServerCertificate) xmlServerCertMeta {
	return xmlServerCertMeta{Path: c.Path, ServerCertificateName: c.Name, ServerCertificateId: c.ID,
		Arn: iam.ServerCertificateARN(account, c.Path, c.Name), UploadDate: server.ISODate(c.Uploaded), Expiration: server.ISODate(c.Expires)}
}

type uploadServerCertResult struct {
	ServerCertificateMetadata xmlServerCertMeta
	Tags                      *members[xmlTag]
}

// xmlServerCert is the model's ServerCertificate: never the private key.
type xmlServerCert struct {
	ServerCertificateMetadata xmlServerCertMeta
	CertificateBody           string
	CertificateChain          string `xml:",omitempty"`
	Tags                      *members[xmlTag]
}

type getServerCertResult struct{ ServerCertificate xmlServerCert }

type listServerCertsResult struct {
	ServerCertificateMetadataList members[xmlServerCertMeta]
	IsTruncated                   bool
	Marker                        string `xml:",omitempty"`
}

// serverCertResource is the ARN of the server certificate a call names,
// with its stored path, or the path the request gives (Upload).
func serverCertResource(ctx context.Context, a *api, c *server.Call) string {
	name, account := c.Form.Get("ServerCertificateName"), c.Caller.Account
	if arn, ok := a.iam.ServerCertificateResource(ctx, account, name); ok {
		return arn
	}
	return iam.ServerCertificateARN(account, c.Form.Get("Path"), name)
}

func serverCertOps() []operation {
	return []operation{
		{"UploadServerCertificate", (*api).uploadServerCertificate, serverCertResource},
		{"GetServerCertificate", (*api).getServerCertificate, serverCertResource},
		{"ListServerCertificates", (*api).listServerCertificates, anyResource},
		{"UpdateServerCertificate", (*api).updateServerCertificate, serverCertResource},
		{"DeleteServerCertificate", (*api).deleteServerCertificate, serverCertResource},
		{"TagServerCertificate", (*api).tagServerCertificate, serverCertResource},
		{"UntagServerCertificate", (*api).untagServerCertificate, serverCertResource},
		{"ListServerCertificateTags", (*api).listServerCertificateTags, serverCertResource},
	}
}

func (a *api) uploadServerCertificate(ctx context.Context, c *server.Call) (any, error) {
	f := c.Form
	in := iam.UploadServerCertificateInput{Name: f.String("ServerCertificateName"), Path: f.Get("Path"),
		Body: f.String("CertificateBody"), Chain: f.Get("CertificateChain"), PrivateKey: f.String("PrivateKey"),
		Tags: server.Tags[iam.Tag](f, "Tags")}
	if err := f.Err(); err != nil {
		return nil, err
	}
	cert, err := a.iam.UploadServerCertificate(ctx, c.Caller.Account, in)
	if err != nil {
		return nil, err
	}
	return uploadServerCertResult{ServerCertificateMetadata: serverCertMetaXML(c.Caller.Account, cert), Tags: tagMembers(cert.Tags)}, nil
}

func (a *api) getServerCertificate(ctx context.Context, c *server.Call) (any, error) {
	name := c.Form.String("ServerCertificateName")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	cert, err := a.iam.GetServerCertificate(ctx, c.Caller.Account, name)
	if err != nil {
		return nil, err
	}
	return getServerCertResult{xmlServerCert{ServerCertificateMetadata: serverCertMetaXML(c.Caller.Account, cert),
		CertificateBody: cert.Body, CertificateChain: cert.Chain, Tags: tagMembers(cert.Tags)}}, nil
}

func (a *api) listServerCertificates(ctx context.Context, c *server.Call) (any, error) {
	in := listInput(c.Form)
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	p, err := a.iam.ListServerCertificates(ctx, c.Caller.Account, in)
	if err != nil {
		return nil, err
	}
	out := listServerCertsResult{ServerCertificateMetadataList: list(make([]xmlServerCertMeta, 0, len(p.Items))),
		IsTruncated: p.IsTruncated, Marker: p.Marker}
	for _, cert := range p.Items {
		out.ServerCertificateMetadataList.Member = append(out.ServerCertificateMetadataList.Member, serverCertMetaXML(c.Caller.Account, cert))
	}
	return out, nil
}

func (a *api) updateServerCertificate(ctx context.Context, c *server.Call) (any, error) {
	f := c.Form
	name, newName, newPath := f.String("ServerCertificateName"), f.Get("NewServerCertificateName"), f.Get("NewPath")
	if err := f.Err(); err != nil {
		return nil, err
	}
	if err := a.authorizeCertRename(ctx, c, name, newName, newPath); err != nil {
		return nil, err
	}
	return nil, a.iam.UpdateServerCertificate(ctx, c.Caller.Account, name, newName, newPath)
}

// authorizeCertRename asks for iam:UpdateServerCertificate on the
// certificate's new ARN as well as its current one (the operation's
// Target), as authorizeRename does for users and groups: "the requester
// must have appropriate permissions on both the source object and the
// target object" (IAM API Reference, UpdateServerCertificate).
func (a *api) authorizeCertRename(ctx context.Context, c *server.Call, name, newName, newPath string) error {
	if a.authz == nil || c.Caller.Kind == eval.PrincipalRoot || newName == "" && newPath == "" {
		return nil
	}
	current, ok := a.iam.ServerCertificateResource(ctx, c.Caller.Account, name)
	if !ok {
		return nil // UpdateServerCertificate answers NoSuchEntity
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
	return a.authz.Authorize(ctx, &p, &authz.Request{Action: "iam:UpdateServerCertificate",
		Resource: iam.ServerCertificateARN(c.Caller.Account, newPath, newName), Info: c.RequestInfo()})
}

func (a *api) deleteServerCertificate(ctx context.Context, c *server.Call) (any, error) {
	name := c.Form.String("ServerCertificateName")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, a.iam.DeleteServerCertificate(ctx, c.Caller.Account, name)
}

func (a *api) tagServerCertificate(ctx context.Context, c *server.Call) (any, error) {
	name, tags := c.Form.String("ServerCertificateName"), server.Tags[iam.Tag](c.Form, "Tags")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, a.iam.TagServerCertificate(ctx, c.Caller.Account, name, tags)
}

func (a *api) untagServerCertificate(ctx context.Context, c *server.Call) (any, error) {
	name, keys := c.Form.String("ServerCertificateName"), c.Form.List("TagKeys")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, a.iam.UntagServerCertificate(ctx, c.Caller.Account, name, keys)
}

func (a *api) listServerCertificateTags(ctx context.Context, c *server.Call) (any, error) {
	name, in := c.Form.String("ServerCertificateName"), listInput(c.Form)
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	p, err := a.iam.ListServerCertificateTags(ctx, c.Caller.Account, name, in)
	if err != nil {
		return nil, err
	}
	return tagPage(p), nil
}
