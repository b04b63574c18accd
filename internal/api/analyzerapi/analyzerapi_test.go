package analyzerapi_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awscreds "github.com/aws/aws-sdk-go-v2/credentials"
	aa "github.com/aws/aws-sdk-go-v2/service/accessanalyzer"
	aatypes "github.com/aws/aws-sdk-go-v2/service/accessanalyzer/types"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/iamq/iamq/internal/api/analyzerapi"
	"github.com/iamq/iamq/internal/api/iamapi"
	"github.com/iamq/iamq/internal/authz"
	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/managed"
	"github.com/iamq/iamq/internal/server"
	"github.com/iamq/iamq/internal/server/servertest"
	"github.com/iamq/iamq/internal/store"
)

const account = "111122223333"

// env is a running iamq with IAM and Access Analyzer, and clients of both
// signed as the account's root (dev mode).
type env struct {
	srv  *server.Server
	ts   *servertest.Server
	iam  *awsiam.Client
	root *aa.Client
}

func start(t testing.TB) *env { t.Helper(); return startWith(t, analyzerapi.Options{}) }

func startWith(t testing.TB, opts analyzerapi.Options) *env {
	t.Helper()
	st := servertest.OpenSQLite(t, store.Options{Key: bytes.Repeat([]byte{5}, 32)})
	lib := managed.Builtin()
	az := authz.New(st, lib, authz.Options{})
	changes := servertest.Follow(t, st, az.Apply)
	svc := iam.New(st, lib, iam.Options{})
	creds := authz.NewCredentials(st, authz.CredentialsOptions{DevAccount: func(ctx context.Context, id string) error { return iam.EnsureAccount(ctx, st, id, "dev "+id) }})
	changes.Subscribe(creds.Apply)
	srv := server.New(server.Options{Credentials: creds, Authz: az, Sync: changes.Sync, Dev: true, DefaultAccount: account})
	iamapi.Register(srv, svc, az)
	analyzerapi.Register(srv, opts)
	ts := servertest.Start(srv)
	t.Cleanup(ts.Close)
	e := &env{srv: srv, ts: ts}
	e.iam = awsiam.NewFromConfig(e.config(account, "x"))
	e.root = e.client(account, "x")
	return e
}

func (e *env) config(key, secret string) aws.Config {
	return aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(e.ts.URL), HTTPClient: e.ts.Client(),
		Credentials: awscreds.NewStaticCredentialsProvider(key, secret, ""), Retryer: servertest.Retryer}
}

func (e *env) client(key, secret string) *aa.Client { return aa.NewFromConfig(e.config(key, secret)) }

const passRoleStar = `{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Pass", "Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"},
    {"Effect": "Allow", "Action": ["mq:Describe*", "mq:DescribeBroker", "mq:NoSuchAction"], "Resource": "*"}
  ]
}`

func TestValidatePolicy(t *testing.T) {
	ctx := context.Background()
	e := start(t)
	out, err := e.root.ValidatePolicy(ctx, &aa.ValidatePolicyInput{PolicyDocument: aws.String(passRoleStar), PolicyType: aatypes.PolicyTypeIdentityPolicy})
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, f := range out.Findings {
		codes = append(codes, string(f.FindingType)+" "+aws.ToString(f.IssueCode))
	}
	want := []string{"SECURITY_WARNING PASS_ROLE_WITH_STAR_IN_RESOURCE", "SUGGESTION REDUNDANT_ACTION", "ERROR INVALID_ACTION"}
	if strings.Join(codes, ",") != strings.Join(want, ",") {
		t.Fatalf("ValidatePolicy findings = %v, want %v", codes, want)
	}
	// The location: Statement[0].Resource[0], the "*" on line 4.
	loc := out.Findings[0].Locations[0]
	if len(loc.Path) != 4 || aws.ToInt32(loc.Span.Start.Line) != 4 {
		t.Fatalf("location = %+v, want a path of 4 on line 4", loc)
	}
	if k, ok := loc.Path[2].(*aatypes.PathElementMemberKey); !ok || k.Value != "Resource" {
		t.Errorf("path[2] = %#v, want key Resource", loc.Path[2])
	}
	start, end := aws.ToInt32(loc.Span.Start.Offset), aws.ToInt32(loc.Span.End.Offset)
	if got := passRoleStar[start:end]; got != `"*"` {
		t.Errorf("span = %q, want %q", got, `"*"`)
	}
	line4 := strings.Split(passRoleStar, "\n")[3]
	if col := aws.ToInt32(loc.Span.Start.Column); line4[col:col+3] != `"*"` {
		t.Errorf("column %d of line 4 %q is not the span's start", col, line4)
	}

	// The paginator returns the same findings, one a page.
	p := aa.NewValidatePolicyPaginator(e.root, &aa.ValidatePolicyInput{PolicyDocument: aws.String(passRoleStar),
		PolicyType: aatypes.PolicyTypeIdentityPolicy, MaxResults: aws.Int32(1)})
	pages, n := 0, 0
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		n += len(page.Findings)
	}
	if pages != 3 || n != 3 {
		t.Errorf("paginator: %d pages, %d findings; want 3 and 3", pages, n)
	}

	// A document that is not JSON is a finding, not an error.
	out, err = e.root.ValidatePolicy(ctx, &aa.ValidatePolicyInput{PolicyDocument: aws.String(`{"Version": "2012-10-17",,}`), PolicyType: aatypes.PolicyTypeServiceControlPolicy})
	if err != nil || len(out.Findings) != 1 || aws.ToString(out.Findings[0].IssueCode) != "JSON_SYNTAX_ERROR" {
		t.Errorf("ValidatePolicy(not JSON) = %+v, %v; want one JSON_SYNTAX_ERROR", out, err)
	}
}

func TestChecks(t *testing.T) {
	ctx := context.Background()
	e := start(t)
	v1 := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"mq:DescribeBroker","Resource":"*"}]}`
	v2 := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["mq:DescribeBroker","mq:DeleteBroker"],"Resource":"*"}]}`
	nn, err := e.root.CheckNoNewAccess(ctx, &aa.CheckNoNewAccessInput{ExistingPolicyDocument: aws.String(v1), NewPolicyDocument: aws.String(v2),
		PolicyType: aatypes.AccessCheckPolicyTypeIdentityPolicy})
	if err != nil {
		t.Fatal(err)
	}
	if nn.Result != aatypes.CheckNoNewAccessResultFail || len(nn.Reasons) != 1 || aws.ToInt32(nn.Reasons[0].StatementIndex) != 0 ||
		!strings.Contains(aws.ToString(nn.Reasons[0].Description), "mq:DeleteBroker") {
		t.Errorf("CheckNoNewAccess(v1, v2) = %s %+v, want FAIL naming mq:DeleteBroker in statement 0", nn.Result, nn.Reasons)
	}
	nn, err = e.root.CheckNoNewAccess(ctx, &aa.CheckNoNewAccessInput{ExistingPolicyDocument: aws.String(v2), NewPolicyDocument: aws.String(v1),
		PolicyType: aatypes.AccessCheckPolicyTypeIdentityPolicy})
	if err != nil || nn.Result != aatypes.CheckNoNewAccessResultPass || aws.ToString(nn.Message) == "" {
		t.Errorf("CheckNoNewAccess(v2, v1) = %+v, %v; want PASS", nn, err)
	}

	ng, err := e.root.CheckAccessNotGranted(ctx, &aa.CheckAccessNotGrantedInput{PolicyDocument: aws.String(v2),
		PolicyType: aatypes.AccessCheckPolicyTypeIdentityPolicy, Access: []aatypes.Access{{Actions: []string{"mq:DeleteBroker"}}}})
	if err != nil || ng.Result != aatypes.CheckAccessNotGrantedResultFail || len(ng.Reasons) != 1 {
		t.Errorf("CheckAccessNotGranted(v2, mq:DeleteBroker) = %+v, %v; want FAIL", ng, err)
	}
	ng, err = e.root.CheckAccessNotGranted(ctx, &aa.CheckAccessNotGrantedInput{PolicyDocument: aws.String(v1),
		PolicyType: aatypes.AccessCheckPolicyTypeIdentityPolicy, Access: []aatypes.Access{{Actions: []string{"mq:DeleteBroker"}}}})
	if err != nil || ng.Result != aatypes.CheckAccessNotGrantedResultPass {
		t.Errorf("CheckAccessNotGranted(v1, mq:DeleteBroker) = %+v, %v; want PASS", ng, err)
	}

	bucket := `{"Version":"2012-10-17","Statement":[{"Sid":"Public","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`
	np, err := e.root.CheckNoPublicAccess(ctx, &aa.CheckNoPublicAccessInput{PolicyDocument: aws.String(bucket), ResourceType: aatypes.AccessCheckResourceTypeS3Bucket})
	if err != nil || np.Result != aatypes.CheckNoPublicAccessResultFail || aws.ToString(np.Reasons[0].StatementId) != "Public" {
		t.Errorf("CheckNoPublicAccess(public bucket) = %+v, %v; want FAIL on statement Public", np, err)
	}
	np, err = e.root.CheckNoPublicAccess(ctx, &aa.CheckNoPublicAccessInput{PolicyDocument: aws.String(strings.Replace(bucket, `"Principal":"*"`, `"Principal":{"AWS":"arn:aws:iam::111122223333:root"}`, 1)),
		ResourceType: aatypes.AccessCheckResourceTypeS3Bucket})
	if err != nil || np.Result != aatypes.CheckNoPublicAccessResultPass {
		t.Errorf("CheckNoPublicAccess(account bucket) = %+v, %v; want PASS", np, err)
	}
}

// TestErrors: bad input is refused with the model's codes and changes
// nothing; a caller without permission gets AccessDeniedException.
func TestErrors(t *testing.T) {
	ctx := context.Background()
	e := start(t)
	doc := aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`)
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"unknown policy type", func() error {
			_, err := e.root.ValidatePolicy(ctx, &aa.ValidatePolicyInput{PolicyDocument: doc, PolicyType: "USER_POLICY"})
			return err
		}, "ValidationException"},
		{"resource type of an identity policy", func() error {
			_, err := e.root.ValidatePolicy(ctx, &aa.ValidatePolicyInput{PolicyDocument: doc, PolicyType: aatypes.PolicyTypeIdentityPolicy,
				ValidatePolicyResourceType: aatypes.ValidatePolicyResourceTypeS3Bucket})
			return err
		}, "ValidationException"},
		{"bad token", func() error {
			_, err := e.root.ValidatePolicy(ctx, &aa.ValidatePolicyInput{PolicyDocument: doc, PolicyType: aatypes.PolicyTypeIdentityPolicy, NextToken: aws.String("nope")})
			return err
		}, "ValidationException"},
		{"a check of a document that is not JSON", func() error {
			_, err := e.root.CheckNoNewAccess(ctx, &aa.CheckNoNewAccessInput{ExistingPolicyDocument: doc, NewPolicyDocument: aws.String("{"),
				PolicyType: aatypes.AccessCheckPolicyTypeIdentityPolicy})
			return err
		}, "InvalidParameterException"},
		{"SCP for a custom check", func() error {
			_, err := e.root.CheckAccessNotGranted(ctx, &aa.CheckAccessNotGrantedInput{PolicyDocument: doc, PolicyType: "SERVICE_CONTROL_POLICY",
				Access: []aatypes.Access{{Actions: []string{"s3:GetObject"}}}})
			return err
		}, "ValidationException"},
		{"empty access entry", func() error {
			_, err := e.root.CheckAccessNotGranted(ctx, &aa.CheckAccessNotGrantedInput{PolicyDocument: doc, PolicyType: aatypes.AccessCheckPolicyTypeIdentityPolicy,
				Access: []aatypes.Access{{}}})
			return err
		}, "ValidationException"},
		{"too many actions", func() error {
			_, err := e.root.CheckAccessNotGranted(ctx, &aa.CheckAccessNotGrantedInput{PolicyDocument: doc, PolicyType: aatypes.AccessCheckPolicyTypeIdentityPolicy,
				Access: []aatypes.Access{{Actions: make([]string, 101)}}})
			return err
		}, "ValidationException"},
		{"unknown resource type", func() error {
			_, err := e.root.CheckNoPublicAccess(ctx, &aa.CheckNoPublicAccessInput{PolicyDocument: doc, ResourceType: "AWS::MQ::Broker"})
			return err
		}, "ValidationException"},
		{"too large", func() error {
			_, err := e.root.ValidatePolicy(ctx, &aa.ValidatePolicyInput{PolicyDocument: aws.String(strings.Repeat(" ", 1<<20+1)), PolicyType: aatypes.PolicyTypeIdentityPolicy})
			return err
		}, "RequestEntityTooLarge"},
	}
	for _, tt := range tests {
		err := tt.call()
		var api interface{ ErrorCode() string }
		if !errors.As(err, &api) || api.ErrorCode() != tt.want {
			t.Errorf("%s: err = %v, want %s", tt.name, err, tt.want)
		}
	}

}

// TestEnforced: a user with no policy is denied; with the checks' actions,
// allowed.
func TestEnforced(t *testing.T) {
	ctx := context.Background()
	e := start(t)
	doc := aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`)
	if _, err := e.iam.CreateUser(ctx, &awsiam.CreateUserInput{UserName: aws.String("ci")}); err != nil {
		t.Fatal(err)
	}
	k, err := e.iam.CreateAccessKey(ctx, &awsiam.CreateAccessKeyInput{UserName: aws.String("ci")})
	if err != nil {
		t.Fatal(err)
	}
	ci := e.client(aws.ToString(k.AccessKey.AccessKeyId), aws.ToString(k.AccessKey.SecretAccessKey))
	_, err = ci.ValidatePolicy(ctx, &aa.ValidatePolicyInput{PolicyDocument: doc, PolicyType: aatypes.PolicyTypeIdentityPolicy})
	var denied *aatypes.AccessDeniedException
	if !errors.As(err, &denied) || !strings.Contains(denied.ErrorMessage(), "access-analyzer:ValidatePolicy") {
		t.Fatalf("ValidatePolicy without permission: err = %v, want AccessDeniedException naming the action", err)
	}
	if _, err := e.iam.PutUserPolicy(ctx, &awsiam.PutUserPolicyInput{UserName: aws.String("ci"), PolicyName: aws.String("checks"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["access-analyzer:ValidatePolicy","access-analyzer:Check*"],"Resource":"*"}]}`)}); err != nil {
		t.Fatal(err)
	}
	if _, err := ci.ValidatePolicy(ctx, &aa.ValidatePolicyInput{PolicyDocument: doc, PolicyType: aatypes.PolicyTypeIdentityPolicy}); err != nil {
		t.Errorf("ValidatePolicy with permission: %v", err)
	}
	if _, err := ci.CheckNoPublicAccess(ctx, &aa.CheckNoPublicAccessInput{PolicyDocument: doc, ResourceType: aatypes.AccessCheckResourceTypeSqsQueue}); err != nil {
		t.Errorf("CheckNoPublicAccess with permission: %v", err)
	}
}

// TestRawErrors: what the SDK refuses to send is refused by iamq too, in
// the REST-JSON envelope with the model's code.
func TestRawErrors(t *testing.T) {
	e := start(t)
	tests := []struct{ name, body string }{
		{"no policy type", `{"policyDocument": "{}"}`},
		{"no document", `{"policyType": "IDENTITY_POLICY"}`},
		{"not JSON", `{"policyType": `},
		{"a document that is a number", `{"policyType": "IDENTITY_POLICY", "policyDocument": 5}`},
	}
	for _, tt := range tests {
		r, err := http.NewRequest("POST", e.ts.URL+"/policy/validation", strings.NewReader(tt.body))
		if err != nil {
			t.Fatal(err)
		}
		r.Header.Set("Content-Type", "application/json")
		servertest.Sign(t, r, []byte(tt.body), account, "x", "us-east-1", "access-analyzer", time.Now())
		resp, err := e.ts.Client().Do(r)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 400 || resp.Header.Get("X-Amzn-Errortype") != "ValidationException" || !strings.Contains(string(body), `"message"`) {
			t.Errorf("%s: %d %q %s, want 400 ValidationException", tt.name, resp.StatusCode, resp.Header.Get("X-Amzn-Errortype"), body)
		}
	}
}

// TestREADMEListsEveryOperation: the README's Operations name every Access
// Analyzer operation iamq serves.
func TestREADMEListsEveryOperation(t *testing.T) {
	servertest.CheckREADMENames(t, analyzerapi.OperationNames())
}

// TestValidationExceptionFields: a ValidationException carries the model's
// reason and fieldList, which the SDK decodes, naming the field refused.
func TestValidationExceptionFields(t *testing.T) {
	e := start(t)
	_, err := e.root.ValidatePolicy(context.Background(), &aa.ValidatePolicyInput{
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[]}`), PolicyType: "USER_POLICY"})
	var ve *aatypes.ValidationException
	if !errors.As(err, &ve) || ve.Reason != aatypes.ValidationExceptionReasonFieldValidationFailed ||
		len(ve.FieldList) != 1 || aws.ToString(ve.FieldList[0].Name) != "policyType" || aws.ToString(ve.FieldList[0].Message) == "" {
		t.Fatalf("ValidatePolicy(USER_POLICY) = %v (%+v), want a ValidationException with reason fieldValidationFailed and the field policyType", err, ve)
	}
}
