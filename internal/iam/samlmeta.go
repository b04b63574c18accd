package iam

import (
	"crypto/x509"
	"encoding/base64"
	"errors"
	"strings"
	"time"

	"github.com/beevik/etree"
)

// SAMLMetadata is what iamq reads of a SAML provider's metadata document
// (OASIS SAML 2.0 Metadata, EntityDescriptor): the IdP's entity id (the
// assertions' Issuer), its signing certificates, and validUntil.
type SAMLMetadata struct {
	EntityID   string
	Certs      []*x509.Certificate
	ValidUntil time.Time // zero when the document has none
}

// Bounds of a metadata document (the IAM model's
// SAMLMetadataDocumentType: 1,000 to 10,000,000 characters).
const (
	MinSAMLMetadata = 1000
	MaxSAMLMetadata = 10000000
)

// errMetadata is the refusal of a metadata document iamq cannot use.
var errMetadata = errors.New("iam: SAML metadata")

// ParseSAMLMetadata parses a metadata document: one EntityDescriptor (at
// the root, or the first of an EntitiesDescriptor) with an entityID and an
// IDPSSODescriptor whose signing KeyDescriptors hold X.509 certificates.
func ParseSAMLMetadata(doc string) (SAMLMetadata, error) {
	d := etree.NewDocument()
	d.ReadSettings.Permissive = false
	if err := d.ReadFromString(doc); err != nil || d.Root() == nil {
		return SAMLMetadata{}, errMetadata
	}
	ed := d.Root()
	if ed.Tag == "EntitiesDescriptor" {
		ed = ed.SelectElement("EntityDescriptor")
	}
	if ed == nil || ed.Tag != "EntityDescriptor" || ed.SelectAttrValue("entityID", "") == "" {
		return SAMLMetadata{}, errMetadata
	}
	m := SAMLMetadata{EntityID: ed.SelectAttrValue("entityID", "")}
	if v := ed.SelectAttrValue("validUntil", ""); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return SAMLMetadata{}, errMetadata
		}
		m.ValidUntil = t.UTC()
	}
	idp := ed.SelectElement("IDPSSODescriptor")
	if idp == nil {
		return SAMLMetadata{}, errMetadata
	}
	for _, kd := range idp.SelectElements("KeyDescriptor") {
		if use := kd.SelectAttrValue("use", "signing"); use != "signing" {
			continue
		}
		for _, c := range kd.FindElements(".//X509Certificate") {
			der, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(c.Text()), ""))
			if err != nil {
				return SAMLMetadata{}, errMetadata
			}
			cert, err := x509.ParseCertificate(der)
			if err != nil {
				return SAMLMetadata{}, errMetadata
			}
			m.Certs = append(m.Certs, cert)
		}
	}
	if len(m.Certs) == 0 {
		return SAMLMetadata{}, errMetadata
	}
	return m, nil
}
