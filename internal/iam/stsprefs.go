package iam

import (
	"context"
	"errors"

	"github.com/iamq/iamq/internal/store"
)

// TokenVersion is SetSecurityTokenServicePreferences'
// GlobalEndpointTokenVersion (globalEndpointTokenVersion in IAM's model):
// which tokens STS's global endpoint issues, v1 (valid only in the regions
// enabled by default) or v2 (valid in every region).
type TokenVersion string

// The versions of IAM's model.
const (
	TokenV1 TokenVersion = "v1Token"
	TokenV2 TokenVersion = "v2Token"
)

// settingSTS names the account setting that holds the version.
const settingSTS = "sts-global-endpoint-token-version"

// FieldGlobalEndpointTokenVersion is the parameter as validation names it.
const FieldGlobalEndpointTokenVersion Field = "globalEndpointTokenVersion"

// SetSecurityTokenServicePreferences stores the account's token version;
// GetAccountSummary reports it as GlobalEndpointTokenVersion (1 or 2).
// iamq's tokens are valid in every region either way: the setting is kept
// and reported, as IAM does (IAM API Reference,
// SetSecurityTokenServicePreferences).
func (s *Service) SetSecurityTokenServicePreferences(ctx context.Context, account string, v TokenVersion) error {
	if v != TokenV1 && v != TokenV2 {
		var val Validation
		val.constraint(FieldGlobalEndpointTokenVersion, string(v), "Member must satisfy enum value set: [v1Token, v2Token]")
		return val.Err()
	}
	return s.store.Update(ctx, account, func(tx store.Tx) error { return tx.PutAccountSetting(settingSTS, string(v)) })
}

// globalEndpointTokenVersion is the account's version as GetAccountSummary
// counts it: 1 unless v2Token was set (IAM's default for accounts is v1
// tokens, IAM User Guide, "Managing AWS STS in an AWS Region").
func globalEndpointTokenVersion(tx store.Tx) (int, error) {
	v, err := tx.AccountSetting(settingSTS)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return 1, nil
	case err != nil:
		return 0, err
	case TokenVersion(v) == TokenV2:
		return 2, nil
	}
	return 1, nil
}

// countProviders counts the account's identity providers, OIDC and SAML,
// for GetAccountSummary's Providers.
func countProviders(tx store.Tx) (int, error) {
	n := 0
	for _, kind := range []store.ProviderKind{store.ProviderOIDC, store.ProviderSAML} {
		ps, err := tx.Providers(kind)
		if err != nil {
			return 0, err
		}
		n += len(ps)
	}
	return n, nil
}
