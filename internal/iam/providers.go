package iam

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/internal/store"
)

// Provider is an identity provider (OIDC or SAML); ProviderKind its kind.
type (
	Provider     = store.Provider
	ProviderKind = store.ProviderKind
)

// The kinds of identity provider.
const (
	ProviderOIDC = store.ProviderOIDC
	ProviderSAML = store.ProviderSAML
)

// ARN resource types of identity providers (Service Authorization
// Reference, IAM's resource types oidc-provider and saml-provider).
const (
	TypeOIDCProvider = "oidc-provider"
	TypeSAMLProvider = "saml-provider"
)

// FieldOIDCProviderARN and FieldSAMLProviderARN name the providers' ARN
// parameters in validation messages.
const (
	FieldOIDCProviderARN Field = "openIDConnectProviderArn"
	FieldSAMLProviderARN Field = "sAMLProviderArn"
)

// ProviderARN returns the ARN of account's provider of kind named name (an
// OIDC provider's URL without https://).
func ProviderARN(account string, kind store.ProviderKind, name string) string {
	typ := TypeOIDCProvider
	if kind == store.ProviderSAML {
		typ = TypeSAMLProvider
	}
	return arn.ARN{Partition: arn.PartitionAWS, Service: arn.ServiceIAM, Account: account, Resource: typ + "/" + name}.String()
}

// ParseProviderARN returns the account and name of a provider ARN of kind;
// ok is false for anything else.
func ParseProviderARN(kind store.ProviderKind, s string) (account, name string, ok bool) {
	typ := TypeOIDCProvider + "/"
	if kind == store.ProviderSAML {
		typ = TypeSAMLProvider + "/"
	}
	a, ok := arn.Split(s)
	if !ok || a.Partition != arn.PartitionAWS || a.Service != arn.ServiceIAM || a.Region != "" || !arn.IsAccountID(a.Account) ||
		!strings.HasPrefix(a.Resource, typ) || len(a.Resource) == len(typ) {
		return "", "", false
	}
	return a.Account, a.Resource[len(typ):], true
}

// providerName checks a provider ARN parameter of a call in account and
// returns the provider's name. The ARN must name a provider of the caller's
// account: another account's is InvalidInput, as IAM answers an ARN it
// cannot use.
func providerName(v *Validation, f Field, kind store.ProviderKind, account, s string) string {
	if !v.Length(f, s, 20, 2048) {
		return ""
	}
	acct, name, ok := ParseProviderARN(kind, s)
	if !ok || acct != account {
		v.refuse(refuse(ErrInvalidInput, "ARN %s is not valid.", s))
		return ""
	}
	return name
}

// providerNotFound is NoSuchEntity for a provider. IAM's exact text is not
// published; this one names the ARN, as IAM's NoSuchEntity messages name
// the entity.
func providerNotFound(kind store.ProviderKind, providerARN string) error {
	if kind == store.ProviderSAML {
		return noSuchEntity("SAMLProvider not found for arn %s", providerARN)
	}
	return noSuchEntity("OpenIDConnect Provider not found for arn %s", providerARN)
}

// readProvider reads a provider in tx, NoSuchEntity when it does not exist.
func readProvider(tx store.Tx, kind store.ProviderKind, account, name string) (store.Provider, error) {
	p, err := tx.Provider(kind, name)
	if err != nil && isNotFound(err) {
		return p, providerNotFound(kind, ProviderARN(account, kind, name))
	}
	return p, err
}

// changeProvider reads the provider the ARN names, lets change modify it
// and stores it, in one transaction.
func (s *Service) changeProvider(ctx context.Context, account string, kind store.ProviderKind, name string, change func(p *store.Provider) error) error {
	return s.store.Update(ctx, account, func(tx store.Tx) error {
		p, err := readProvider(tx, kind, account, name)
		if err != nil {
			return err
		}
		if err := change(&p); err != nil {
			return err
		}
		_, err = tx.UpdateProvider(p)
		return err
	})
}

// GetProvider returns the provider that providerARN names in account.
func (s *Service) GetProvider(ctx context.Context, account string, kind store.ProviderKind, providerARN string) (store.Provider, error) {
	var v Validation
	name := providerName(&v, providerField(kind), kind, account, providerARN)
	if err := v.Err(); err != nil {
		return store.Provider{}, err
	}
	var p store.Provider
	err := s.store.View(ctx, account, func(tx store.Tx) error {
		var err error
		p, err = readProvider(tx, kind, account, name)
		return err
	})
	return p, err
}

// ListProviders lists account's providers of kind by name.
func (s *Service) ListProviders(ctx context.Context, account string, kind store.ProviderKind) ([]store.Provider, error) {
	var ps []store.Provider
	err := s.store.View(ctx, account, func(tx store.Tx) error {
		var err error
		ps, err = tx.Providers(kind)
		return err
	})
	return ps, err
}

// DeleteProvider deletes the provider that providerARN names.
func (s *Service) DeleteProvider(ctx context.Context, account string, kind store.ProviderKind, providerARN string) error {
	var v Validation
	name := providerName(&v, providerField(kind), kind, account, providerARN)
	if err := v.Err(); err != nil {
		return err
	}
	return s.store.Update(ctx, account, func(tx store.Tx) error {
		err := tx.DeleteProvider(kind, name)
		if err != nil && isNotFound(err) {
			return providerNotFound(kind, providerARN)
		}
		return err
	})
}

// TagProvider adds or replaces tags of a provider (50 at most).
func (s *Service) TagProvider(ctx context.Context, account string, kind store.ProviderKind, providerARN string, tags []store.Tag) error {
	var v Validation
	name := providerName(&v, providerField(kind), kind, account, providerARN)
	if len(tags) == 0 {
		v.model = append(v.model, "Value null at 'tags' failed to satisfy constraint: Member must not be null")
	}
	v.Tags(tags)
	if err := v.Err(); err != nil {
		return err
	}
	return s.changeProvider(ctx, account, kind, name, func(p *store.Provider) error {
		merged := mergeTags(p.Tags, tags)
		if len(merged) > MaxTagsPerRequest {
			return refuse(store.ErrLimitExceeded, "The number of tags has reached the maximum limit.")
		}
		p.Tags = merged
		return nil
	})
}

// UntagProvider removes tags of a provider by key; absent keys are ignored.
func (s *Service) UntagProvider(ctx context.Context, account string, kind store.ProviderKind, providerARN string, keys []string) error {
	var v Validation
	name := providerName(&v, providerField(kind), kind, account, providerARN)
	v.TagKeys(keys)
	if err := v.Err(); err != nil {
		return err
	}
	return s.changeProvider(ctx, account, kind, name, func(p *store.Provider) error {
		kept := p.Tags[:0:0]
		for _, t := range p.Tags {
			drop := false
			for _, k := range keys {
				drop = drop || strings.EqualFold(k, t.Key)
			}
			if !drop {
				kept = append(kept, t)
			}
		}
		p.Tags = kept
		return nil
	})
}

// ListProviderTags pages through a provider's tags by key.
func (s *Service) ListProviderTags(ctx context.Context, account string, kind store.ProviderKind, providerARN string, in ListInput) (Page[store.Tag], error) {
	p, err := s.GetProvider(ctx, account, kind, providerARN)
	if err != nil {
		return Page[store.Tag]{}, err
	}
	var v Validation
	in.Check(&v)
	if err := v.Err(); err != nil {
		return Page[store.Tag]{}, err
	}
	tags := append([]store.Tag(nil), p.Tags...)
	sortTags(tags)
	return pageSlice(tags, in, func(t store.Tag) string { return strings.ToLower(t.Key) })
}

func providerField(kind store.ProviderKind) Field {
	if kind == store.ProviderSAML {
		return FieldSAMLProviderARN
	}
	return FieldOIDCProviderARN
}

// mergeTags returns old with tags added or replaced by key (compared
// case-insensitively).
func mergeTags(old, tags []store.Tag) []store.Tag {
	out := append([]store.Tag(nil), old...)
	for _, t := range tags {
		found := false
		for i := range out {
			if strings.EqualFold(out[i].Key, t.Key) {
				out[i], found = t, true
			}
		}
		if !found {
			out = append(out, t)
		}
	}
	return out
}

// sortTags sorts tags by key, case-insensitively.
func sortTags(tags []store.Tag) {
	slices.SortFunc(tags, func(a, b store.Tag) int { return strings.Compare(strings.ToLower(a.Key), strings.ToLower(b.Key)) })
}

func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }
