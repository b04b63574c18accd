package iamapi

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	awssts "github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"
)

// testSAMLIdP is a SAML identity provider: a key, its self-signed
// certificate and the metadata document that publishes it.
type testSAMLIdP struct {
	key      *rsa.PrivateKey
	cert     []byte // DER
	entityID string
}

func newSAMLIdP(t *testing.T, entityID string) *testSAMLIdP {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: entityID},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return &testSAMLIdP{key: key, cert: der, entityID: entityID}
}

func (idp *testSAMLIdP) metadata() string {
	return `<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="` + idp.entityID + `">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data>
      <ds:X509Certificate>` + base64.StdEncoding.EncodeToString(idp.cert) + `</ds:X509Certificate>
    </ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`
}

// assertion is a SAML Response whose Assertion, signed with key, says
// what the fields say.
type assertion struct {
	issuer, subject, session, roleValue, audience string
	notOnOrAfter                                  time.Time
	extra                                         string // more Attribute elements
}

func (idp *testSAMLIdP) sign(t *testing.T, key *rsa.PrivateKey, a assertion) string {
	t.Helper()
	at := func(tm time.Time) string { return tm.UTC().Format("2006-01-02T15:04:05Z") }
	doc := etree.NewDocument()
	if err := doc.ReadFromString(`<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a1" Version="2.0" IssueInstant="` + at(time.Now()) + `">
<saml:Issuer>` + a.issuer + `</saml:Issuer>
<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">` + a.subject + `</saml:NameID>
<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="` + at(a.notOnOrAfter) + `" Recipient="https://signin.aws.amazon.com/saml"/></saml:SubjectConfirmation></saml:Subject>
<saml:Conditions NotBefore="` + at(time.Now().Add(-time.Minute)) + `" NotOnOrAfter="` + at(a.notOnOrAfter) + `"><saml:AudienceRestriction><saml:Audience>` + a.audience + `</saml:Audience></saml:AudienceRestriction></saml:Conditions>
<saml:AttributeStatement>
<saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/Role"><saml:AttributeValue>` + a.roleValue + `</saml:AttributeValue></saml:Attribute>
<saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/RoleSessionName"><saml:AttributeValue>` + a.session + `</saml:AttributeValue></saml:Attribute>
` + a.extra + `</saml:AttributeStatement></saml:Assertion>`); err != nil {
		t.Fatal(err)
	}
	ctx := dsig.NewDefaultSigningContext(dsig.TLSCertKeyStore(tls.Certificate{Certificate: [][]byte{idp.cert}, PrivateKey: key}))
	signed, err := ctx.SignEnveloped(doc.Root())
	if err != nil {
		t.Fatal(err)
	}
	resp := etree.NewDocument()
	r := resp.CreateElement("samlp:Response")
	r.CreateAttr("xmlns:samlp", "urn:oasis:names:tc:SAML:2.0:protocol")
	r.CreateAttr("ID", "_r1")
	r.AddChild(signed)
	out, err := resp.WriteToString()
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString([]byte(out))
}

// TestSAMLProviderLifecycle drives the SAML provider operations through
// aws-sdk-go-v2.
func TestSAMLProviderLifecycle(t *testing.T) {
	f := newEnforceFixture(t)
	ctx, c := f.ctx, f.c
	idp := newSAMLIdP(t, "https://idp.example.com/saml")
	out := must(c.CreateSAMLProvider(ctx, &awsiam.CreateSAMLProviderInput{Name: aws.String("corp"), SAMLMetadataDocument: aws.String(idp.metadata())}))
	arn := aws.ToString(out.SAMLProviderArn)
	if arn != "arn:aws:iam::"+idAccount+":saml-provider/corp" {
		t.Fatalf("CreateSAMLProvider = %s", arn)
	}
	got := must(c.GetSAMLProvider(ctx, &awsiam.GetSAMLProviderInput{SAMLProviderArn: &arn}))
	if aws.ToString(got.SAMLMetadataDocument) != idp.metadata() || got.CreateDate == nil {
		t.Fatalf("GetSAMLProvider = %+v", got)
	}
	other := newSAMLIdP(t, "https://idp.example.com/saml")
	must(c.UpdateSAMLProvider(ctx, &awsiam.UpdateSAMLProviderInput{SAMLProviderArn: &arn, SAMLMetadataDocument: aws.String(other.metadata())}))
	must(c.TagSAMLProvider(ctx, &awsiam.TagSAMLProviderInput{SAMLProviderArn: &arn, Tags: []iamtypes.Tag{{Key: aws.String("team"), Value: aws.String("it")}}}))
	if tg := must(c.ListSAMLProviderTags(ctx, &awsiam.ListSAMLProviderTagsInput{SAMLProviderArn: &arn})); len(tg.Tags) != 1 {
		t.Fatalf("ListSAMLProviderTags = %v", tg.Tags)
	}
	must(c.UntagSAMLProvider(ctx, &awsiam.UntagSAMLProviderInput{SAMLProviderArn: &arn, TagKeys: []string{"team"}}))
	if ls := must(c.ListSAMLProviders(ctx, &awsiam.ListSAMLProvidersInput{})); len(ls.SAMLProviderList) != 1 || aws.ToString(ls.SAMLProviderList[0].Arn) != arn {
		t.Fatalf("ListSAMLProviders = %+v", ls.SAMLProviderList)
	}
	_, err := c.CreateSAMLProvider(ctx, &awsiam.CreateSAMLProviderInput{Name: aws.String("bad"), SAMLMetadataDocument: aws.String(strings.Repeat("<x/>", 300))})
	wantAPIError(t, "CreateSAMLProvider(not metadata)", err, "InvalidInput", "")
	_, err = c.CreateSAMLProvider(ctx, &awsiam.CreateSAMLProviderInput{Name: aws.String("corp"), SAMLMetadataDocument: aws.String(idp.metadata())})
	wantAPIError(t, "CreateSAMLProvider(again)", err, "EntityAlreadyExists", "")
	_, err = c.CreateSAMLProvider(ctx, &awsiam.CreateSAMLProviderInput{Name: aws.String("short"), SAMLMetadataDocument: aws.String("<x/>")})
	wantAPIError(t, "CreateSAMLProvider(short document)", err, "ValidationError", "")
	must(c.DeleteSAMLProvider(ctx, &awsiam.DeleteSAMLProviderInput{SAMLProviderArn: &arn}))
	_, err = c.GetSAMLProvider(ctx, &awsiam.GetSAMLProviderInput{SAMLProviderArn: &arn})
	wantAPIError(t, "GetSAMLProvider(deleted)", err, "NoSuchEntity", "")
}

// TestAssumeRoleWithSAML: an assertion signed by the provider's key that
// names the role is allowed; a wrong subject, an expired assertion, a wrong
// audience, another key's signature, a tampered assertion and a role the
// assertion does not name are each refused with AWS's code.
func TestAssumeRoleWithSAML(t *testing.T) {
	f := newEnforceFixture(t)
	ctx := f.ctx
	idp := newSAMLIdP(t, "https://idp.example.com/saml")
	provider := aws.ToString(must(f.c.CreateSAMLProvider(ctx, &awsiam.CreateSAMLProviderInput{Name: aws.String("corp"),
		SAMLMetadataDocument: aws.String(idp.metadata())})).SAMLProviderArn)
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"` + provider + `"},"Action":"sts:AssumeRoleWithSAML",
		"Condition":{"StringEquals":{"saml:aud":"https://signin.aws.amazon.com/saml","saml:sub":"alice@corp"}}}]}`
	f.role("sso", trust, "", 0)
	f.role("other", trust, "", 0)
	good := assertion{issuer: idp.entityID, subject: "alice@corp", session: "alice", roleValue: roleARN("sso") + "," + provider,
		audience: "https://signin.aws.amazon.com/saml", notOnOrAfter: time.Now().Add(5 * time.Minute)}
	call := func(role, encoded string) (*awssts.AssumeRoleWithSAMLOutput, error) {
		return f.anonymousSTS().AssumeRoleWithSAML(ctx, &awssts.AssumeRoleWithSAMLInput{RoleArn: aws.String(roleARN(role)),
			PrincipalArn: aws.String(provider), SAMLAssertion: aws.String(encoded)})
	}
	out, err := call("sso", idp.sign(t, idp.key, good))
	if err != nil {
		t.Fatalf("AssumeRoleWithSAML = %v", err)
	}
	if aws.ToString(out.AssumedRoleUser.Arn) != "arn:aws:sts::"+idAccount+":assumed-role/sso/alice" || aws.ToString(out.Subject) != "alice@corp" ||
		aws.ToString(out.SubjectType) != "persistent" || aws.ToString(out.Issuer) != idp.entityID || aws.ToString(out.NameQualifier) == "" {
		t.Fatalf("AssumeRoleWithSAML = %+v", out)
	}
	_, stsc := f.session(out.Credentials)
	if who := must(stsc.GetCallerIdentity(ctx, &awssts.GetCallerIdentityInput{})); aws.ToString(who.Arn) != aws.ToString(out.AssumedRoleUser.Arn) {
		t.Fatalf("GetCallerIdentity = %s", aws.ToString(who.Arn))
	}
	with := func(change func(*assertion)) assertion { a := good; change(&a); return a }
	tampered, _ := base64.StdEncoding.DecodeString(idp.sign(t, idp.key, good))
	cases := []struct {
		name, role, encoded, code string
	}{
		{"wrong subject", "sso", idp.sign(t, idp.key, with(func(a *assertion) { a.subject = "mallory@corp" })), "AccessDenied"},
		{"expired", "sso", idp.sign(t, idp.key, with(func(a *assertion) { a.notOnOrAfter = time.Now().Add(-time.Minute) })), "ExpiredTokenException"},
		{"wrong audience", "sso", idp.sign(t, idp.key, with(func(a *assertion) { a.audience = "https://elsewhere.example.com" })), "InvalidIdentityToken"},
		{"another key", "sso", idp.sign(t, newSAMLIdP(t, "x").key, good), "InvalidIdentityToken"},
		{"tampered", "sso", base64.StdEncoding.EncodeToString([]byte(strings.Replace(string(tampered), "alice@corp", "mallory@corp", 1))), "InvalidIdentityToken"},
		{"wrong issuer", "sso", idp.sign(t, idp.key, with(func(a *assertion) { a.issuer = "https://other.example.com" })), "InvalidIdentityToken"},
		{"role not in the assertion", "other", idp.sign(t, idp.key, good), "AccessDenied"},
		{"no session name", "sso", idp.sign(t, idp.key, with(func(a *assertion) { a.session = "" })), "IDPRejectedClaim"},
		{"not base64", "sso", "!!!!", "InvalidIdentityToken"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := call(tc.role, tc.encoded)
			wantAPIError(t, "AssumeRoleWithSAML("+tc.name+")", err, tc.code, "")
		})
	}
}

// TestAssumeRoleWithSAMLSessionTags: PrincipalTag attributes and
// SourceIdentity need sts:TagSession and sts:SetSourceIdentity in the trust
// policy; the session then carries them.
func TestAssumeRoleWithSAMLSessionTags(t *testing.T) {
	f := newEnforceFixture(t)
	ctx := f.ctx
	idp := newSAMLIdP(t, "https://idp.example.com/saml")
	provider := aws.ToString(must(f.c.CreateSAMLProvider(ctx, &awsiam.CreateSAMLProviderInput{Name: aws.String("corp"),
		SAMLMetadataDocument: aws.String(idp.metadata())})).SAMLProviderArn)
	trustOnly := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"` + provider + `"},"Action":"sts:AssumeRoleWithSAML"}]}`
	trustTags := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"` + provider + `"},
		"Action":["sts:AssumeRoleWithSAML","sts:TagSession","sts:SetSourceIdentity"]}]}`
	f.role("plain", trustOnly, "", 0)
	f.role("tagged", trustTags, allow("iam:ListUsers", `{"StringEquals":{"aws:PrincipalTag/dept":"eng"}}`), 0)
	extra := `<saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/PrincipalTag:dept"><saml:AttributeValue>eng</saml:AttributeValue></saml:Attribute>
<saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/SourceIdentity"><saml:AttributeValue>alice</saml:AttributeValue></saml:Attribute>`
	call := func(role string) (*awssts.AssumeRoleWithSAMLOutput, error) {
		a := assertion{issuer: idp.entityID, subject: "alice@corp", session: "alice", roleValue: roleARN(role) + "," + provider,
			audience: "urn:amazon:webservices", notOnOrAfter: time.Now().Add(5 * time.Minute), extra: extra}
		return f.anonymousSTS().AssumeRoleWithSAML(ctx, &awssts.AssumeRoleWithSAMLInput{RoleArn: aws.String(roleARN(role)),
			PrincipalArn: aws.String(provider), SAMLAssertion: aws.String(idp.sign(t, idp.key, a))})
	}
	_, err := call("plain")
	wantAPIError(t, "AssumeRoleWithSAML(tags, no sts:TagSession)", err, "AccessDenied", "")
	out, err := call("tagged")
	if err != nil {
		t.Fatalf("AssumeRoleWithSAML(tagged) = %v", err)
	}
	if aws.ToString(out.SourceIdentity) != "alice" {
		t.Errorf("SourceIdentity = %q, want alice", aws.ToString(out.SourceIdentity))
	}
	iamc, _ := f.session(out.Credentials)
	if _, err := iamc.ListUsers(ctx, &awsiam.ListUsersInput{}); err != nil {
		t.Fatalf("ListUsers with session tag dept=eng = %v", err)
	}
}
