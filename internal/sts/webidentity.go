package sts

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/iamq/iamq/eval"
	"github.com/iamq/iamq/internal/authz"
	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/store"
)

// The refusals of the federation calls (STS API Reference,
// AssumeRoleWithWebIdentity and AssumeRoleWithSAML, Errors).
var (
	ErrInvalidIdentityToken = errors.New("sts: invalid identity token")  // InvalidIdentityToken
	ErrExpiredToken         = errors.New("sts: expired token")           // ExpiredTokenException
	ErrIDPRejectedClaim     = errors.New("sts: IdP rejected claim")      // IDPRejectedClaim
	ErrIDPCommunication     = errors.New("sts: IdP communication error") // IDPCommunicationError
)

// Bounds of AssumeRoleWithWebIdentity's token (the model's clientTokenType)
// and the clock skew allowed on its iat and nbf claims.
const (
	MinWebIdentityToken = 4
	MaxWebIdentityToken = 20000
	tokenLeeway         = 5 * time.Minute
)

// tokenAlgorithms are the JWS algorithms a token may be signed with.
var tokenAlgorithms = []jose.SignatureAlgorithm{jose.RS256, jose.RS384, jose.RS512, jose.PS256, jose.PS384, jose.PS512,
	jose.ES256, jose.ES384, jose.ES512}

// Messages of AssumeRoleWithWebIdentity's refusals. AWS's texts, as users
// quote them: "Incorrect token audience" (awslabs/amazon-eks-irsa-cfn#18),
// "Missing a required claim: aud" (aws/aws-sdk-ruby#2698), "Couldn't
// retrieve verification key…", "No OpenIDConnect provider found in your
// account for …", "Token expired: current date/time … must be before the
// expiration date/time …" and "Not authorized to perform
// sts:AssumeRoleWithWebIdentity" (widely quoted in EKS and GitHub Actions
// reports). msgBadSignature is iamq's: no public report quotes AWS's.
const (
	msgNoKey        = "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements"
	msgBadSignature = "The web identity token's signature could not be verified with the identity provider's keys."
	msgAudience     = "Incorrect token audience"
	msgNotAuthWeb   = "Not authorized to perform sts:AssumeRoleWithWebIdentity"
)

// WebIdentityInput is AssumeRoleWithWebIdentity's request.
type WebIdentityInput struct {
	RoleARN, RoleSessionName, WebIdentityToken string
	// ProviderID names an OAuth 2.0 provider (www.amazon.com,
	// graph.facebook.com); iamq serves OIDC ID tokens only.
	ProviderID      string
	Policy          string
	PolicyARNs      []string
	DurationSeconds *int
}

// WebIdentityOutput is AssumeRoleWithWebIdentity's result.
type WebIdentityOutput struct {
	AssumeRoleOutput
	Subject  string // SubjectFromWebIdentityToken: the sub claim
	Provider string // the iss claim
	Audience string // the client id the token was issued to
}

// webToken is a verified token: its claims and its provider.
type webToken struct {
	claims   jwt.Claims
	amr      []string
	provider store.Provider
	arn      string // the provider's ARN
	issuer   string
	audience string
	tags     *awsTagsClaim
	source   string
}

// awsTagsClaim is the session tags claim of an ID token (IAM User Guide,
// "Passing session tags using AssumeRoleWithWebIdentity").
type awsTagsClaim struct {
	PrincipalTags     map[string][]string `json:"principal_tags"`
	TransitiveTagKeys []string            `json:"transitive_tag_keys"`
}

// sessionClaims puts the token's session tags and source identity into in
// and checks them as AssumeRole's parameters are checked.
func (tok *webToken) sessionClaims(in *AssumeRoleInput) error {
	in.SourceIdentity = tok.source
	if tok.tags != nil {
		for k, vs := range tok.tags.PrincipalTags {
			if len(vs) != 1 {
				return fmt.Errorf("%w: The session tag %s must have exactly one value.", ErrIDPRejectedClaim, k)
			}
			in.Tags = append(in.Tags, store.Tag{Key: k, Value: vs[0]})
		}
		slices.SortFunc(in.Tags, func(a, b store.Tag) int { return strings.Compare(a.Key, b.Key) })
		in.TransitiveKeys = tok.tags.TransitiveTagKeys
	}
	return checkSessionClaims(in)
}

// AssumeRoleWithWebIdentity makes a role session for the holder of an OIDC
// ID token (STS API Reference, AssumeRoleWithWebIdentity): the token's
// signature is verified with its provider's keys (an OIDC provider of the
// role's account whose URL is the token's iss), its exp, nbf, iat and aud
// are checked, and the role's trust policy must allow
// sts:AssumeRoleWithWebIdentity to the provider (Federated) with the
// token's PROVIDER:sub, :aud and :amr keys. The call is unsigned.
func (s *Service) AssumeRoleWithWebIdentity(ctx context.Context, info authz.RequestInfo, in WebIdentityInput) (WebIdentityOutput, error) {
	ar := AssumeRoleInput{RoleARN: in.RoleARN, RoleSessionName: in.RoleSessionName, Policy: in.Policy, PolicyARNs: in.PolicyARNs,
		DurationSeconds: in.DurationSeconds}
	seconds, err := validateAssume(&ar)
	if err != nil {
		return WebIdentityOutput{}, err
	}
	if n := len(in.WebIdentityToken); n < MinWebIdentityToken || n > MaxWebIdentityToken {
		return WebIdentityOutput{}, invalid("***", "webIdentityToken", fmt.Sprintf("Member must have length between %d and %d", MinWebIdentityToken, MaxWebIdentityToken))
	}
	if in.ProviderID != "" {
		return WebIdentityOutput{}, fmt.Errorf("%w: iamq accepts OpenID Connect ID tokens only; ProviderId (OAuth 2.0 providers) is not supported.", ErrInvalidParameter)
	}
	packed, err := s.packPolicies(&ar)
	if err != nil {
		return WebIdentityOutput{}, err
	}
	account, ok := roleAccount(in.RoleARN)
	if !ok {
		return WebIdentityOutput{}, fmt.Errorf("%w: %s is not a valid role ARN.", ErrValidation, in.RoleARN)
	}
	tok, err := s.verifyWebToken(ctx, account, in.WebIdentityToken)
	if err != nil {
		return WebIdentityOutput{}, err
	}
	role, err := s.role(ctx, account, in.RoleARN)
	if errors.Is(err, store.ErrNotFound) {
		return WebIdentityOutput{}, fmt.Errorf("%w: %s", ErrAccessDenied, msgNotAuthWeb)
	}
	if err != nil {
		return WebIdentityOutput{}, err
	}
	if err := checkDuration(seconds, role.MaxSessionDuration, false); err != nil {
		return WebIdentityOutput{}, err
	}
	if err := tok.sessionClaims(&ar); err != nil {
		return WebIdentityOutput{}, err
	}
	fr := federatedRequest{role: role, action: "sts:AssumeRoleWithWebIdentity", provider: tok.arn, info: info, in: &ar, keys: tok.keys()}
	if !fr.trusted() {
		return WebIdentityOutput{}, fmt.Errorf("%w: %s", ErrAccessDenied, msgNotAuthWeb)
	}
	out, err := s.federatedSession(ctx, account, role, &ar, tok.arn, seconds)
	if err != nil {
		return WebIdentityOutput{}, err
	}
	out.PackedPolicySize = packed
	return WebIdentityOutput{AssumeRoleOutput: out, Subject: tok.claims.Subject, Provider: tok.issuer, Audience: tok.audience}, nil
}

// verifyWebToken parses the token, finds its provider in account and
// verifies its signature and claims.
func (s *Service) verifyWebToken(ctx context.Context, account, raw string) (*webToken, error) {
	jws, err := jwt.ParseSigned(raw, tokenAlgorithms)
	if err != nil {
		return nil, fmt.Errorf("%w: The web identity token is not a valid signed JWT.", ErrInvalidIdentityToken)
	}
	var unsafe jwt.Claims
	if err := jws.UnsafeClaimsWithoutVerification(&unsafe); err != nil || unsafe.Issuer == "" {
		return nil, fmt.Errorf("%w: Missing a required claim: iss", ErrInvalidIdentityToken)
	}
	name, ok := iam.OIDCProviderName(unsafe.Issuer)
	noProvider := fmt.Errorf("%w: No OpenIDConnect provider found in your account for %s", ErrInvalidIdentityToken, unsafe.Issuer)
	if !ok {
		return nil, noProvider
	}
	var p store.Provider
	err = s.store.View(ctx, account, func(tx store.Tx) error {
		var err error
		p, err = tx.Provider(store.ProviderOIDC, name)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, noProvider
	}
	if err != nil {
		return nil, err
	}
	tok := &webToken{provider: p, arn: iam.ProviderARN(account, store.ProviderOIDC, name), issuer: unsafe.Issuer}
	if err := s.checkSignature(ctx, jws, tok); err != nil {
		return nil, err
	}
	return tok, s.checkClaims(tok)
}

// checkSignature verifies the token with the provider's key its kid names
// (every key when it names none) and reads its claims.
func (s *Service) checkSignature(ctx context.Context, jws *jwt.JSONWebToken, tok *webToken) error {
	set, err := s.opts.OIDCKeys.Keys(ctx, tok.provider)
	if errors.Is(err, ErrThumbprint) {
		// AWS's text, as users quote it (aws-actions/configure-aws-credentials#357,
		// terraform-aws-modules/terraform-aws-eks#2542).
		return fmt.Errorf("%w: OpenIDConnect provider's HTTPS certificate doesn't match configured thumbprint", ErrInvalidIdentityToken)
	}
	if errors.Is(err, ErrIDPUnreachable) {
		return fmt.Errorf("%w: The identity provider %s could not be reached for its keys.", ErrIDPCommunication, tok.issuer)
	}
	if err != nil {
		return fmt.Errorf("%w: %s", ErrInvalidIdentityToken, msgNoKey)
	}
	keys := set.Keys
	if kid := jws.Headers[0].KeyID; kid != "" {
		keys = set.Key(kid)
	}
	if len(keys) == 0 {
		return fmt.Errorf("%w: %s", ErrInvalidIdentityToken, msgNoKey)
	}
	var extra struct {
		AMR    any           `json:"amr"`
		Tags   *awsTagsClaim `json:"https://aws.amazon.com/tags"`
		Source string        `json:"https://aws.amazon.com/source_identity"`
	}
	for _, k := range keys {
		if err := jws.Claims(k.Public().Key, &tok.claims, &extra); err == nil {
			tok.amr, tok.tags, tok.source = stringsOf(extra.AMR), extra.Tags, extra.Source
			return nil
		}
	}
	return fmt.Errorf("%w: %s", ErrInvalidIdentityToken, msgBadSignature)
}

// checkClaims checks exp, nbf, iat, sub and aud against the clock and the
// provider's client ids.
func (s *Service) checkClaims(tok *webToken) error {
	now, c := s.opts.Now(), &tok.claims
	switch {
	case c.Expiry == nil:
		return fmt.Errorf("%w: Missing a required claim: exp", ErrInvalidIdentityToken)
	case !now.Before(c.Expiry.Time()):
		return fmt.Errorf("%w: Token expired: current date/time %d must be before the expiration date/time %d", ErrExpiredToken,
			now.Unix(), c.Expiry.Time().Unix())
	case c.NotBefore != nil && now.Add(tokenLeeway).Before(c.NotBefore.Time()),
		c.IssuedAt != nil && now.Add(tokenLeeway).Before(c.IssuedAt.Time()):
		return fmt.Errorf("%w: The web identity token is not valid yet.", ErrInvalidIdentityToken)
	case c.Subject == "":
		return fmt.Errorf("%w: Missing a required claim: sub", ErrInvalidIdentityToken)
	case len(c.Audience) == 0:
		return fmt.Errorf("%w: Missing a required claim: aud", ErrInvalidIdentityToken)
	}
	for _, aud := range c.Audience {
		for _, id := range tok.provider.ClientIDs {
			if aud == id {
				tok.audience = aud
				return nil
			}
		}
	}
	return fmt.Errorf("%w: %s", ErrInvalidIdentityToken, msgAudience)
}

// keys adds the token's condition keys (IAM User Guide, "Available keys
// for AWS OIDC federation"): PROVIDER:sub, :aud, :amr and :iss is not one.
func (tok *webToken) keys() func(*eval.Context) {
	name := tok.provider.Name
	return func(ec *eval.Context) {
		ec.Add(name+":sub", eval.String(tok.claims.Subject))
		ec.Add(name+":aud", eval.String(tok.audience))
		if len(tok.amr) > 0 {
			vs := make([]eval.Value, len(tok.amr))
			for i, a := range tok.amr {
				vs[i] = eval.String(a)
			}
			ec.Add(name+":amr", vs...)
		}
	}
}

// stringsOf reads a claim that is a string or a list of strings.
func stringsOf(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
