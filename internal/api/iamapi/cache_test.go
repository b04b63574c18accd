package iamapi

import (
	"bytes"
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awscreds "github.com/aws/aws-sdk-go-v2/credentials"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	awssts "github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/iamq/iamq/internal/authz"
	"github.com/iamq/iamq/internal/server/servertest"
	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/internal/store/postgres"
	"github.com/iamq/iamq/internal/store/postgres/pgtest"
)

// forEachStore runs test on an enforcing endpoint over SQLite and, when
// IAMQ_TEST_POSTGRES names a server (scripts/test.sh starts one), over a
// fresh PostgreSQL schema.
func forEachStore(t *testing.T, test func(t *testing.T, f *enFixture)) {
	t.Run("sqlite", func(t *testing.T) { test(t, newEnforceFixture(t)) })
	if !pgtest.Available() {
		return
	}
	t.Run("postgres", func(t *testing.T) {
		st, err := postgres.Open(context.Background(), pgtest.SchemaURL(t), store.Options{Key: bytes.Repeat([]byte{9}, 32)})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		test(t, newEnforceFixtureOn(t, st))
	})
}

// cached is what the endpoint's caches hold for an access key: the key's
// principal and its compiled set. A cache hit returns the same pointers.
func (f *enFixture) cached(keyID string) (*authz.Principal, any) {
	f.t.Helper()
	k, err := f.creds.Lookup(f.ctx, keyID)
	if err != nil {
		f.t.Fatalf("Lookup(%s) = %v", keyID, err)
	}
	set, _, err := f.az.Set(f.ctx, k.Principal)
	if err != nil {
		f.t.Fatalf("Set(%s) = %v", k.Principal.Name, err)
	}
	return k.Principal, set
}

// TestWritesKeepCaches: a write that cannot change what a caller may do
// (an SSH key, a service credential, a certificate, a password, the
// password policy, an MFA device, an account alias, an STS setting, a group
// alice is not in, a policy she does not hold) keeps
// the caller's cached key and compiled set; a change of the caller (a tag)
// drops both, and the next call is decided on the new state.
func TestWritesKeepCaches(t *testing.T) {
	forEachStore(t, func(t *testing.T, f *enFixture) {
		alice, keyID := f.user("alice", iamtypes.Tag{Key: aws.String("team"), Value: aws.String("blue")})
		f.putUserPolicy("alice", "blue", allow("iam:ListUsers", `{"StringEquals":{"aws:PrincipalTag/team":"blue"}}`))
		if err := listUsers(f.ctx, alice); err != nil {
			t.Fatal(err)
		}
		p, set := f.cached(keyID)
		for _, w := range harmlessWrites(t, f) {
			if err := w.write(); err != nil {
				t.Fatalf("%s = %v", w.name, err)
			}
			if err := listUsers(f.ctx, alice); err != nil {
				t.Fatalf("ListUsers after %s = %v", w.name, err)
			}
			if p2, set2 := f.cached(keyID); p2 != p || set2 != set {
				t.Errorf("%s dropped alice's cached key (%v) or compiled set (%v), want both kept", w.name, p2 != p, set2 != set)
			}
		}
		// A tag used in a condition is part of the caller: untagging
		// drops alice's key and set, and she is denied at once.
		must(f.c.UntagUser(f.ctx, &awsiam.UntagUserInput{UserName: aws.String("alice"), TagKeys: []string{"team"}}))
		if p2, set2 := f.cached(keyID); p2 == p || set2 == set {
			t.Errorf("UntagUser kept alice's cached key (%v) or compiled set (%v), want both dropped", p2 == p, set2 == set)
		}
		wantDenied(t, "ListUsers after UntagUser(team)", listUsers(f.ctx, alice), "")
	})
}

// TestWritesRevokeAtOnce: what takes access away is enforced from the very
// next call, caches warm: a deleted key, a deactivated key, a detached
// policy, a removed group membership, a policy detached from a group, a
// deleted role's sessions.
func TestWritesRevokeAtOnce(t *testing.T) {
	forEachStore(t, func(t *testing.T, f *enFixture) {
		listAll := f.policy("list", allow("iam:ListUsers", ""))
		attach := func(user string) {
			must(f.c.AttachUserPolicy(f.ctx, &awsiam.AttachUserPolicyInput{UserName: aws.String(user), PolicyArn: aws.String(listAll)}))
		}
		warm := func(name string, c *awsiam.Client) {
			t.Helper()
			for range 2 {
				if err := listUsers(f.ctx, c); err != nil {
					t.Fatalf("ListUsers as %s = %v", name, err)
				}
			}
		}

		alice, aliceKey := f.user("alice")
		attach("alice")
		warm("alice", alice)
		must(f.c.DeleteAccessKey(f.ctx, &awsiam.DeleteAccessKeyInput{UserName: aws.String("alice"), AccessKeyId: aws.String(aliceKey)}))
		wantAPIError(t, "ListUsers with a deleted key", listUsers(f.ctx, alice), "InvalidClientTokenId", "")

		bob, bobKey := f.user("bob")
		attach("bob")
		warm("bob", bob)
		must(f.c.UpdateAccessKey(f.ctx, &awsiam.UpdateAccessKeyInput{UserName: aws.String("bob"), AccessKeyId: aws.String(bobKey), Status: iamtypes.StatusTypeInactive}))
		wantAPIError(t, "ListUsers with an inactive key", listUsers(f.ctx, bob), "InvalidClientTokenId", "")
		must(f.c.UpdateAccessKey(f.ctx, &awsiam.UpdateAccessKeyInput{UserName: aws.String("bob"), AccessKeyId: aws.String(bobKey), Status: iamtypes.StatusTypeActive}))
		warm("bob again", bob)

		carol, _ := f.user("carol")
		attach("carol")
		warm("carol", carol)
		must(f.c.DetachUserPolicy(f.ctx, &awsiam.DetachUserPolicyInput{UserName: aws.String("carol"), PolicyArn: aws.String(listAll)}))
		wantDenied(t, "ListUsers after DetachUserPolicy", listUsers(f.ctx, carol), "")

		dave, _ := f.user("dave")
		must(f.c.CreateGroup(f.ctx, &awsiam.CreateGroupInput{GroupName: aws.String("listers")}))
		must(f.c.AttachGroupPolicy(f.ctx, &awsiam.AttachGroupPolicyInput{GroupName: aws.String("listers"), PolicyArn: aws.String(listAll)}))
		must(f.c.AddUserToGroup(f.ctx, &awsiam.AddUserToGroupInput{GroupName: aws.String("listers"), UserName: aws.String("dave")}))
		warm("dave", dave)
		must(f.c.RemoveUserFromGroup(f.ctx, &awsiam.RemoveUserFromGroupInput{GroupName: aws.String("listers"), UserName: aws.String("dave")}))
		wantDenied(t, "ListUsers after RemoveUserFromGroup", listUsers(f.ctx, dave), "")
		must(f.c.AddUserToGroup(f.ctx, &awsiam.AddUserToGroupInput{GroupName: aws.String("listers"), UserName: aws.String("dave")}))
		warm("dave in the group again", dave)
		must(f.c.DetachGroupPolicy(f.ctx, &awsiam.DetachGroupPolicyInput{GroupName: aws.String("listers"), PolicyArn: aws.String(listAll)}))
		wantDenied(t, "ListUsers after DetachGroupPolicy", listUsers(f.ctx, dave), "")

		// A deleted role's sessions end with it (their keys are deleted).
		erin, _ := f.user("erin")
		f.putUserPolicy("erin", "assume", allow("sts:AssumeRole", ""))
		trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + idAccount + `:root"},"Action":"sts:AssumeRole"}]}`
		role := must(f.c.CreateRole(f.ctx, &awsiam.CreateRoleInput{RoleName: aws.String("ops"), AssumeRolePolicyDocument: aws.String(trust)}))
		must(f.c.AttachRolePolicy(f.ctx, &awsiam.AttachRolePolicyInput{RoleName: aws.String("ops"), PolicyArn: aws.String(listAll)}))
		stsc := awssts.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(f.srv.URL), HTTPClient: f.srv.Client(), Retryer: servertest.Retryer,
			Credentials: erin.Options().Credentials})
		cr := must(stsc.AssumeRole(f.ctx, &awssts.AssumeRoleInput{RoleArn: role.Role.Arn, RoleSessionName: aws.String("ci")})).Credentials
		session := awsiam.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(f.srv.URL), HTTPClient: f.srv.Client(), Retryer: servertest.Retryer,
			Credentials: awscreds.NewStaticCredentialsProvider(aws.ToString(cr.AccessKeyId), aws.ToString(cr.SecretAccessKey), aws.ToString(cr.SessionToken))})
		warm("ops session", session)
		must(f.c.DetachRolePolicy(f.ctx, &awsiam.DetachRolePolicyInput{RoleName: aws.String("ops"), PolicyArn: aws.String(listAll)}))
		wantDenied(t, "ListUsers as a session after DetachRolePolicy", listUsers(f.ctx, session), "")
		must(f.c.DeleteRole(f.ctx, &awsiam.DeleteRoleInput{RoleName: aws.String("ops")}))
		wantAPIError(t, "ListUsers as a session of a deleted role", listUsers(f.ctx, session), "InvalidClientTokenId", "")
	})
}

// write is one write of a test: its operation's name and the call.
type write struct {
	name  string
	write func() error
}

// harmlessWrites are writes by the root that cannot change what alice may
// do.
func harmlessWrites(t *testing.T, f *enFixture) []write {
	return []write{
		{"PutGroupPolicy on a group alice is not in", func() error {
			if _, err := f.c.CreateGroup(f.ctx, &awsiam.CreateGroupInput{GroupName: aws.String("others")}); err != nil {
				return err
			}
			_, err := f.c.PutGroupPolicy(f.ctx, &awsiam.PutGroupPolicyInput{GroupName: aws.String("others"), PolicyName: aws.String("p"), PolicyDocument: aws.String(allow("iam:*", ""))})
			return err
		}},
		{"CreatePolicyVersion of a policy alice does not hold", func() error {
			arn := f.policy("unheld", allow("iam:GetUser", ""))
			_, err := f.c.CreatePolicyVersion(f.ctx, &awsiam.CreatePolicyVersionInput{PolicyArn: aws.String(arn), PolicyDocument: aws.String(allow("iam:*", "")), SetAsDefault: true})
			return err
		}},
		{"UploadSSHPublicKey", func() error {
			_, err := f.c.UploadSSHPublicKey(f.ctx, &awsiam.UploadSSHPublicKeyInput{UserName: aws.String("alice"), SSHPublicKeyBody: aws.String(credFile(t, "rsa2048.pub"))})
			return err
		}},
		{"CreateServiceSpecificCredential", func() error {
			_, err := f.c.CreateServiceSpecificCredential(f.ctx, &awsiam.CreateServiceSpecificCredentialInput{UserName: aws.String("alice"), ServiceName: aws.String("codecommit.amazonaws.com")})
			return err
		}},
		{"UploadSigningCertificate", func() error {
			_, err := f.c.UploadSigningCertificate(f.ctx, &awsiam.UploadSigningCertificateInput{UserName: aws.String("alice"), CertificateBody: aws.String(credFile(t, "leaf-rsa.pem"))})
			return err
		}},
		{"UploadServerCertificate", func() error {
			_, err := f.c.UploadServerCertificate(f.ctx, &awsiam.UploadServerCertificateInput{ServerCertificateName: aws.String("web"),
				CertificateBody: aws.String(credFile(t, "leaf-rsa.pem")), PrivateKey: aws.String(credFile(t, "leaf-rsa.key"))})
			return err
		}},
		{"UpdateAccountPasswordPolicy", func() error {
			_, err := f.c.UpdateAccountPasswordPolicy(f.ctx, &awsiam.UpdateAccountPasswordPolicyInput{MinimumPasswordLength: aws.Int32(12)})
			return err
		}},
		{"CreateLoginProfile", func() error {
			_, err := f.c.CreateLoginProfile(f.ctx, &awsiam.CreateLoginProfileInput{UserName: aws.String("alice"), Password: aws.String("correct-Horse-7-battery")})
			return err
		}},
		{"CreateVirtualMFADevice", func() error {
			_, err := f.c.CreateVirtualMFADevice(f.ctx, &awsiam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("alice")})
			return err
		}},
		{"CreateAccountAlias", func() error {
			_, err := f.c.CreateAccountAlias(f.ctx, &awsiam.CreateAccountAliasInput{AccountAlias: aws.String("cache-test")})
			return err
		}},
		{"SetSecurityTokenServicePreferences", func() error {
			_, err := f.c.SetSecurityTokenServicePreferences(f.ctx, &awsiam.SetSecurityTokenServicePreferencesInput{GlobalEndpointTokenVersion: iamtypes.GlobalEndpointTokenVersionV2Token})
			return err
		}},
	}
}
