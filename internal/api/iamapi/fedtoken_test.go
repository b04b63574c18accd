package iamapi

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
	awssts "github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"

	"github.com/iamq/iamq/internal/authz"
)

// TestGetFederationToken: a user allowed sts:GetFederationToken gets a
// federated user session whose permissions are the intersection of the
// user's policies and the session policy: allowed what both allow, refused
// what the session policy does not allow, refused what the user may not do.
// The session calls no IAM operation, as in AWS.
func TestGetFederationToken(t *testing.T) {
	f := newEnforceFixture(t)
	ctx := f.ctx
	alice, _ := f.user("alice")
	f.putUserPolicy("alice", "p", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":["iam:ListUsers","iam:ListRoles"],"Resource":"*"},
		{"Effect":"Allow","Action":"sts:GetFederationToken","Resource":"arn:aws:sts::`+idAccount+`:federated-user/bob*"}]}`)
	sessionPolicy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:ListUsers","iam:DeleteUser"],"Resource":"*"}]}`
	stsc := f.stsFor(alice)
	out := must(stsc.GetFederationToken(ctx, &awssts.GetFederationTokenInput{Name: aws.String("bob"), Policy: aws.String(sessionPolicy),
		DurationSeconds: aws.Int32(900)}))
	wantARN := "arn:aws:sts::" + idAccount + ":federated-user/bob"
	if aws.ToString(out.FederatedUser.Arn) != wantARN || aws.ToString(out.FederatedUser.FederatedUserId) != idAccount+":bob" {
		t.Fatalf("GetFederationToken = %+v", out.FederatedUser)
	}
	_, err := stsc.GetFederationToken(ctx, &awssts.GetFederationTokenInput{Name: aws.String("carol")})
	wantAPIError(t, "GetFederationToken(carol, not allowed)", err, "AccessDenied", "")
	_, err = stsc.GetFederationToken(ctx, &awssts.GetFederationTokenInput{Name: aws.String("bob-" + strings.Repeat("x", 29))})
	wantAPIError(t, "GetFederationToken(a name of 33 characters)", err, "ValidationError", "")

	iamc, fedSTS := f.session(out.Credentials)
	who := must(fedSTS.GetCallerIdentity(ctx, &awssts.GetCallerIdentityInput{}))
	if aws.ToString(who.Arn) != wantARN || aws.ToString(who.UserId) != idAccount+":bob" {
		t.Fatalf("GetCallerIdentity as the federated user = %s %s", aws.ToString(who.Arn), aws.ToString(who.UserId))
	}
	_, err = iamc.ListUsers(ctx, &awsiam.ListUsersInput{})
	wantAPIError(t, "ListUsers as a federated user", err, "AccessDenied", "")
	_, err = fedSTS.AssumeRole(ctx, &awssts.AssumeRoleInput{RoleArn: aws.String(roleARN("any")), RoleSessionName: aws.String("x")})
	wantAPIError(t, "AssumeRole as a federated user", err, "AccessDenied", "")
	_, err = fedSTS.GetFederationToken(ctx, &awssts.GetFederationTokenInput{Name: aws.String("bob2")})
	wantAPIError(t, "GetFederationToken as a federated user", err, "AccessDenied", "")

	// The decisions themselves, for the principal the session's key acts as.
	p := f.principalOf(t, out.Credentials)
	for action, allowed := range map[string]bool{"iam:ListUsers": true, "iam:ListRoles": false, "iam:DeleteUser": false} {
		err := f.az.Authorize(ctx, &p, &authz.Request{Action: action, Resource: "*"})
		if (err == nil) != allowed {
			t.Errorf("Authorize(federated bob, %s) = %v, want allowed %v", action, err, allowed)
		}
		if err != nil && !errors.Is(err, authz.ErrAccessDenied) {
			t.Errorf("Authorize(federated bob, %s) = %v, want AccessDenied", action, err)
		}
	}

	// Without a session policy the session may do nothing.
	bare := must(stsc.GetFederationToken(ctx, &awssts.GetFederationTokenInput{Name: aws.String("bob-bare")}))
	p = f.principalOf(t, bare.Credentials)
	if err := f.az.Authorize(ctx, &p, &authz.Request{Action: "iam:ListUsers", Resource: "*"}); err == nil {
		t.Error("Authorize(federated user without session policy, iam:ListUsers) allowed, want denied")
	}
}

// principalOf is the principal a temporary key acts as, as the endpoint
// finds it.
func (f *enFixture) principalOf(t *testing.T, cr *ststypes.Credentials) authz.Principal {
	t.Helper()
	k, err := f.st.AccessKey(f.ctx, aws.ToString(cr.AccessKeyId))
	if err != nil {
		t.Fatal(err)
	}
	p, err := authz.PrincipalForKey(k, "/")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestGetAccessKeyInfo: the account of a key iamq issued, to a caller
// allowed sts:GetAccessKeyInfo; refused to others and for unknown keys.
func TestGetAccessKeyInfo(t *testing.T) {
	f := newEnforceFixture(t)
	ctx := f.ctx
	alice, aliceKey := f.user("alice")
	bob, _ := f.user("bob")
	f.putUserPolicy("alice", "p", allow("sts:GetAccessKeyInfo", ""))
	out := must(f.stsFor(alice).GetAccessKeyInfo(ctx, &awssts.GetAccessKeyInfoInput{AccessKeyId: aws.String(aliceKey)}))
	if aws.ToString(out.Account) != idAccount {
		t.Fatalf("GetAccessKeyInfo = %s, want %s", aws.ToString(out.Account), idAccount)
	}
	_, err := f.stsFor(bob).GetAccessKeyInfo(ctx, &awssts.GetAccessKeyInfoInput{AccessKeyId: aws.String(aliceKey)})
	wantAPIError(t, "GetAccessKeyInfo(bob, not allowed)", err, "AccessDenied", "")
	_, err = f.stsFor(alice).GetAccessKeyInfo(ctx, &awssts.GetAccessKeyInfoInput{AccessKeyId: aws.String("AKIAIOSFODNN7EXAMPLE")})
	wantAPIError(t, "GetAccessKeyInfo(unknown key)", err, "InvalidParameterValue", "")
	_, err = f.stsFor(alice).GetAccessKeyInfo(ctx, &awssts.GetAccessKeyInfoInput{AccessKeyId: aws.String("short")})
	wantAPIError(t, "GetAccessKeyInfo(short)", err, "ValidationError", "")
}

// TestDecodeAuthorizationMessage: authorized as in AWS; iamq encodes no
// message, so every message is refused with STS's code for one it cannot
// decode.
func TestDecodeAuthorizationMessage(t *testing.T) {
	f := newEnforceFixture(t)
	alice, _ := f.user("alice")
	_, err := f.stsFor(alice).DecodeAuthorizationMessage(f.ctx, &awssts.DecodeAuthorizationMessageInput{EncodedMessage: aws.String("abc")})
	wantAPIError(t, "DecodeAuthorizationMessage(not allowed)", err, "AccessDenied", "")
	f.putUserPolicy("alice", "p", allow("sts:DecodeAuthorizationMessage", ""))
	_, err = f.stsFor(alice).DecodeAuthorizationMessage(f.ctx, &awssts.DecodeAuthorizationMessageInput{EncodedMessage: aws.String("abc")})
	wantAPIError(t, "DecodeAuthorizationMessage(abc)", err, "InvalidAuthorizationMessageException", "")
}

// TestGetFederationTokenRoot: a root's federated session is limited by its
// session policy alone, and lasts an hour at most.
func TestGetFederationTokenRoot(t *testing.T) {
	f := newEnforceFixture(t)
	root := f.stsFor(f.c)
	_, err := root.GetFederationToken(f.ctx, &awssts.GetFederationTokenInput{Name: aws.String("ops"), DurationSeconds: aws.Int32(3601)})
	wantAPIError(t, "GetFederationToken(root, 3601 s)", err, "ValidationError", "")
	out := must(root.GetFederationToken(f.ctx, &awssts.GetFederationTokenInput{Name: aws.String("ops"),
		Policy: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}]}`)}))
	if d := out.Credentials.Expiration.Sub(f.now.Now()); d > time.Hour+time.Second || d < time.Hour-time.Minute {
		t.Errorf("root federation token lasts %v, want one hour", d)
	}
	p := f.principalOf(t, out.Credentials)
	for action, allowed := range map[string]bool{"iam:ListUsers": true, "iam:ListRoles": false} {
		if err := f.az.Authorize(f.ctx, &p, &authz.Request{Action: action, Resource: "*"}); (err == nil) != allowed {
			t.Errorf("Authorize(root's federated ops, %s) = %v, want allowed %v", action, err, allowed)
		}
	}
}
