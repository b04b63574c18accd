package iam

import (
	"context"
	"regexp"

	"github.com/iamq/iamq/internal/store"
)

// SAML provider names: 1–128 of [\w._-] (the IAM model's
// SAMLProviderNameType).
var samlNamePattern = regexp.MustCompile(`^[\w._-]+$`)

// FieldSAMLMetadataDocument names the metadata parameter.
const FieldSAMLMetadataDocument Field = "sAMLMetadataDocument"

// msgBadMetadata refuses a metadata document. IAM's text is not published;
// this one says what is wrong.
const msgBadMetadata = "Could not parse metadata: it must be a SAML 2.0 EntityDescriptor with an entityID and an IDPSSODescriptor holding a signing X.509 certificate."

// CreateSAMLProvider creates a SAML provider from its metadata document.
func (s *Service) CreateSAMLProvider(ctx context.Context, account, name, metadata string, tags []store.Tag) (store.Provider, error) {
	var v Validation
	if v.Length("name", name, 1, 128) && !samlNamePattern.MatchString(name) {
		v.constraint("name", name, `Member must satisfy regular expression pattern: [\w._-]+`)
	}
	m := checkMetadata(&v, metadata)
	v.Tags(tags)
	if err := v.Err(); err != nil {
		return store.Provider{}, err
	}
	p := store.Provider{Kind: store.ProviderSAML, Name: name, Metadata: metadata, ValidUntil: m.ValidUntil, Tags: tags, Created: s.now().UTC()}
	err := s.store.Update(ctx, account, func(tx store.Tx) error {
		var err error
		p, err = tx.CreateProvider(p)
		return err
	})
	return p, err
}

// UpdateSAMLProvider replaces a SAML provider's metadata document.
func (s *Service) UpdateSAMLProvider(ctx context.Context, account, providerARN, metadata string) error {
	var v Validation
	name := providerName(&v, FieldSAMLProviderARN, store.ProviderSAML, account, providerARN)
	m := checkMetadata(&v, metadata)
	if err := v.Err(); err != nil {
		return err
	}
	return s.changeProvider(ctx, account, store.ProviderSAML, name, func(p *store.Provider) error {
		p.Metadata, p.ValidUntil = metadata, m.ValidUntil
		return nil
	})
}

// checkMetadata records what is wrong with a metadata document.
func checkMetadata(v *Validation, metadata string) SAMLMetadata {
	if len(metadata) < MinSAMLMetadata || len(metadata) > MaxSAMLMetadata {
		// The document itself is not echoed: it may be megabytes.
		v.constraint(FieldSAMLMetadataDocument, "…", "Member must have length between 1000 and 10000000")
		return SAMLMetadata{}
	}
	m, err := ParseSAMLMetadata(metadata)
	if err != nil {
		v.refuse(refuse(ErrInvalidInput, msgBadMetadata))
	}
	return m
}
