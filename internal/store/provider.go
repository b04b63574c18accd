package store

import "time"

// ProviderKind is the kind of an identity provider.
type ProviderKind string

// The kinds of identity provider IAM keeps (IAM User Guide, "Identity
// providers and federation").
const (
	ProviderOIDC ProviderKind = "oidc" // arn:aws:iam::ACCOUNT:oidc-provider/URL
	ProviderSAML ProviderKind = "saml" // arn:aws:iam::ACCOUNT:saml-provider/NAME
)

// KindProvider names identity providers in the change sequence.
const KindProvider Kind = "identity-provider"

// MaxProviders is how many providers of one kind an account may hold (IAM
// User Guide, "IAM and AWS STS quotas": 100 SAML providers and 100 OIDC
// providers per account).
const MaxProviders = 100

// Provider is an OpenID Connect or SAML identity provider of an account.
type Provider struct {
	AccountID string
	Kind      ProviderKind
	// Name is, for OIDC, the issuer URL without its https:// scheme
	// ("token.actions.githubusercontent.com"), as it appears in the
	// provider's ARN; for SAML, the provider's name. It is unique per
	// account and kind, compared exactly (an OIDC URL's host is lower-cased
	// before it is stored).
	Name    string
	Created time.Time
	// ClientIDs (audiences) and Thumbprints (hex SHA-1 of a certificate of
	// the issuer's TLS chain) of an OIDC provider.
	ClientIDs   []string
	Thumbprints []string
	// Metadata is a SAML provider's metadata document; ValidUntil the
	// metadata's validUntil, zero when it has none.
	Metadata   string
	ValidUntil time.Time
	Tags       []Tag
}
