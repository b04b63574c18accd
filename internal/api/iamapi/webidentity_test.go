package iamapi

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
	awssts "github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/iamq/iamq/internal/server/servertest"
)

// testIdP is an OpenID Connect issuer on a loopback HTTPS address: its
// discovery document and JWKS, and a key that signs its tokens.
type testIdP struct {
	srv        *httptest.Server
	issuer     string // https://127.0.0.1:PORT
	name       string // the issuer without https://, the provider's name
	key        *ecdsa.PrivateKey
	thumbprint string // of the server's certificate
}

func newTestIdP(t *testing.T) *testIdP {
	t.Helper()
	idp := &testIdP{key: newECKey(t)}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]string{"issuer": idp.issuer, "jwks_uri": idp.issuer + "/keys"})
	})
	mux.HandleFunc("GET /keys", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &idp.key.PublicKey, KeyID: "k1", Algorithm: "ES256", Use: "sig"}}})
	})
	idp.srv = httptest.NewUnstartedServer(mux)
	idp.srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes of the thumbprint tests
	idp.srv.StartTLS()
	t.Cleanup(idp.srv.Close)
	idp.issuer = idp.srv.URL
	idp.name = strings.TrimPrefix(idp.srv.URL, "https://")
	sum := sha1.Sum(idp.srv.Certificate().Raw)
	idp.thumbprint = hex.EncodeToString(sum[:])
	return idp
}

func newECKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// mint signs claims with key under kid.
func mint(t *testing.T, key *ecdsa.PrivateKey, kid string, claims any) string {
	t.Helper()
	sig, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: key}, (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", kid))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := jwt.Signed(sig).Claims(claims).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// webClaims are a token's claims for sub, valid for an hour from now.
func (idp *testIdP) claims(now time.Time, sub, aud string) map[string]any {
	return map[string]any{"iss": idp.issuer, "sub": sub, "aud": aud, "iat": now.Unix(), "exp": now.Add(time.Hour).Unix(), "amr": []string{"pwd"}}
}

// webIdentityFixture is an endpoint with an OIDC provider for idp and a
// role "ci" that trusts it for sub repo:acme/app and audience
// sts.amazonaws.com; the role may list users only as a session of that
// provider (aws:FederatedProvider).
func webIdentityFixture(t *testing.T) (*enFixture, *testIdP, string) {
	f := newEnforceFixture(t)
	idp, provider := trustWebIdentity(t, f)
	return f, idp, provider
}

// trustWebIdentity starts an issuer, makes it f's OIDC provider, and makes
// the role "ci", which trusts its tokens for repo:acme/app and may list
// users when called through that provider.
func trustWebIdentity(t *testing.T, f *enFixture) (*testIdP, string) {
	idp := newTestIdP(t)
	out := must(f.c.CreateOpenIDConnectProvider(f.ctx, &awsiam.CreateOpenIDConnectProviderInput{Url: aws.String(idp.issuer),
		ClientIDList: []string{"sts.amazonaws.com"}, ThumbprintList: []string{idp.thumbprint}}))
	provider := aws.ToString(out.OpenIDConnectProviderArn)
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"` + provider + `"},
		"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"` + idp.name + `:sub":"repo:acme/app","` + idp.name + `:aud":"sts.amazonaws.com"},
		"ForAnyValue:StringEquals":{"` + idp.name + `:amr":"pwd"}}}]}`
	f.role("ci", trust, allow("iam:ListUsers", `{"StringEquals":{"aws:FederatedProvider":"`+provider+`"}}`), 0)
	return idp, provider
}

func (f *enFixture) anonymousSTS() *awssts.Client {
	return awssts.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(f.srv.URL), Retryer: servertest.Retryer})
}

func assumeWeb(f *enFixture, token string) (*awssts.AssumeRoleWithWebIdentityOutput, error) {
	return f.anonymousSTS().AssumeRoleWithWebIdentity(f.ctx, &awssts.AssumeRoleWithWebIdentityInput{RoleArn: aws.String(roleARN("ci")),
		RoleSessionName: aws.String("build-42"), WebIdentityToken: aws.String(token)})
}

// TestAssumeRoleWithWebIdentity: a token signed by the provider's key, for
// the trusted sub and audience, makes a role session that acts as the role
// and carries aws:FederatedProvider.
func TestAssumeRoleWithWebIdentity(t *testing.T) {
	f, idp, provider := webIdentityFixture(t)
	out, err := assumeWeb(f, mint(t, idp.key, "k1", idp.claims(f.now.Now(), "repo:acme/app", "sts.amazonaws.com")))
	if err != nil {
		t.Fatalf("AssumeRoleWithWebIdentity = %v", err)
	}
	wantARN := "arn:aws:sts::" + idAccount + ":assumed-role/ci/build-42"
	if aws.ToString(out.AssumedRoleUser.Arn) != wantARN || aws.ToString(out.SubjectFromWebIdentityToken) != "repo:acme/app" ||
		aws.ToString(out.Audience) != "sts.amazonaws.com" || aws.ToString(out.Provider) != idp.issuer {
		t.Fatalf("AssumeRoleWithWebIdentity = user %v, subject %q, audience %q, provider %q", aws.ToString(out.AssumedRoleUser.Arn),
			aws.ToString(out.SubjectFromWebIdentityToken), aws.ToString(out.Audience), aws.ToString(out.Provider))
	}
	iamc, stsc := f.session(out.Credentials)
	who := must(stsc.GetCallerIdentity(f.ctx, &awssts.GetCallerIdentityInput{}))
	if aws.ToString(who.Arn) != wantARN {
		t.Fatalf("GetCallerIdentity = %s, want %s", aws.ToString(who.Arn), wantARN)
	}
	if _, err := iamc.ListUsers(f.ctx, &awsiam.ListUsersInput{}); err != nil {
		t.Fatalf("ListUsers as the federated session (allowed for aws:FederatedProvider %s) = %v", provider, err)
	}
	_, err = iamc.ListRoles(f.ctx, &awsiam.ListRolesInput{})
	wantAPIError(t, "ListRoles as the federated session", err, "AccessDenied", "")
}

// TestAssumeRoleWithWebIdentityRefused: each bad token is refused with
// AWS's code.
func TestAssumeRoleWithWebIdentityRefused(t *testing.T) {
	f, idp, _ := webIdentityFixture(t)
	now := f.now.Now()
	other := newECKey(t)
	expired := idp.claims(now.Add(-2*time.Hour), "repo:acme/app", "sts.amazonaws.com")
	noAMR := idp.claims(now, "repo:acme/app", "sts.amazonaws.com")
	delete(noAMR, "amr")
	unknownIssuer := idp.claims(now, "repo:acme/app", "sts.amazonaws.com")
	unknownIssuer["iss"] = "https://127.0.0.2:1"
	cases := []struct {
		name, token, code, msg string
	}{
		{"wrong sub", mint(t, idp.key, "k1", idp.claims(now, "repo:evil/app", "sts.amazonaws.com")), "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity"},
		{"no amr", mint(t, idp.key, "k1", noAMR), "AccessDenied", ""},
		{"expired", mint(t, idp.key, "k1", expired), "ExpiredTokenException", ""},
		{"wrong audience", mint(t, idp.key, "k1", idp.claims(now, "repo:acme/app", "someone-else")), "InvalidIdentityToken", "Incorrect token audience"},
		{"unknown key", mint(t, other, "k2", idp.claims(now, "repo:acme/app", "sts.amazonaws.com")), "InvalidIdentityToken",
			"Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements"},
		{"bad signature", mint(t, other, "k1", idp.claims(now, "repo:acme/app", "sts.amazonaws.com")), "InvalidIdentityToken",
			"The web identity token's signature could not be verified with the identity provider's keys."},
		{"unknown issuer", mint(t, idp.key, "k1", unknownIssuer), "InvalidIdentityToken", "No OpenIDConnect provider found in your account for https://127.0.0.2:1"},
		{"not a JWT", "not.a.token", "InvalidIdentityToken", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := assumeWeb(f, tc.token)
			wantAPIError(t, "AssumeRoleWithWebIdentity("+tc.name+")", err, tc.code, tc.msg)
		})
	}
	// The SDK knows the errors by their model shapes.
	_, err := assumeWeb(f, cases[3].token)
	var invalid *ststypes.InvalidIdentityTokenException
	if !errors.As(err, &invalid) {
		t.Errorf("wrong audience: %T, want *types.InvalidIdentityTokenException", err)
	}
	_, err = assumeWeb(f, cases[2].token)
	var expiredErr *ststypes.ExpiredTokenException
	if !errors.As(err, &expiredErr) {
		t.Errorf("expired: %T, want *types.ExpiredTokenException", err)
	}
}

// TestAssumeRoleWithWebIdentityThumbprint: the issuer's certificate must
// match one of the provider's thumbprints, or the keys are not fetched.
func TestAssumeRoleWithWebIdentityThumbprint(t *testing.T) {
	f, idp, provider := webIdentityFixture(t)
	must(f.c.UpdateOpenIDConnectProviderThumbprint(f.ctx, &awsiam.UpdateOpenIDConnectProviderThumbprintInput{
		OpenIDConnectProviderArn: &provider, ThumbprintList: []string{strings.Repeat("0", 40)}}))
	_, err := assumeWeb(f, mint(t, idp.key, "k1", idp.claims(f.now.Now(), "repo:acme/app", "sts.amazonaws.com")))
	wantAPIError(t, "AssumeRoleWithWebIdentity(thumbprint mismatch)", err, "InvalidIdentityToken",
		"OpenIDConnect provider's HTTPS certificate doesn't match configured thumbprint")
}

// TestAssumeRoleWithWebIdentitySessionTags: the token's session tags and
// source identity need sts:TagSession and sts:SetSourceIdentity in the
// trust policy, and then the session carries them (aws:PrincipalTag/…).
func TestAssumeRoleWithWebIdentitySessionTags(t *testing.T) {
	f, idp, provider := webIdentityFixture(t)
	claims := idp.claims(f.now.Now(), "repo:acme/app", "sts.amazonaws.com")
	claims["https://aws.amazon.com/tags"] = map[string]any{"principal_tags": map[string][]string{"project": {"blue"}}, "transitive_tag_keys": []string{"project"}}
	claims["https://aws.amazon.com/source_identity"] = "alice"
	token := mint(t, idp.key, "k1", claims)
	_, err := assumeWeb(f, token) // role ci trusts sts:AssumeRoleWithWebIdentity only
	wantAPIError(t, "AssumeRoleWithWebIdentity(tags, no sts:TagSession)", err, "AccessDenied", "")

	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"` + provider + `"},
		"Action":["sts:AssumeRoleWithWebIdentity","sts:TagSession","sts:SetSourceIdentity"],"Condition":{"StringEquals":{"` + idp.name + `:sub":"repo:acme/app"}}}]}`
	f.role("tagged", trust, allow("iam:ListUsers", `{"StringEquals":{"aws:PrincipalTag/project":"blue"}}`), 0)
	out := must(f.anonymousSTS().AssumeRoleWithWebIdentity(f.ctx, &awssts.AssumeRoleWithWebIdentityInput{RoleArn: aws.String(roleARN("tagged")),
		RoleSessionName: aws.String("s1"), WebIdentityToken: aws.String(token)}))
	if aws.ToString(out.SourceIdentity) != "alice" {
		t.Errorf("SourceIdentity = %q, want alice", aws.ToString(out.SourceIdentity))
	}
	iamc, _ := f.session(out.Credentials)
	if _, err := iamc.ListUsers(f.ctx, &awsiam.ListUsersInput{}); err != nil {
		t.Fatalf("ListUsers with session tag project=blue = %v", err)
	}
}

// TestAssumeRoleWithWebIdentityUnreachable: a loopback issuer that does not
// answer is IDPCommunicationError; one on the internet is never asked, and
// its token is InvalidIdentityToken.
func TestAssumeRoleWithWebIdentityUnreachable(t *testing.T) {
	f := newEnforceFixture(t)
	key := newECKey(t)
	for _, issuer := range []string{"https://127.0.0.1:1", "https://idp.example.com"} {
		must(f.c.CreateOpenIDConnectProvider(f.ctx, &awsiam.CreateOpenIDConnectProviderInput{Url: aws.String(issuer),
			ClientIDList: []string{"sts.amazonaws.com"}, ThumbprintList: []string{testThumbprint}}))
	}
	f.role("ci", idTrust, "", 0)
	claims := func(iss string) map[string]any {
		return map[string]any{"iss": iss, "sub": "x", "aud": "sts.amazonaws.com", "exp": f.now.Now().Add(time.Hour).Unix()}
	}
	_, err := assumeWeb(f, mint(t, key, "k", claims("https://127.0.0.1:1")))
	wantAPIError(t, "AssumeRoleWithWebIdentity(closed loopback issuer)", err, "IDPCommunicationError", "")
	_, err = assumeWeb(f, mint(t, key, "k", claims("https://idp.example.com")))
	wantAPIError(t, "AssumeRoleWithWebIdentity(internet issuer)", err, "InvalidIdentityToken", "")
}
