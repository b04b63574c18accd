package iamapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/iamq/iamq/eval"
	"github.com/iamq/iamq/internal/authz"
	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/managed"
	"github.com/iamq/iamq/internal/server"
	"github.com/iamq/iamq/internal/server/servertest"
	"github.com/iamq/iamq/internal/store"
)

// The tests of the AWS managed policies and the service-linked roles
// (issue 10) through the SDK, against an endpoint wired as `iamq serve`
// wires it: one managed.Registry for the API and the authorizer.

const (
	otherAccount     = "222233334444"
	mqFullAccess     = "arn:aws:iam::aws:policy/AmazonMQFullAccess"
	mqReadOnlyAccess = "arn:aws:iam::aws:policy/AmazonMQReadOnlyAccess"
	mqRolePolicy     = "arn:aws:iam::aws:policy/aws-service-role/AmazonMQServiceRolePolicy"
	adminAccess      = "arn:aws:iam::aws:policy/AdministratorAccess"
	iamReadOnly      = "arn:aws:iam::aws:policy/IAMReadOnlyAccess"
)

// mgFixture is a dev-mode endpoint that enforces policies, whose AWS managed
// policies come from a registry the test can publish to.
type mgFixture struct {
	*idFixture
	t   *testing.T
	ctx context.Context
	svc *iam.Service
	az  *authz.Authorizer
}

func newManagedFixture(t *testing.T) *mgFixture {
	t.Helper()
	ctx := context.Background()
	st := servertest.OpenSQLite(t, store.Options{Key: bytes.Repeat([]byte{9}, 32)})
	svc := iam.New(st, managed.Builtin(), iam.Options{})
	t.Cleanup(svc.Wait)
	reg := svc.AWSPolicies()
	az := authz.New(st, reg, authz.Options{})
	reg.OnChange(az.InvalidateAll)
	runCtx, cancel := context.WithCancel(ctx)
	t.Cleanup(cancel)
	if err := reg.Start(runCtx); err != nil {
		t.Fatal(err)
	}
	changes := servertest.Follow(t, st, reg.Apply, az.Apply)
	srv := servertest.Start(newServer(st, server.Options{Authz: az, Sync: changes.Sync, Dev: true, DefaultAccount: idAccount}, svc, az))
	t.Cleanup(srv.Close)
	f := &mgFixture{idFixture: &idFixture{srv: srv, st: st}, t: t, ctx: ctx, svc: svc, az: az}
	f.c = f.client(idAccount, "anything")
	return f
}

// userWith creates, as root of the account that root belongs to, a user
// with an access key and the given managed policies, and returns a client
// signed with that key.
func (f *mgFixture) userWith(root *awsiam.Client, name string, arns ...string) *awsiam.Client {
	f.t.Helper()
	must(root.CreateUser(f.ctx, &awsiam.CreateUserInput{UserName: aws.String(name)}))
	for _, arn := range arns {
		must(root.AttachUserPolicy(f.ctx, &awsiam.AttachUserPolicyInput{UserName: aws.String(name), PolicyArn: aws.String(arn)}))
	}
	k := must(root.CreateAccessKey(f.ctx, &awsiam.CreateAccessKeyInput{UserName: aws.String(name)})).AccessKey
	return f.client(aws.ToString(k.AccessKeyId), aws.ToString(k.SecretAccessKey))
}

func TestAWSManagedPoliciesListed(t *testing.T) {
	f := newManagedFixture(t)
	f.userWith(f.c, "mq-admin", mqFullAccess)
	counts := map[string]int32{}
	n := 0
	p := awsiam.NewListPoliciesPaginator(f.c, &awsiam.ListPoliciesInput{Scope: iamtypes.PolicyScopeTypeAws})
	for p.HasMorePages() {
		page := must(p.NextPage(f.ctx))
		for _, pol := range page.Policies {
			n++
			counts[aws.ToString(pol.Arn)] = aws.ToInt32(pol.AttachmentCount)
		}
	}
	if n != 1594 {
		t.Errorf("ListPolicies Scope=AWS lists %d policies, want 1594", n)
	}
	if counts[mqFullAccess] != 1 || counts[mqReadOnlyAccess] != 0 {
		t.Errorf("AttachmentCount of AmazonMQFullAccess = %d, AmazonMQReadOnlyAccess = %d; want 1, 0",
			counts[mqFullAccess], counts[mqReadOnlyAccess])
	}
	// The count is the account's own: another account holds none.
	other := f.client(otherAccount, "anything")
	out := must(other.ListPolicies(f.ctx, &awsiam.ListPoliciesInput{Scope: iamtypes.PolicyScopeTypeAws, OnlyAttached: true}))
	if len(out.Policies) != 0 {
		t.Errorf("another account lists %d attached AWS managed policies, want 0", len(out.Policies))
	}
}

// mqFullAccessData is testdata/AmazonMQFullAccess.versions.json: the policy's
// recovered versions, copied from ../shared/data/managed-policies/.
type mqFullAccessData struct {
	PolicyID, CreateDate, UpdateDate, DefaultVersionID string
	Versions                                           []struct {
		VersionID  string `json:"VersionId"`
		CreateDate string
		Document   json.RawMessage
	}
}

func TestAmazonMQFullAccessEveryVersion(t *testing.T) {
	f := newManagedFixture(t)
	b, err := os.ReadFile(filepath.Join("testdata", "AmazonMQFullAccess.versions.json"))
	if err != nil {
		t.Fatal(err)
	}
	var want mqFullAccessData
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	got := must(f.c.GetPolicy(f.ctx, &awsiam.GetPolicyInput{PolicyArn: aws.String(mqFullAccess)})).Policy
	if aws.ToString(got.PolicyId) != want.PolicyID || aws.ToString(got.DefaultVersionId) != "v5" || !got.IsAttachable ||
		got.CreateDate.Format(time.RFC3339) != want.CreateDate || got.UpdateDate.Format(time.RFC3339) != want.UpdateDate {
		t.Fatalf("GetPolicy = id %s, default %s, attachable %v, %v–%v; want %+v", aws.ToString(got.PolicyId),
			aws.ToString(got.DefaultVersionId), got.IsAttachable, got.CreateDate, got.UpdateDate, want)
	}
	listed := must(f.c.ListPolicyVersions(f.ctx, &awsiam.ListPolicyVersionsInput{PolicyArn: aws.String(mqFullAccess)})).Versions
	if len(listed) != 5 || aws.ToString(listed[0].VersionId) != "v5" || !listed[0].IsDefaultVersion {
		t.Fatalf("ListPolicyVersions = %d versions, want v5 (default) … v1", len(listed))
	}
	for i, wv := range want.Versions {
		t.Run(wv.VersionID, func(t *testing.T) {
			lv := listed[len(listed)-1-i]
			if aws.ToString(lv.VersionId) != wv.VersionID || lv.CreateDate.Format(time.RFC3339) != wv.CreateDate {
				t.Errorf("listed %s %v, want %s %s", aws.ToString(lv.VersionId), lv.CreateDate, wv.VersionID, wv.CreateDate)
			}
			v := must(f.c.GetPolicyVersion(f.ctx, &awsiam.GetPolicyVersionInput{PolicyArn: aws.String(mqFullAccess),
				VersionId: aws.String(wv.VersionID)})).PolicyVersion
			doc, err := url.QueryUnescape(aws.ToString(v.Document))
			if err != nil {
				t.Fatal(err)
			}
			if !sameJSON(t, doc, string(wv.Document)) || v.CreateDate.Format(time.RFC3339) != wv.CreateDate ||
				v.IsDefaultVersion != (wv.VersionID == "v5") {
				t.Errorf("GetPolicyVersion(%s) = %s, %v, default %v; want the source's document and date %s",
					wv.VersionID, doc, v.CreateDate, v.IsDefaultVersion, wv.CreateDate)
			}
		})
	}
	_, err = f.c.GetPolicyVersion(f.ctx, &awsiam.GetPolicyVersionInput{PolicyArn: aws.String(mqFullAccess), VersionId: aws.String("v6")})
	wantAPIError(t, "GetPolicyVersion(v6)", err, "NoSuchEntity", "")
}

// sameJSON reports whether two JSON texts hold the same value.
func sameJSON(t *testing.T, a, b string) bool {
	t.Helper()
	var va, vb any
	if err := json.Unmarshal([]byte(a), &va); err != nil {
		t.Fatalf("%q: %v", a, err)
	}
	if err := json.Unmarshal([]byte(b), &vb); err != nil {
		t.Fatalf("%q: %v", b, err)
	}
	return reflect.DeepEqual(va, vb)
}

// TestAWSManagedPoliciesImmutable: no customer, not even the root or an
// administrator, may change an AWS managed policy; each refusal changes
// nothing.
func TestAWSManagedPoliciesImmutable(t *testing.T) {
	f := newManagedFixture(t)
	admin := f.userWith(f.c, "admin", adminAccess)
	arn := aws.String(mqFullAccess)
	callers := []struct {
		name string
		c    *awsiam.Client
	}{{"root", f.c}, {"administrator", admin}}
	for _, caller := range callers {
		for _, m := range f.awsPolicyMutations(arn) {
			t.Run(caller.name+"/"+m.name, func(t *testing.T) {
				wantAPIError(t, m.name, m.call(caller.c), "AccessDenied", "")
				versions := must(f.c.ListPolicyVersions(f.ctx, &awsiam.ListPolicyVersionsInput{PolicyArn: arn})).Versions
				pol := must(f.c.GetPolicy(f.ctx, &awsiam.GetPolicyInput{PolicyArn: arn})).Policy
				tags := must(f.c.ListPolicyTags(f.ctx, &awsiam.ListPolicyTagsInput{PolicyArn: arn})).Tags
				if len(versions) != 5 || aws.ToString(pol.DefaultVersionId) != "v5" || len(tags) != 0 {
					t.Fatalf("after a refused %s: %d versions, default %s, %d tags; want 5, v5, 0",
						m.name, len(versions), aws.ToString(pol.DefaultVersionId), len(tags))
				}
			})
		}
	}
}

// awsPolicyMutations are the calls that would change the managed policy arn.
func (f *mgFixture) awsPolicyMutations(arn *string) []struct {
	name string
	call func(c *awsiam.Client) error
} {
	return []struct {
		name string
		call func(c *awsiam.Client) error
	}{
		{"CreatePolicyVersion", func(c *awsiam.Client) error {
			_, err := c.CreatePolicyVersion(f.ctx, &awsiam.CreatePolicyVersionInput{PolicyArn: arn,
				PolicyDocument: aws.String(allow("mq:*", "")), SetAsDefault: true})
			return err
		}},
		{"DeletePolicyVersion", func(c *awsiam.Client) error {
			_, err := c.DeletePolicyVersion(f.ctx, &awsiam.DeletePolicyVersionInput{PolicyArn: arn, VersionId: aws.String("v1")})
			return err
		}},
		{"SetDefaultPolicyVersion", func(c *awsiam.Client) error {
			_, err := c.SetDefaultPolicyVersion(f.ctx, &awsiam.SetDefaultPolicyVersionInput{PolicyArn: arn, VersionId: aws.String("v1")})
			return err
		}},
		{"DeletePolicy", func(c *awsiam.Client) error {
			_, err := c.DeletePolicy(f.ctx, &awsiam.DeletePolicyInput{PolicyArn: arn})
			return err
		}},
		{"TagPolicy", func(c *awsiam.Client) error {
			_, err := c.TagPolicy(f.ctx, &awsiam.TagPolicyInput{PolicyArn: arn, Tags: []iamtypes.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
			return err
		}},
		{"UntagPolicy", func(c *awsiam.Client) error {
			_, err := c.UntagPolicy(f.ctx, &awsiam.UntagPolicyInput{PolicyArn: arn, TagKeys: []string{"k"}})
			return err
		}},
	}
}

// TestServiceRolePolicyNotAttachable: AmazonMQServiceRolePolicy is listed
// attachable, as AWS lists it, but no user, group or customer role may carry
// it.
func TestServiceRolePolicyNotAttachable(t *testing.T) {
	f := newManagedFixture(t)
	must(f.c.CreateUser(f.ctx, &awsiam.CreateUserInput{UserName: aws.String("u")}))
	must(f.c.CreateGroup(f.ctx, &awsiam.CreateGroupInput{GroupName: aws.String("g")}))
	must(f.c.CreateRole(f.ctx, &awsiam.CreateRoleInput{RoleName: aws.String("r"), AssumeRolePolicyDocument: aws.String(idTrust)}))
	pol := must(f.c.GetPolicy(f.ctx, &awsiam.GetPolicyInput{PolicyArn: aws.String(mqRolePolicy)})).Policy
	if !pol.IsAttachable {
		t.Error("GetPolicy(AmazonMQServiceRolePolicy).IsAttachable = false, want true as AWS reports it")
	}
	arn := aws.String(mqRolePolicy)
	_, err := f.c.AttachUserPolicy(f.ctx, &awsiam.AttachUserPolicyInput{UserName: aws.String("u"), PolicyArn: arn})
	wantAPIError(t, "AttachUserPolicy", err, "PolicyNotAttachable", "")
	_, err = f.c.AttachGroupPolicy(f.ctx, &awsiam.AttachGroupPolicyInput{GroupName: aws.String("g"), PolicyArn: arn})
	wantAPIError(t, "AttachGroupPolicy", err, "PolicyNotAttachable", "")
	_, err = f.c.AttachRolePolicy(f.ctx, &awsiam.AttachRolePolicyInput{RoleName: aws.String("r"), PolicyArn: arn})
	wantAPIError(t, "AttachRolePolicy", err, "PolicyNotAttachable", "Cannot attach a Service Role Policy to a Customer Role.")
	n := aws.ToInt32(must(f.c.GetPolicy(f.ctx, &awsiam.GetPolicyInput{PolicyArn: arn})).Policy.AttachmentCount)
	if n != 0 {
		t.Errorf("AttachmentCount after refused attaches = %d, want 0", n)
	}
}

// TestPublishedVersionAppliesEverywhere publishes new default versions of
// IAMReadOnlyAccess through the internal API: the users that carry it in two
// accounts are decided on the new version at their very next request, with
// no re-attachment.
func TestPublishedVersionAppliesEverywhere(t *testing.T) {
	f := newManagedFixture(t)
	readers := []*awsiam.Client{
		f.userWith(f.c, "reader", iamReadOnly),
		f.userWith(f.client(otherAccount, "anything"), "reader", iamReadOnly),
	}
	for i, c := range readers {
		if err := listUsers(f.ctx, c); err != nil {
			t.Fatalf("account %d: ListUsers with IAMReadOnlyAccess = %v, want allowed", i, err)
		}
	}
	getOnly := allow("iam:GetUser", "")
	v, err := f.svc.AWSPolicies().Publish(f.ctx, iamReadOnly, getOnly, true)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range readers {
		wantDenied(t, "ListUsers after the new version", listUsers(f.ctx, c), "")
		if _, err := c.GetUser(f.ctx, &awsiam.GetUserInput{UserName: aws.String("reader")}); err != nil {
			t.Fatalf("account %d: GetUser under the new version = %v, want allowed", i, err)
		}
	}
	// The API shows the new version in every account.
	for _, c := range []*awsiam.Client{f.c, f.client(otherAccount, "anything")} {
		pol := must(c.GetPolicy(f.ctx, &awsiam.GetPolicyInput{PolicyArn: aws.String(iamReadOnly)})).Policy
		if aws.ToString(pol.DefaultVersionId) != v.ID || !pol.UpdateDate.Equal(v.CreateDate.Truncate(time.Second)) {
			t.Errorf("GetPolicy = default %s, updated %v; want %s, %v", aws.ToString(pol.DefaultVersionId), pol.UpdateDate, v.ID, v.CreateDate)
		}
		pv := must(c.GetPolicyVersion(f.ctx, &awsiam.GetPolicyVersionInput{PolicyArn: aws.String(iamReadOnly), VersionId: aws.String(v.ID)})).PolicyVersion
		if doc, _ := url.QueryUnescape(aws.ToString(pv.Document)); doc != getOnly || !pv.IsDefaultVersion {
			t.Errorf("GetPolicyVersion(%s) = %q, default %v", v.ID, doc, pv.IsDefaultVersion)
		}
		versions := must(c.ListPolicyVersions(f.ctx, &awsiam.ListPolicyVersionsInput{PolicyArn: aws.String(iamReadOnly)})).Versions
		if aws.ToString(versions[0].VersionId) != v.ID || !versions[0].IsDefaultVersion || versions[1].IsDefaultVersion {
			t.Errorf("ListPolicyVersions starts %s (default %v), then default %v", aws.ToString(versions[0].VersionId),
				versions[0].IsDefaultVersion, versions[1].IsDefaultVersion)
		}
	}
	// And another version gives the permission back, again at once.
	if _, err := f.svc.AWSPolicies().Publish(f.ctx, iamReadOnly, allow("iam:List*", ""), true); err != nil {
		t.Fatal(err)
	}
	for i, c := range readers {
		if err := listUsers(f.ctx, c); err != nil {
			t.Fatalf("account %d: ListUsers after the third version = %v, want allowed", i, err)
		}
	}
}

// TestAmazonMQReadOnlySimulated asks SimulatePrincipalPolicy through the
// SDK (there is no Amazon MQ endpoint yet): a user with
// AmazonMQReadOnlyAccess may describe a broker and may not create one; a
// published version changes the answer.
func TestAmazonMQReadOnlySimulated(t *testing.T) {
	f := newManagedFixture(t)
	f.userWith(f.c, "viewer", mqReadOnlyAccess)
	userARN := "arn:aws:iam::" + idAccount + ":user/viewer"
	simulate := func() map[string]iamtypes.PolicyEvaluationDecisionType {
		out := must(f.c.SimulatePrincipalPolicy(f.ctx, &awsiam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String(userARN),
			ActionNames: []string{"mq:DescribeBroker", "mq:CreateBroker"}}))
		got := map[string]iamtypes.PolicyEvaluationDecisionType{}
		for _, r := range out.EvaluationResults {
			got[aws.ToString(r.EvalActionName)] = r.EvalDecision
		}
		return got
	}
	got := simulate()
	if got["mq:DescribeBroker"] != iamtypes.PolicyEvaluationDecisionTypeAllowed || got["mq:CreateBroker"] != iamtypes.PolicyEvaluationDecisionTypeImplicitDeny {
		t.Fatalf("SimulatePrincipalPolicy = %v, want DescribeBroker allowed, CreateBroker implicitDeny", got)
	}
	if _, err := f.svc.AWSPolicies().Publish(f.ctx, mqReadOnlyAccess, allow("mq:List*", ""), true); err != nil {
		t.Fatal(err)
	}
	if got := simulate(); got["mq:DescribeBroker"] != iamtypes.PolicyEvaluationDecisionTypeImplicitDeny {
		t.Fatalf("SimulatePrincipalPolicy after publishing a List-only version = %v, want DescribeBroker implicitDeny", got)
	}
}

// TestAmazonMQReadOnlyDecisions asks the authorizer directly, as the Amazon
// MQ endpoint will: a user with AmazonMQReadOnlyAccess may describe a broker
// and may not create one.
func TestAmazonMQReadOnlyDecisions(t *testing.T) {
	f := newManagedFixture(t)
	f.userWith(f.c, "viewer", mqReadOnlyAccess)
	u := must(f.c.GetUser(f.ctx, &awsiam.GetUserInput{UserName: aws.String("viewer")})).User
	p := &authz.Principal{Kind: eval.PrincipalUser, Account: idAccount, ARN: aws.ToString(u.Arn), UserID: aws.ToString(u.UserId), Name: "viewer"}
	broker := "arn:aws:mq:us-east-1:" + idAccount + ":broker:orders:b-1234a5b6-78cd-901e-2fgh-3i45j6k178l9"
	tests := []struct {
		action, resource string
		allowed          bool
	}{
		{"mq:DescribeBroker", broker, true},
		{"mq:ListBrokers", "*", true},
		{"mq:CreateBroker", "*", false},
		{"mq:DeleteBroker", broker, false},
	}
	for _, tt := range tests {
		t.Run(tt.action, func(t *testing.T) {
			err := f.az.Authorize(f.ctx, p, &authz.Request{Action: tt.action, Resource: tt.resource})
			if tt.allowed && err != nil || !tt.allowed && !errors.Is(err, authz.ErrAccessDenied) {
				t.Fatalf("Authorize(%s) = %v, want allowed %v", tt.action, err, tt.allowed)
			}
		})
	}
}
