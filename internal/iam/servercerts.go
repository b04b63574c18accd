package iam

import (
	"context"
	"crypto/x509"
	"time"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/internal/store"
)

// MaxServerCertificateName is serverCertificateNameType's maximum length.
const MaxServerCertificateName = 128

// ServerCertificateARN is the ARN of a server certificate:
// arn:aws:iam::ACCOUNT:server-certificate/PATH+NAME.
func ServerCertificateARN(account, path, name string) string {
	return arn.IAMString(account, "server-certificate", path, name)
}

// UploadServerCertificateInput is UploadServerCertificate's request.
type UploadServerCertificateInput struct {
	Name, Path              string
	Body, Chain, PrivateKey string
	Tags                    []store.Tag
}

// checkServerCertificate parses and checks what UploadServerCertificate
// stores: the body (one PEM certificate, not expired at now), the chain
// (each certificate signed by the next, the first having signed the body),
// and the private key (unencrypted, the certificate's, of a type IAM
// accepts). It returns the body's certificate.
func checkServerCertificate(body, chain, key string, now time.Time) (*x509.Certificate, error) {
	cert, err := ParseCertificatePEM(body)
	if err != nil {
		return nil, err
	}
	if err := CheckValidity(cert, now); err != nil {
		return nil, err
	}
	if chain != "" {
		certs, err := ParseChainPEM(chain)
		if err != nil {
			return nil, err
		}
		if err := CheckChain(cert, certs); err != nil {
			return nil, err
		}
	}
	signer, err := ParsePrivateKeyPEM(key)
	if err != nil {
		return nil, err
	}
	if err := CheckServerKey(cert, signer); err != nil {
		return nil, err
	}
	return cert, nil
}

// UploadServerCertificate stores a server certificate of the account (at
// most 20), its private key encrypted. Expiration is the certificate's
// NotAfter.
func (s *Service) UploadServerCertificate(ctx context.Context, account string, in UploadServerCertificateInput) (ServerCertificate, error) {
	var v Validation
	v.Name(FieldServerCertName, in.Name, MaxServerCertificateName)
	v.Path(FieldPath, in.Path)
	v.material(FieldCertificateBody, in.Body, MaxCertificateBody)
	v.material(FieldPrivateKey, in.PrivateKey, MaxPrivateKey)
	if in.Chain != "" {
		v.material(FieldCertificateChain, in.Chain, MaxCertificateChain)
	}
	v.Tags(in.Tags)
	if err := v.Err(); err != nil {
		return ServerCertificate{}, err
	}
	cert, err := checkServerCertificate(in.Body, in.Chain, in.PrivateKey, s.now())
	if err != nil {
		return ServerCertificate{}, err
	}
	var c ServerCertificate
	err = s.store.Update(ctx, account, func(tx store.Tx) error {
		var err error
		c, err = tx.CreateServerCertificate(store.ServerCertificate{Name: in.Name, Path: in.Path, Body: in.Body, Chain: in.Chain,
			PrivateKey: in.PrivateKey, Uploaded: s.now().UTC(), Expires: cert.NotAfter.UTC(), Tags: in.Tags})
		return err
	})
	c.PrivateKey = ""
	return c, err
}

// GetServerCertificate returns a server certificate with its body, chain
// and tags; never its private key.
func (s *Service) GetServerCertificate(ctx context.Context, account, name string) (ServerCertificate, error) {
	var v Validation
	v.Name(FieldServerCertName, name, MaxServerCertificateName)
	if err := v.Err(); err != nil {
		return ServerCertificate{}, err
	}
	var c ServerCertificate
	err := s.store.View(ctx, account, func(tx store.Tx) error {
		var err error
		c, err = tx.ServerCertificate(name)
		return err
	})
	return c, err
}

// ListServerCertificates lists the account's server certificates by name.
func (s *Service) ListServerCertificates(ctx context.Context, account string, in ListInput) (Page[ServerCertificate], error) {
	var v Validation
	in.Check(&v)
	if err := v.Err(); err != nil {
		return Page[ServerCertificate]{}, err
	}
	var p store.Page[store.ServerCertificate]
	err := s.store.View(ctx, account, func(tx store.Tx) error {
		var err error
		p, err = tx.ServerCertificates(in.Options())
		return err
	})
	if err != nil {
		return Page[ServerCertificate]{}, err
	}
	out := Page[ServerCertificate]{Items: p.Items, IsTruncated: p.Truncated(), Marker: p.Marker}
	if out.Items == nil {
		out.Items = []ServerCertificate{}
	}
	return out, nil
}

// UpdateServerCertificate renames a server certificate and/or moves it to
// another path.
func (s *Service) UpdateServerCertificate(ctx context.Context, account, name, newName, newPath string) error {
	var v Validation
	v.Name(FieldServerCertName, name, MaxServerCertificateName)
	if newName != "" {
		v.Name(FieldNewServerCert, newName, MaxServerCertificateName)
	}
	v.Path(FieldNewPath, newPath)
	if err := v.Err(); err != nil {
		return err
	}
	return s.store.Update(ctx, account, func(tx store.Tx) error {
		return tx.UpdateServerCertificate(name, store.ServerCertificate{Name: newName, Path: newPath})
	})
}

// DeleteServerCertificate deletes a server certificate.
func (s *Service) DeleteServerCertificate(ctx context.Context, account, name string) error {
	var v Validation
	v.Name(FieldServerCertName, name, MaxServerCertificateName)
	if err := v.Err(); err != nil {
		return err
	}
	return s.store.Update(ctx, account, func(tx store.Tx) error { return tx.DeleteServerCertificate(name) })
}

func serverCertRef(name string) store.EntityRef {
	return store.EntityRef{Kind: store.KindServerCertificate, Name: name}
}

// TagServerCertificate adds or replaces a server certificate's tags.
func (s *Service) TagServerCertificate(ctx context.Context, account, name string, tags []store.Tag) error {
	return s.tag(ctx, account, serverCertRef(name), FieldServerCertName, MaxServerCertificateName, tags)
}

// UntagServerCertificate removes a server certificate's tags by key.
func (s *Service) UntagServerCertificate(ctx context.Context, account, name string, keys []string) error {
	return s.untag(ctx, account, serverCertRef(name), FieldServerCertName, MaxServerCertificateName, keys)
}

// ListServerCertificateTags lists a server certificate's tags by key.
func (s *Service) ListServerCertificateTags(ctx context.Context, account, name string, in ListInput) (Page[store.Tag], error) {
	return s.listTags(ctx, account, serverCertRef(name), FieldServerCertName, MaxServerCertificateName, in)
}

// ServerCertificateResource returns the ARN of the account's server
// certificate name, with its stored path; ok is false when there is none.
func (s *Service) ServerCertificateResource(ctx context.Context, account, name string) (string, bool) {
	var c ServerCertificate
	err := s.store.View(ctx, account, func(tx store.Tx) error {
		var err error
		c, err = tx.ServerCertificate(name)
		return err
	})
	if err != nil {
		return "", false
	}
	return ServerCertificateARN(account, c.Path, c.Name), true
}
