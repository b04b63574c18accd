package iamapi

import (
	"context"
	"io"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
	awssts "github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/iamq/iamq/internal/audit"
	"github.com/iamq/iamq/internal/authz"
	"github.com/iamq/iamq/internal/server/servertest"
)

// sdkOperations lists the operations of an aws-sdk-go-v2 client: its methods
// taking a context and a *<Name>Input.
func sdkOperations(client any) []string {
	ctxType := reflect.TypeOf((*context.Context)(nil)).Elem()
	t := reflect.TypeOf(client)
	var out []string
	for i := 0; i < t.NumMethod(); i++ {
		m := t.Method(i)
		if m.Type.NumIn() >= 3 && m.Type.In(1) == ctxType && m.Type.In(2).Kind() == reflect.Pointer &&
			m.Type.In(2).Elem().Name() == m.Name+"Input" {
			out = append(out, m.Name)
		}
	}
	slices.Sort(out)
	return out
}

// TestModelOperations: modelOperations is IAM's model as the SDK has it, and
// the table serves only operations of the model.
func TestModelOperations(t *testing.T) {
	want := sdkOperations(&awsiam.Client{})
	if !slices.Equal(modelOperations, want) {
		t.Errorf("modelOperations = %v\nwant the SDK's %v", modelOperations, want)
	}
	for _, o := range (&api{authz: &authz.Authorizer{}}).operations() {
		if !slices.Contains(modelOperations, o.name) {
			t.Errorf("operation %s is not in IAM's model", o.name)
		}
	}
}

// TestNotImplemented: an operation of the model that iamq does not serve
// says so, through the SDK, and an operation outside the model is still
// InvalidAction; the unsigned STS federation calls reach their operation
// rather than being refused as MissingAuthenticationToken.
func TestNotImplemented(t *testing.T) {
	f := newIDFixture(t)
	ctx := context.Background()
	// Any operation of the model the table does not serve (the list shrinks
	// as operations are built), sent as a raw Query call.
	served := map[string]bool{}
	for _, o := range (&api{authz: &authz.Authorizer{}, audit: &audit.Log{}}).operations() {
		served[o.name] = true
	}
	for _, name := range modelOperations {
		if served[name] {
			continue
		}
		if got := postQuery(t, f, name); !strings.Contains(got, "<Code>NotImplemented</Code>") ||
			!strings.Contains(got, "iamq does not implement the IAM operation "+name+" yet.") {
			t.Errorf("%s = %s, want NotImplemented", name, got)
		}
		break
	}
	var err error

	anon := awssts.NewFromConfig(aws.Config{Region: "us-east-1", Credentials: aws.AnonymousCredentials{},
		BaseEndpoint: aws.String(f.srv.URL), Retryer: servertest.Retryer})
	_, err = anon.AssumeRoleWithWebIdentity(ctx, &awssts.AssumeRoleWithWebIdentityInput{
		RoleArn: aws.String(roleARN("web")), RoleSessionName: aws.String("session"), WebIdentityToken: aws.String(strings.Repeat("t", 20))})
	wantAPIError(t, "AssumeRoleWithWebIdentity", err, "InvalidIdentityToken", "")
	_, err = anon.AssumeRoleWithSAML(ctx, &awssts.AssumeRoleWithSAMLInput{
		RoleArn: aws.String(roleARN("saml")), PrincipalArn: aws.String("arn:aws:iam::" + idAccount + ":saml-provider/p"), SAMLAssertion: aws.String(strings.Repeat("a", 20))})
	wantAPIError(t, "AssumeRoleWithSAML", err, "AccessDenied", "") // no such role: refused by the operation itself

	// A call to an STS operation iamq serves still needs a signature.
	_, err = anon.GetCallerIdentity(ctx, &awssts.GetCallerIdentityInput{})
	wantAPIError(t, "unsigned GetCallerIdentity", err, "MissingAuthenticationToken", "")
}

// postQuery sends Action=name, signed as the fixture's root, and returns the
// response body.
func postQuery(t *testing.T, f *idFixture, name string) string {
	t.Helper()
	body := "Action=" + name + "&Version=2010-05-08"
	r, err := http.NewRequest(http.MethodPost, f.srv.URL+"/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	servertest.Sign(t, r, []byte(body), idAccount, "anything", "us-east-1", "iam", time.Now())
	resp, err := f.srv.Client().Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}
