package iamapi

import (
	"context"

	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/server"
)

// xmlSigningCert is the model's SigningCertificate.
type xmlSigningCert struct {
	UserName        string `xml:",omitempty"`
	CertificateId   string
	CertificateBody string
	Status          string
	UploadDate      string
}

func signingCertXML(c iam.Credential) xmlSigningCert {
	out := xmlSigningCert{CertificateId: c.ID, CertificateBody: c.Body, Status: string(c.Status), UploadDate: server.ISODate(c.Created)}
	if c.Owner.Kind == iam.KindUser {
		out.UserName = c.Owner.Name
	}
	return out
}

type signingCertResult struct{ Certificate xmlSigningCert }

type signingCertsResult struct {
	Certificates members[xmlSigningCert]
	IsTruncated  bool
	Marker       string `xml:",omitempty"`
}

func certOps() []operation {
	user := entityResource(iam.KindUser, "UserName")
	return []operation{
		{"UploadSigningCertificate", (*api).uploadSigningCertificate, user},
		{"ListSigningCertificates", (*api).listSigningCertificates, user},
		{"UpdateSigningCertificate", (*api).updateSigningCertificate, user},
		{"DeleteSigningCertificate", (*api).deleteSigningCertificate, user},
	}
}

func (a *api) uploadSigningCertificate(ctx context.Context, c *server.Call) (any, error) {
	body := c.Form.String("CertificateBody")
	owner, err := formOwner(c)
	if err != nil {
		return nil, err
	}
	cert, err := a.iam.UploadSigningCertificate(ctx, c.Caller.Account, owner, body)
	if err != nil {
		return nil, err
	}
	return signingCertResult{signingCertXML(cert)}, nil
}

func (a *api) listSigningCertificates(ctx context.Context, c *server.Call) (any, error) {
	in := listInput(c.Form)
	owner, err := formOwner(c)
	if err != nil {
		return nil, err
	}
	p, err := a.iam.ListSigningCertificates(ctx, c.Caller.Account, owner, in)
	if err != nil {
		return nil, err
	}
	out := signingCertsResult{Certificates: list(make([]xmlSigningCert, 0, len(p.Items))), IsTruncated: p.IsTruncated, Marker: p.Marker}
	for _, cert := range p.Items {
		out.Certificates.Member = append(out.Certificates.Member, signingCertXML(cert))
	}
	return out, nil
}

func (a *api) updateSigningCertificate(ctx context.Context, c *server.Call) (any, error) {
	id, status := c.Form.String("CertificateId"), c.Form.String("Status")
	owner, err := formOwner(c)
	if err != nil {
		return nil, err
	}
	return nil, a.iam.UpdateSigningCertificate(ctx, c.Caller.Account, owner, id, iam.KeyStatus(status))
}

func (a *api) deleteSigningCertificate(ctx context.Context, c *server.Call) (any, error) {
	id := c.Form.String("CertificateId")
	owner, err := formOwner(c)
	if err != nil {
		return nil, err
	}
	return nil, a.iam.DeleteSigningCertificate(ctx, c.Caller.Account, owner, id)
}
