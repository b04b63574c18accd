package sts

import (
	"context"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"

	"github.com/iamq/iamq/eval"
	"github.com/iamq/iamq/internal/authz"
	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/store"
)

// SAML attribute names and audiences AWS defines (IAM User Guide,
// "Configure SAML assertions for the authentication response").
const (
	samlRoleAttr     = "https://aws.amazon.com/SAML/Attributes/Role"
	samlSessionAttr  = "https://aws.amazon.com/SAML/Attributes/RoleSessionName"
	samlSourceAttr   = "https://aws.amazon.com/SAML/Attributes/SourceIdentity"
	samlTagPrefix    = "https://aws.amazon.com/SAML/Attributes/PrincipalTag:"
	samlTransitive   = "https://aws.amazon.com/SAML/Attributes/TransitiveTagKeys"
	samlAudienceAWS  = "https://signin.aws.amazon.com/saml"
	samlAudienceURN  = "urn:amazon:webservices"
	samlTimeLayout   = time.RFC3339Nano
	MaxSAMLAssertion = 100000 // characters of base64 (the model's SAMLAssertionType)
	msgNotAuthSAML   = "Not authorized to perform sts:AssumeRoleWithSAML"
)

// SAMLInput is AssumeRoleWithSAML's request.
type SAMLInput struct {
	RoleARN, PrincipalARN, SAMLAssertion string
	Policy                               string
	PolicyARNs                           []string
	DurationSeconds                      *int
}

// SAMLOutput is AssumeRoleWithSAML's result.
type SAMLOutput struct {
	AssumeRoleOutput
	Subject, SubjectType, Issuer, Audience, NameQualifier string
}

// samlAssertion is what a verified assertion says.
type samlAssertion struct {
	issuer, subject, subjectType, audience, session, source string
	roles                                                   [][2]string // (role ARN, provider ARN)
	tags                                                    []store.Tag // PrincipalTag:KEY attributes
	transitive                                              []string
}

// AssumeRoleWithSAML makes a role session for the holder of a SAML 2.0
// assertion (STS API Reference, AssumeRoleWithSAML): the assertion (or the
// Response around it) must be signed by a certificate of the SAML provider
// PrincipalArn's metadata, issued by its entity, valid now, for AWS's
// audience, and name the role and provider in its Role attribute; the
// role's trust policy must allow sts:AssumeRoleWithSAML to the provider
// with the saml: keys. The call is unsigned.
func (s *Service) AssumeRoleWithSAML(ctx context.Context, info authz.RequestInfo, in SAMLInput) (SAMLOutput, error) {
	ar := AssumeRoleInput{RoleARN: in.RoleARN, RoleSessionName: "xx", Policy: in.Policy, PolicyARNs: in.PolicyARNs, DurationSeconds: in.DurationSeconds}
	seconds, err := validateAssume(&ar)
	if err != nil {
		return SAMLOutput{}, err
	}
	if n := len(in.SAMLAssertion); n < 4 || n > MaxSAMLAssertion {
		return SAMLOutput{}, invalid("***", "sAMLAssertion", fmt.Sprintf("Member must have length between 4 and %d", MaxSAMLAssertion))
	}
	packed, err := s.packPolicies(&ar)
	if err != nil {
		return SAMLOutput{}, err
	}
	account, ok := roleAccount(in.RoleARN)
	pAccount, pName, pok := iam.ParseProviderARN(store.ProviderSAML, in.PrincipalARN)
	if !ok || !pok || pAccount != account {
		return SAMLOutput{}, fmt.Errorf("%w: %s", ErrAccessDenied, msgNotAuthSAML)
	}
	a, err := s.verifySAML(ctx, account, pName, in.SAMLAssertion)
	if err != nil {
		return SAMLOutput{}, err
	}
	if !slices.Contains(a.roles, [2]string{in.RoleARN, in.PrincipalARN}) {
		return SAMLOutput{}, fmt.Errorf("%w: %s", ErrAccessDenied, msgNotAuthSAML)
	}
	if err := checkName(a.session, "roleSessionName", 2, 64, "", `[\w+=,.@-]*`); err != nil {
		return SAMLOutput{}, fmt.Errorf("%w: The RoleSessionName attribute is missing or invalid.", ErrIDPRejectedClaim)
	}
	role, err := s.role(ctx, account, in.RoleARN)
	if errors.Is(err, store.ErrNotFound) {
		return SAMLOutput{}, fmt.Errorf("%w: %s", ErrAccessDenied, msgNotAuthSAML)
	}
	if err != nil {
		return SAMLOutput{}, err
	}
	if err := checkDuration(seconds, role.MaxSessionDuration, false); err != nil {
		return SAMLOutput{}, err
	}
	qualifier := nameQualifier(a.issuer, account, pName)
	ar.RoleSessionName, ar.SourceIdentity, ar.Tags, ar.TransitiveKeys = a.session, a.source, a.tags, a.transitive
	if err := checkSessionClaims(&ar); err != nil {
		return SAMLOutput{}, err
	}
	fr := federatedRequest{role: role, action: "sts:AssumeRoleWithSAML", provider: in.PrincipalARN, info: info, in: &ar, keys: a.keys(qualifier)}
	if !fr.trusted() {
		return SAMLOutput{}, fmt.Errorf("%w: %s", ErrAccessDenied, msgNotAuthSAML)
	}
	out, err := s.federatedSession(ctx, account, role, &ar, in.PrincipalARN, seconds)
	if err != nil {
		return SAMLOutput{}, err
	}
	out.PackedPolicySize = packed
	return SAMLOutput{AssumeRoleOutput: out, Subject: a.subject, SubjectType: a.subjectType, Issuer: a.issuer, Audience: a.audience,
		NameQualifier: qualifier}, nil
}

// nameQualifier is saml:namequalifier: base64 of the SHA-1 of the issuer,
// the account id and "/" and the provider's name (IAM User Guide,
// "Configure SAML assertions for the authentication response").
func nameQualifier(issuer, account, provider string) string {
	sum := sha1.Sum([]byte(issuer + account + "/" + provider))
	return base64.StdEncoding.EncodeToString(sum[:])
}

func (a *samlAssertion) keys(qualifier string) func(*eval.Context) {
	return func(ec *eval.Context) {
		ec.Add("saml:aud", eval.String(a.audience))
		ec.Add("saml:iss", eval.String(a.issuer))
		ec.Add("saml:sub", eval.String(a.subject))
		ec.Add("saml:sub_type", eval.String(a.subjectType))
		ec.Add("saml:namequalifier", eval.String(qualifier))
	}
}

// verifySAML decodes the assertion, verifies its signature with the
// provider's certificates and checks its issuer, times and audience.
func (s *Service) verifySAML(ctx context.Context, account, provider, encoded string) (*samlAssertion, error) {
	var p store.Provider
	err := s.store.View(ctx, account, func(tx store.Tx) error {
		var err error
		p, err = tx.Provider(store.ProviderSAML, provider)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("%w: %s", ErrAccessDenied, msgNotAuthSAML)
	}
	if err != nil {
		return nil, err
	}
	meta, err := iam.ParseSAMLMetadata(p.Metadata)
	if err != nil {
		return nil, fmt.Errorf("%w: The SAML provider's metadata holds no usable signing certificate.", ErrInvalidIdentityToken)
	}
	now := s.opts.Now()
	if !p.ValidUntil.IsZero() && now.After(p.ValidUntil) {
		return nil, fmt.Errorf("%w: The SAML provider's metadata expired at %s.", ErrInvalidIdentityToken, p.ValidUntil.Format(time.RFC3339))
	}
	el, err := signedAssertion(encoded, meta, now)
	if err != nil {
		return nil, err
	}
	return readAssertion(el, meta.EntityID, now)
}

// signedAssertion returns the Assertion whose signature (its own, or the
// Response's around it) a certificate of meta verifies: the verified copy,
// so that nothing outside the signature is read.
func signedAssertion(encoded string, meta iam.SAMLMetadata, now time.Time) (*etree.Element, error) {
	bad := fmt.Errorf("%w: Invalid SAML response: it is not a base64-encoded SAML 2.0 Response.", ErrInvalidIdentityToken)
	raw, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(encoded), ""))
	if err != nil {
		return nil, bad
	}
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(raw); err != nil || doc.Root() == nil {
		return nil, bad
	}
	vc := dsig.NewDefaultValidationContext(&dsig.MemoryX509CertificateStore{Roots: meta.Certs})
	vc.Clock = dsig.NewFakeClockAt(now)
	root := doc.Root()
	if root.Tag == "Response" && root.SelectElement("Signature") != nil {
		v, err := vc.Validate(root)
		if err != nil {
			return nil, fmt.Errorf("%w: The SAML response's signature is not valid for the provider's certificates.", ErrInvalidIdentityToken)
		}
		if a := v.SelectElement("Assertion"); a != nil {
			return a, nil
		}
		return nil, bad
	}
	a := root
	if root.Tag == "Response" {
		a = root.SelectElement("Assertion")
	}
	if a == nil || a.Tag != "Assertion" {
		return nil, bad
	}
	v, err := vc.Validate(a)
	if err != nil {
		return nil, fmt.Errorf("%w: The SAML assertion's signature is not valid for the provider's certificates.", ErrInvalidIdentityToken)
	}
	return v, nil
}

// samlClockSkew is the skew allowed on an assertion's NotBefore.
const samlClockSkew = 5 * time.Minute

// readAssertion reads a verified assertion: Issuer (the provider's entity
// id), Subject, its confirmation's Recipient and NotOnOrAfter, the
// Conditions' times and audience, and AWS's attributes.
func readAssertion(el *etree.Element, entityID string, now time.Time) (*samlAssertion, error) {
	a := &samlAssertion{}
	if iss := el.SelectElement("Issuer"); iss != nil {
		a.issuer = strings.TrimSpace(iss.Text())
	}
	if a.issuer != entityID {
		return nil, fmt.Errorf("%w: The assertion's Issuer %q is not the provider's entity %q.", ErrInvalidIdentityToken, a.issuer, entityID)
	}
	if sub := el.SelectElement("Subject"); sub != nil {
		if id := sub.SelectElement("NameID"); id != nil {
			a.subject = strings.TrimSpace(id.Text())
			a.subjectType = subjectType(id.SelectAttrValue("Format", ""))
		}
		if d := sub.FindElement("./SubjectConfirmation/SubjectConfirmationData"); d != nil {
			a.audience = d.SelectAttrValue("Recipient", "")
			if err := notAfter(d.SelectAttrValue("NotOnOrAfter", ""), now); err != nil {
				return nil, err
			}
		}
	}
	c := el.SelectElement("Conditions")
	if c == nil {
		return nil, fmt.Errorf("%w: The assertion has no Conditions.", ErrInvalidIdentityToken)
	}
	if err := notAfter(c.SelectAttrValue("NotOnOrAfter", ""), now); err != nil {
		return nil, err
	}
	if nb := c.SelectAttrValue("NotBefore", ""); nb != "" {
		if t, err := time.Parse(samlTimeLayout, nb); err != nil || now.Add(samlClockSkew).Before(t) {
			return nil, fmt.Errorf("%w: The assertion is not valid yet.", ErrInvalidIdentityToken)
		}
	}
	audOK := false
	for _, au := range c.FindElements("./AudienceRestriction/Audience") {
		v := strings.TrimSpace(au.Text())
		audOK = audOK || v == samlAudienceAWS || v == samlAudienceURN
	}
	if !audOK {
		return nil, fmt.Errorf("%w: The assertion's AudienceRestriction does not name %s.", ErrInvalidIdentityToken, samlAudienceAWS)
	}
	a.readAttributes(el)
	return a, nil
}

// readAttributes reads the Role, RoleSessionName and SourceIdentity
// attributes; a Role value is "ROLE-ARN,PROVIDER-ARN" in either order.
func (a *samlAssertion) readAttributes(el *etree.Element) {
	for _, at := range el.FindElements("./AttributeStatement/Attribute") {
		for _, v := range at.SelectElements("AttributeValue") {
			text, name := strings.TrimSpace(v.Text()), at.SelectAttrValue("Name", "")
			if key, ok := strings.CutPrefix(name, samlTagPrefix); ok {
				a.tags = append(a.tags, store.Tag{Key: key, Value: text})
				continue
			}
			switch name {
			case samlTransitive:
				a.transitive = append(a.transitive, text)
			case samlRoleAttr:
				parts := strings.Split(text, ",")
				if len(parts) == 2 {
					r, p := strings.TrimSpace(parts[0]), strings.TrimSpace(parts[1])
					if strings.Contains(r, ":saml-provider/") {
						r, p = p, r
					}
					a.roles = append(a.roles, [2]string{r, p})
				}
			case samlSessionAttr:
				a.session = text
			case samlSourceAttr:
				a.source = text
			}
		}
	}
}

// notAfter refuses a NotOnOrAfter time that has passed.
func notAfter(v string, now time.Time) error {
	if v == "" {
		return nil
	}
	t, err := time.Parse(samlTimeLayout, v)
	if err != nil {
		return fmt.Errorf("%w: The assertion's NotOnOrAfter %q is not a time.", ErrInvalidIdentityToken, v)
	}
	if !now.Before(t) {
		return fmt.Errorf("%w: Token expired: current date/time %s must be before the expiration date/time %s", ErrExpiredToken,
			now.UTC().Format(time.RFC3339), t.UTC().Format(time.RFC3339))
	}
	return nil
}

// subjectType is saml:sub_type: "persistent" or "transient" for those
// NameID formats, the format itself otherwise (IAM User Guide, "Available
// keys for SAML-based AWS STS federation").
func subjectType(format string) string {
	switch format {
	case "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent":
		return "persistent"
	case "urn:oasis:names:tc:SAML:2.0:nameid-format:transient":
		return "transient"
	}
	return format
}
