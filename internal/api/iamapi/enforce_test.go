package iamapi

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	awssts "github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/iamq/iamq/internal/audit"
	"github.com/iamq/iamq/internal/authz"
	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/managed"
	"github.com/iamq/iamq/internal/server"
	"github.com/iamq/iamq/internal/server/servertest"
	"github.com/iamq/iamq/internal/store"
)

// enFixture is a dev-mode endpoint that enforces policies, over SQLite: the
// 12-digit key idAccount is that account's root; users get real keys.
type enFixture struct {
	*idFixture
	t     *testing.T
	ctx   context.Context
	now   *testClock // the server's clock, movable by tests
	az    *authz.Authorizer
	creds *authz.Credentials // the endpoint's, following the change sequence
	api   *api               // the operations' table, over the fixture's services
}

// testClock is a clock that tests move forward; the server's goroutines
// read it, so it is atomic.
type testClock struct{ ns atomic.Int64 }

func (c *testClock) Now() time.Time { return time.Unix(0, c.ns.Load()).UTC() }

// Add moves the clock forward by d.
func (c *testClock) Add(d time.Duration) { c.ns.Add(int64(d)) }

func newEnforceFixture(t *testing.T) *enFixture {
	t.Helper()
	return newEnforceFixtureOn(t, servertest.OpenSQLite(t, store.Options{Key: bytes.Repeat([]byte{9}, 32)}))
}

// newEnforceFixtureOn is the enforcing endpoint over st.
func newEnforceFixtureOn(t *testing.T, st store.Store) *enFixture {
	t.Helper()
	ctx := context.Background()
	lib := managed.Builtin()
	az := authz.New(st, lib, authz.Options{})
	creds := newCredentials(st)
	changes := servertest.Follow(t, st, az.Apply, creds.Apply)
	clock := &testClock{}
	clock.ns.Store(time.Now().UnixNano())
	svc := iam.New(st, lib, iam.Options{Now: clock.Now})
	s := newServer(st, server.Options{Credentials: creds, Authz: az, Sync: changes.Sync, Dev: true, DefaultAccount: idAccount, Now: clock.Now}, svc, az)
	f := &enFixture{t: t, ctx: ctx, now: clock, az: az, creds: creds, api: &api{iam: svc, authz: az}}
	srv := servertest.Start(s)
	t.Cleanup(srv.Close)
	f.idFixture = &idFixture{srv: srv, st: st}
	f.c = f.client(idAccount, "anything")
	return f
}

// user creates an IAM user with an access key and returns a client signed
// with that key, and the key's id.
func (f *enFixture) user(name string, tags ...iamtypes.Tag) (*awsiam.Client, string) {
	f.t.Helper()
	must(f.c.CreateUser(f.ctx, &awsiam.CreateUserInput{UserName: aws.String(name), Tags: tags}))
	k := must(f.c.CreateAccessKey(f.ctx, &awsiam.CreateAccessKeyInput{UserName: aws.String(name)})).AccessKey
	return f.client(aws.ToString(k.AccessKeyId), aws.ToString(k.SecretAccessKey)), aws.ToString(k.AccessKeyId)
}

// policy creates a customer managed policy and returns its ARN.
func (f *enFixture) policy(name, doc string) string {
	f.t.Helper()
	out := must(f.c.CreatePolicy(f.ctx, &awsiam.CreatePolicyInput{PolicyName: aws.String(name), PolicyDocument: aws.String(doc)}))
	return aws.ToString(out.Policy.Arn)
}

func (f *enFixture) putUserPolicy(user, name, doc string) {
	f.t.Helper()
	must(f.c.PutUserPolicy(f.ctx, &awsiam.PutUserPolicyInput{UserName: aws.String(user), PolicyName: aws.String(name), PolicyDocument: aws.String(doc)}))
}

// allow is a policy that allows action on every resource, with an optional
// condition block (JSON text).
func allow(action, condition string) string {
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"` + action + `","Resource":"*"`
	if condition != "" {
		doc += `,"Condition":` + condition
	}
	return doc + `}]}`
}

func deny(action string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"` + action + `","Resource":"*"}]}`
}

func wantDenied(t *testing.T, op string, err error, msg string) {
	t.Helper()
	wantAPIError(t, op, err, "AccessDenied", msg)
}

func listUsers(ctx context.Context, c *awsiam.Client) error {
	_, err := c.ListUsers(ctx, &awsiam.ListUsersInput{})
	return err
}

func TestEnforceAttachDetach(t *testing.T) {
	f := newEnforceFixture(t)
	alice, _ := f.user("alice")
	wantDenied(t, "ListUsers as a new user", listUsers(f.ctx, alice),
		"User: arn:aws:iam::"+idAccount+":user/alice is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::"+idAccount+":user/ because no identity-based policy allows the iam:ListUsers action")
	arn := f.policy("list", allow("iam:ListUsers", ""))
	must(f.c.AttachUserPolicy(f.ctx, &awsiam.AttachUserPolicyInput{UserName: aws.String("alice"), PolicyArn: aws.String(arn)}))
	if err := listUsers(f.ctx, alice); err != nil {
		t.Fatalf("ListUsers after AttachUserPolicy = %v, want allowed", err)
	}
	// A user may not do what the policy does not say.
	_, err := alice.CreateUser(f.ctx, &awsiam.CreateUserInput{UserName: aws.String("mallory")})
	wantDenied(t, "CreateUser with ListUsers only", err, "")
	must(f.c.DetachUserPolicy(f.ctx, &awsiam.DetachUserPolicyInput{UserName: aws.String("alice"), PolicyArn: aws.String(arn)}))
	wantDenied(t, "ListUsers after DetachUserPolicy", listUsers(f.ctx, alice), "")
	// A new default version changes what the attached policy allows, at once.
	must(f.c.AttachUserPolicy(f.ctx, &awsiam.AttachUserPolicyInput{UserName: aws.String("alice"), PolicyArn: aws.String(arn)}))
	must(f.c.CreatePolicyVersion(f.ctx, &awsiam.CreatePolicyVersionInput{PolicyArn: aws.String(arn), PolicyDocument: aws.String(allow("iam:GetUser", "")), SetAsDefault: true}))
	wantDenied(t, "ListUsers after a narrower default version", listUsers(f.ctx, alice), "")
	// GetCallerIdentity needs no permission.
	sc := awssts.NewFromConfig(aws.Config{Region: "us-east-1", Credentials: alice.Options().Credentials, BaseEndpoint: aws.String(f.srv.URL), Retryer: servertest.Retryer})
	if _, err := sc.GetCallerIdentity(f.ctx, &awssts.GetCallerIdentityInput{}); err != nil {
		t.Errorf("GetCallerIdentity without any policy = %v, want allowed", err)
	}
}

func TestEnforceGroupBoundaryDeny(t *testing.T) {
	f := newEnforceFixture(t)
	bob, _ := f.user("bob")
	must(f.c.CreateGroup(f.ctx, &awsiam.CreateGroupInput{GroupName: aws.String("readers")}))
	must(f.c.PutGroupPolicy(f.ctx, &awsiam.PutGroupPolicyInput{GroupName: aws.String("readers"), PolicyName: aws.String("r"), PolicyDocument: aws.String(allow("iam:List*", ""))}))
	wantDenied(t, "ListUsers before joining the group", listUsers(f.ctx, bob), "")
	must(f.c.AddUserToGroup(f.ctx, &awsiam.AddUserToGroupInput{GroupName: aws.String("readers"), UserName: aws.String("bob")}))
	if err := listUsers(f.ctx, bob); err != nil {
		t.Fatalf("ListUsers as a member of a group allowed to = %v", err)
	}

	f.putUserPolicy("bob", "all", allow("iam:*", ""))
	bound := f.policy("bound", allow("iam:Get*", ""))
	must(f.c.PutUserPermissionsBoundary(f.ctx, &awsiam.PutUserPermissionsBoundaryInput{UserName: aws.String("bob"), PermissionsBoundary: aws.String(bound)}))
	wantDenied(t, "ListUsers outside the boundary", listUsers(f.ctx, bob),
		"User: arn:aws:iam::"+idAccount+":user/bob is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::"+idAccount+":user/ because no permissions boundary allows the iam:ListUsers action")
	if _, err := bob.GetUser(f.ctx, &awsiam.GetUserInput{}); err != nil {
		t.Errorf("GetUser inside the boundary = %v", err)
	}
	must(f.c.DeleteUserPermissionsBoundary(f.ctx, &awsiam.DeleteUserPermissionsBoundaryInput{UserName: aws.String("bob")}))
	if err := listUsers(f.ctx, bob); err != nil {
		t.Fatalf("ListUsers after the boundary is gone = %v", err)
	}
	f.putUserPolicy("bob", "no", deny("iam:ListUsers"))
	wantDenied(t, "ListUsers with an explicit deny", listUsers(f.ctx, bob),
		"User: arn:aws:iam::"+idAccount+":user/bob is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::"+idAccount+":user/ with an explicit deny in an identity-based policy")
}

func TestEnforceConditionKeys(t *testing.T) {
	f := newEnforceFixture(t)
	carol, _ := f.user("carol", iamtypes.Tag{Key: aws.String("team"), Value: aws.String("blue")})
	tests := []struct {
		name      string
		condition string
		allowed   bool
	}{
		{"source ip loopback", `{"IpAddress":{"aws:SourceIp":"127.0.0.0/8"}}`, true},
		{"source ip elsewhere", `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, false},
		{"requested region", `{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}`, true},
		{"other region", `{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}`, false},
		{"principal tag", `{"StringEquals":{"aws:PrincipalTag/team":"blue"}}`, true},
		{"principal tag mismatch", `{"StringEquals":{"aws:PrincipalTag/team":"red"}}`, false},
		{"username variable", `{"StringEquals":{"aws:username":"${aws:username}"}}`, true},
		{"insecure transport", `{"Bool":{"aws:SecureTransport":"true"}}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f.putUserPolicy("carol", "p", allow("iam:ListUsers", tt.condition))
			err := listUsers(f.ctx, carol)
			if tt.allowed && err != nil {
				t.Errorf("ListUsers under %s = %v, want allowed", tt.condition, err)
			}
			if !tt.allowed {
				wantDenied(t, "ListUsers under "+tt.condition, err, "")
			}
		})
	}
}

func TestEnforceRequestTags(t *testing.T) {
	f := newEnforceFixture(t)
	dave, _ := f.user("dave")
	f.putUserPolicy("dave", "p", allow("iam:CreateUser", `{"StringEquals":{"aws:RequestTag/env":"dev"},"ForAllValues:StringEquals":{"aws:TagKeys":["env"]}}`))
	tag := func(k, v string) []iamtypes.Tag { return []iamtypes.Tag{{Key: aws.String(k), Value: aws.String(v)}} }
	tests := []struct {
		name    string
		tags    []iamtypes.Tag
		allowed bool
	}{
		{"env dev", tag("env", "dev"), true},
		{"env prod", tag("env", "prod"), false},
		{"no tags", nil, false},
		{"other key", append(tag("env", "dev"), tag("owner", "x")...), false},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := dave.CreateUser(f.ctx, &awsiam.CreateUserInput{UserName: aws.String("u" + string(rune('a'+i))), Tags: tt.tags})
			if tt.allowed && err != nil {
				t.Errorf("CreateUser with tags %s = %v, want allowed", tt.name, err)
			}
			if !tt.allowed {
				wantDenied(t, "CreateUser with tags "+tt.name, err, "")
			}
		})
	}
	// aws:ResourceTag of the user acted on.
	must(f.c.CreateUser(f.ctx, &awsiam.CreateUserInput{UserName: aws.String("tagged"), Tags: tag("env", "dev")}))
	must(f.c.CreateUser(f.ctx, &awsiam.CreateUserInput{UserName: aws.String("plain")}))
	f.putUserPolicy("dave", "r", allow("iam:GetUser", `{"StringEquals":{"aws:ResourceTag/env":"dev"}}`))
	if _, err := dave.GetUser(f.ctx, &awsiam.GetUserInput{UserName: aws.String("tagged")}); err != nil {
		t.Errorf("GetUser of a user tagged env=dev = %v, want allowed", err)
	}
	_, err := dave.GetUser(f.ctx, &awsiam.GetUserInput{UserName: aws.String("plain")})
	wantDenied(t, "GetUser of an untagged user", err, "")
}

func TestEnforceInactiveAndDeletedKeys(t *testing.T) {
	f := newEnforceFixture(t)
	erin, id := f.user("erin")
	f.putUserPolicy("erin", "p", allow("iam:*", ""))
	if err := listUsers(f.ctx, erin); err != nil {
		t.Fatal(err)
	}
	must(f.c.UpdateAccessKey(f.ctx, &awsiam.UpdateAccessKeyInput{UserName: aws.String("erin"), AccessKeyId: aws.String(id), Status: iamtypes.StatusTypeInactive}))
	// In dev mode too, an inactive key iamq issued is refused — not taken for
	// the default account's root.
	wantAPIError(t, "ListUsers with an inactive key", listUsers(f.ctx, erin), "InvalidClientTokenId", "")
	// Unsigned with the inactive key's id (any secret): refused too.
	wantAPIError(t, "ListUsers with an inactive key and another secret", listUsers(f.ctx, f.client(id, "x")), "InvalidClientTokenId", "")
	must(f.c.UpdateAccessKey(f.ctx, &awsiam.UpdateAccessKeyInput{UserName: aws.String("erin"), AccessKeyId: aws.String(id), Status: iamtypes.StatusTypeActive}))
	if err := listUsers(f.ctx, erin); err != nil {
		t.Fatalf("ListUsers with the key active again = %v", err)
	}
	must(f.c.DeleteAccessKey(f.ctx, &awsiam.DeleteAccessKeyInput{UserName: aws.String("erin"), AccessKeyId: aws.String(id)}))
	wantAPIError(t, "ListUsers with a deleted key", listUsers(f.ctx, erin), "InvalidClientTokenId", "")
	// A key that does not have the issued form is still dev mode's root.
	if err := listUsers(f.ctx, f.client("test", "test")); err != nil {
		t.Errorf("ListUsers as dev mode's test key = %v, want the root's allow", err)
	}
}

// TestEveryIAMOperationIsServed: every operation of the table, whose
// targets enforcement uses, is registered, and the table is the whole API.
func TestEveryIAMOperationIsServed(t *testing.T) {
	f := newEnforceFixture(t)
	ops := f.api.operations()
	if len(ops) < 90 {
		t.Fatalf("%d IAM operations in the table, want the whole API", len(ops))
	}
	for _, o := range ops {
		form := url.Values{"Action": {o.name}, "Version": {"2010-05-08"}}
		resp, err := f.srv.Client().Do(signedForm(t, f, form))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.Contains(string(body), "<Code>InvalidAction</Code>") {
			t.Errorf("%s is in the table but not served: %s", o.name, body)
		}
	}
}

// TestEnforcePermissionsBoundaryKey: the delegation pattern — a user may
// create users and attach policies only to users bounded by a given policy
// (IAM User Guide, "Permissions boundaries for IAM entities").
func TestEnforcePermissionsBoundaryKey(t *testing.T) {
	f := newEnforceFixture(t)
	admin, _ := f.user("delegate")
	bound := f.policy("bound", allow("iam:Get*", ""))
	other := f.policy("other", allow("iam:List*", ""))
	f.putUserPolicy("delegate", "p", allow("iam:CreateUser", `{"StringEquals":{"iam:PermissionsBoundary":"`+bound+`"}}`))
	f.putUserPolicy("delegate", "q", allow("iam:AttachUserPolicy", `{"StringEquals":{"iam:PermissionsBoundary":"`+bound+`"}}`))
	_, err := admin.CreateUser(f.ctx, &awsiam.CreateUserInput{UserName: aws.String("free")})
	wantDenied(t, "CreateUser without the boundary", err, "")
	if _, err := admin.CreateUser(f.ctx, &awsiam.CreateUserInput{UserName: aws.String("bounded"), PermissionsBoundary: aws.String(bound)}); err != nil {
		t.Fatalf("CreateUser with the boundary = %v", err)
	}
	if _, err := admin.AttachUserPolicy(f.ctx, &awsiam.AttachUserPolicyInput{UserName: aws.String("bounded"), PolicyArn: aws.String(other)}); err != nil {
		t.Errorf("AttachUserPolicy to a bounded user = %v", err)
	}
	must(f.c.CreateUser(f.ctx, &awsiam.CreateUserInput{UserName: aws.String("unbounded")}))
	_, err = admin.AttachUserPolicy(f.ctx, &awsiam.AttachUserPolicyInput{UserName: aws.String("unbounded"), PolicyArn: aws.String(other)})
	wantDenied(t, "AttachUserPolicy to an unbounded user", err, "")
}

// TestDevModeInactiveKeyOfAnyForm: a key the store holds but that is
// Inactive is refused in dev mode even when its id does not have the issued
// form (a root key set with --root-access-key-id).
func TestDevModeInactiveKeyOfAnyForm(t *testing.T) {
	f := newEnforceFixture(t)
	if err := listUsers(f.ctx, f.c); err != nil { // creates the dev account
		t.Fatal(err)
	}
	var secret string
	err := f.st.Update(f.ctx, idAccount, func(tx store.Tx) error {
		k, err := tx.CreateAccessKey(store.AccessKey{ID: "CIROOTKEY", Owner: store.EntityRef{Kind: store.KindAccount}})
		secret = k.Secret
		if err != nil {
			return err
		}
		return tx.UpdateAccessKey(k.ID, store.KeyInactive)
	})
	if err != nil {
		t.Fatal(err)
	}
	wantAPIError(t, "ListUsers with an inactive root key of a custom id", listUsers(f.ctx, f.client("CIROOTKEY", secret)), "InvalidClientTokenId", "")
}

// signedForm is a Query request of form to the fixture, signed by the root
// of idAccount.
func signedForm(t *testing.T, f *enFixture, form url.Values) *http.Request {
	t.Helper()
	body := form.Encode()
	r, err := http.NewRequest(http.MethodPost, f.srv.URL+"/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	servertest.Sign(t, r, []byte(body), idAccount, "anything", "us-east-1", "iam", time.Now())
	return r
}

// TestREADMEListsEveryOperation: the README's list of IAM operations names
// every operation of the table, so that what a user reads is what is served.
func TestREADMEListsEveryOperation(t *testing.T) {
	var names []string
	for _, o := range (&api{authz: &authz.Authorizer{}, audit: &audit.Log{}}).operations() {
		names = append(names, o.name)
	}
	servertest.CheckREADMENames(t, names)
	readme, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("- **IAM** (2010-05-08), %d operations", len(names)); !strings.Contains(string(readme), want) {
		t.Errorf("README does not say %q", want)
	}
}
