package iam

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/iamq/iamq/internal/store"
)

// Limits of OIDC providers (IAM API Reference, CreateOpenIDConnectProvider;
// IAM User Guide, "IAM and AWS STS quotas": 100 client ids and 5
// thumbprints per provider).
const (
	MaxOIDCURL                = 255
	MaxClientID               = 255
	MaxClientIDs              = 100
	ThumbprintLength          = 40
	MaxThumbprints            = 5
	FieldURL            Field = "url"
	FieldClientID       Field = "clientID"
	FieldThumbprintList Field = "thumbprintList"
	FieldClientIDList   Field = "clientIDList"
)

// CreateOIDCProviderInput is CreateOpenIDConnectProvider's input.
type CreateOIDCProviderInput struct {
	URL         string // https://host[/path]
	ClientIDs   []string
	Thumbprints []string // optional since 2023: IAM then trusts the issuer's CA
	Tags        []store.Tag
}

// OIDCProviderName returns the provider name of an issuer URL: the URL
// without https://, as the provider's ARN and the trust policy's keys
// (NAME:sub, NAME:aud) spell it. ok is false for a URL IAM refuses: not
// https, no host, a query, a fragment or user information.
func OIDCProviderName(raw string) (string, bool) {
	u, err := url.Parse(raw)
	if err != nil || !strings.EqualFold(u.Scheme, "https") || u.Host == "" || u.User != nil || u.RawQuery != "" ||
		u.Fragment != "" || strings.HasSuffix(raw, "?") || strings.HasSuffix(raw, "#") {
		return "", false
	}
	name := strings.ToLower(u.Host) + strings.TrimSuffix(u.EscapedPath(), "/")
	if strings.ContainsAny(name, " \t\r\n") {
		return "", false
	}
	return name, true
}

// checkOIDCLists records what is wrong with client ids and thumbprints.
func checkOIDCLists(v *Validation, clientIDs, thumbprints []string) {
	if len(clientIDs) > MaxClientIDs {
		v.refuse(refuse(store.ErrLimitExceeded, "Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: %d", MaxClientIDs))
	}
	for i, id := range clientIDs {
		v.Length(Field(fmt.Sprintf("clientIDList.%d.member", i+1)), id, 1, MaxClientID)
	}
	if len(thumbprints) > MaxThumbprints {
		v.constraint(FieldThumbprintList, "["+strings.Join(thumbprints, ", ")+"]",
			fmt.Sprintf("Member must have length less than or equal to %d", MaxThumbprints))
	}
	for i, t := range thumbprints {
		v.Length(Field(fmt.Sprintf("thumbprintList.%d.member", i+1)), t, ThumbprintLength, ThumbprintLength)
	}
}

// CreateOIDCProvider creates an OpenID Connect provider and returns it.
func (s *Service) CreateOIDCProvider(ctx context.Context, account string, in CreateOIDCProviderInput) (store.Provider, error) {
	var v Validation
	ok := v.Length(FieldURL, in.URL, 1, MaxOIDCURL)
	checkOIDCLists(&v, in.ClientIDs, in.Thumbprints)
	v.Tags(in.Tags)
	name, valid := OIDCProviderName(in.URL)
	if ok && !valid {
		v.refuse(refuse(ErrInvalidInput, "Invalid Openid Connect Provider URL: %s", in.URL))
	}
	if err := v.Err(); err != nil {
		return store.Provider{}, err
	}
	p := store.Provider{Kind: store.ProviderOIDC, Name: name, ClientIDs: dedupe(in.ClientIDs),
		Thumbprints: dedupe(lowerAll(in.Thumbprints)), Tags: in.Tags, Created: s.now().UTC()}
	err := s.store.Update(ctx, account, func(tx store.Tx) error {
		var err error
		p, err = tx.CreateProvider(p)
		return err
	})
	return p, err
}

// AddClientID adds a client id (audience) to an OIDC provider; adding one
// it has does nothing.
func (s *Service) AddClientID(ctx context.Context, account, providerARN, clientID string) error {
	var v Validation
	name := providerName(&v, FieldOIDCProviderARN, store.ProviderOIDC, account, providerARN)
	v.Length(FieldClientID, clientID, 1, MaxClientID)
	if err := v.Err(); err != nil {
		return err
	}
	return s.changeProvider(ctx, account, store.ProviderOIDC, name, func(p *store.Provider) error {
		if slices.Contains(p.ClientIDs, clientID) {
			return nil
		}
		if len(p.ClientIDs) >= MaxClientIDs {
			return refuse(store.ErrLimitExceeded, "Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: %d", MaxClientIDs)
		}
		p.ClientIDs = append(p.ClientIDs, clientID)
		return nil
	})
}

// RemoveClientID removes a client id from an OIDC provider; removing one it
// does not have does nothing (IAM API Reference,
// RemoveClientIDFromOpenIDConnectProvider: "This operation is idempotent").
func (s *Service) RemoveClientID(ctx context.Context, account, providerARN, clientID string) error {
	var v Validation
	name := providerName(&v, FieldOIDCProviderARN, store.ProviderOIDC, account, providerARN)
	v.Length(FieldClientID, clientID, 1, MaxClientID)
	if err := v.Err(); err != nil {
		return err
	}
	return s.changeProvider(ctx, account, store.ProviderOIDC, name, func(p *store.Provider) error {
		p.ClientIDs = slices.DeleteFunc(p.ClientIDs, func(id string) bool { return id == clientID })
		return nil
	})
}

// UpdateThumbprints replaces an OIDC provider's thumbprints.
func (s *Service) UpdateThumbprints(ctx context.Context, account, providerARN string, thumbprints []string) error {
	var v Validation
	name := providerName(&v, FieldOIDCProviderARN, store.ProviderOIDC, account, providerARN)
	checkOIDCLists(&v, nil, thumbprints)
	if thumbprints == nil {
		v.model = append(v.model, "Value null at 'thumbprintList' failed to satisfy constraint: Member must not be null")
	}
	if err := v.Err(); err != nil {
		return err
	}
	return s.changeProvider(ctx, account, store.ProviderOIDC, name, func(p *store.Provider) error {
		p.Thumbprints = dedupe(lowerAll(thumbprints))
		return nil
	})
}

// dedupe returns list without repeats, in order.
func dedupe(list []string) []string {
	var out []string
	for _, s := range list {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func lowerAll(list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = strings.ToLower(s)
	}
	return out
}
