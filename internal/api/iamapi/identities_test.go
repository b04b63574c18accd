package iamapi

import (
	"bytes"
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awscreds "github.com/aws/aws-sdk-go-v2/credentials"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/smithy-go"

	"github.com/iamq/iamq/internal/api/stsapi"
	"github.com/iamq/iamq/internal/authz"
	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/managed"
	"github.com/iamq/iamq/internal/server"
	"github.com/iamq/iamq/internal/server/servertest"
	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/internal/sts"
)

// idAccount is the account of the identity tests: dev mode makes a 12-digit
// access key the root of that account.
const idAccount = "111122223333"

const idTrust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`

// idFixture is a dev-mode endpoint over a SQLite store with the IAM service.
type idFixture struct {
	srv *servertest.Server
	st  store.Store
	c   *awsiam.Client // the root of idAccount
}

func newIDFixture(t *testing.T) *idFixture {
	t.Helper()
	st := servertest.OpenSQLite(t, store.Options{Key: bytes.Repeat([]byte{9}, 32)})
	s := newServer(st, server.Options{Dev: true, DefaultAccount: idAccount}, iam.New(st, managed.Builtin(), iam.Options{}), nil)
	srv := servertest.Start(s)
	t.Cleanup(srv.Close)
	f := &idFixture{srv: srv, st: st}
	f.c = f.client(idAccount, "anything")
	return f
}

func (f *idFixture) client(keyID, secret string) *awsiam.Client {
	return awsiam.NewFromConfig(aws.Config{
		Region:       "us-east-1",
		Credentials:  awscreds.NewStaticCredentialsProvider(keyID, secret, ""),
		BaseEndpoint: aws.String(f.srv.URL),
		HTTPClient:   f.srv.Client(),
		Retryer:      servertest.Retryer,
	})
}

// wantAPIError checks an SDK error's code and, when msg is not "", message.
func wantAPIError(t *testing.T, op string, err error, code, msg string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("%s = %v, want %s", op, err, code)
	}
	if ae.ErrorCode() != code || (msg != "" && ae.ErrorMessage() != msg) {
		t.Fatalf("%s = %s %q, want %s %q", op, ae.ErrorCode(), ae.ErrorMessage(), code, msg)
	}
}

// must returns v, or panics (failing the test with the caller's line) on an
// error: Go cannot pass a call's two results and a *testing.T together.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestIAMUsersSDK(t *testing.T) {
	f := newIDFixture(t)
	ctx := context.Background()
	out := must(f.c.CreateUser(ctx, &awsiam.CreateUserInput{UserName: aws.String("alice"), Path: aws.String("/eng/"),
		Tags: []iamtypes.Tag{{Key: aws.String("team"), Value: aws.String("a")}}}))
	u := out.User
	if aws.ToString(u.Arn) != "arn:aws:iam::"+idAccount+":user/eng/alice" || !strings.HasPrefix(aws.ToString(u.UserId), "AIDA") ||
		u.CreateDate == nil || len(u.Tags) != 1 {
		t.Errorf("CreateUser = %+v", u)
	}
	got := must(f.c.GetUser(ctx, &awsiam.GetUserInput{UserName: aws.String("ALICE")}))
	if aws.ToString(got.User.UserName) != "alice" || aws.ToString(got.User.Path) != "/eng/" {
		t.Errorf("GetUser = %+v", got.User)
	}
	self := must(f.c.GetUser(ctx, &awsiam.GetUserInput{}))
	if aws.ToString(self.User.Arn) != "arn:aws:iam::"+idAccount+":root" || aws.ToString(self.User.UserId) != idAccount {
		t.Errorf("GetUser() as root = %+v", self.User)
	}
	must(f.c.UpdateUser(ctx, &awsiam.UpdateUserInput{UserName: aws.String("alice"), NewUserName: aws.String("alicia")}))
	for _, n := range []string{"b", "c"} {
		must(f.c.CreateUser(ctx, &awsiam.CreateUserInput{UserName: aws.String(n)}))
	}
	p := must(f.c.ListUsers(ctx, &awsiam.ListUsersInput{MaxItems: aws.Int32(2)}))
	if len(p.Users) != 2 || !p.IsTruncated || p.Marker == nil || aws.ToString(p.Users[0].UserName) != "alicia" {
		t.Fatalf("ListUsers page 1 = %d users, truncated %v", len(p.Users), p.IsTruncated)
	}
	p = must(f.c.ListUsers(ctx, &awsiam.ListUsersInput{MaxItems: aws.Int32(2), Marker: p.Marker}))
	if len(p.Users) != 1 || p.IsTruncated || aws.ToString(p.Users[0].UserName) != "c" {
		t.Fatalf("ListUsers page 2 = %+v", p.Users)
	}
	all := 0
	pager := awsiam.NewListUsersPaginator(f.c, &awsiam.ListUsersInput{MaxItems: aws.Int32(1)})
	for pager.HasMorePages() {
		all += len(must(pager.NextPage(ctx)).Users)
	}
	if all != 3 {
		t.Errorf("ListUsers paginator saw %d users, want 3", all)
	}
	must(f.c.TagUser(ctx, &awsiam.TagUserInput{UserName: aws.String("b"), Tags: []iamtypes.Tag{{Key: aws.String("k"), Value: aws.String("v")}}}))
	tags := must(f.c.ListUserTags(ctx, &awsiam.ListUserTagsInput{UserName: aws.String("b")}))
	if len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Value) != "v" {
		t.Errorf("ListUserTags = %+v", tags.Tags)
	}
	must(f.c.UntagUser(ctx, &awsiam.UntagUserInput{UserName: aws.String("b"), TagKeys: []string{"k"}}))
	if tags := must(f.c.ListUserTags(ctx, &awsiam.ListUserTagsInput{UserName: aws.String("b")})); len(tags.Tags) != 0 {
		t.Errorf("ListUserTags after UntagUser = %+v", tags.Tags)
	}
	must(f.c.DeleteUser(ctx, &awsiam.DeleteUserInput{UserName: aws.String("c")}))
}

func TestIAMUserErrorsSDK(t *testing.T) {
	f := newIDFixture(t)
	ctx := context.Background()
	must(f.c.CreateUser(ctx, &awsiam.CreateUserInput{UserName: aws.String("alice")}))
	tests := []struct {
		name      string
		call      func() error
		code, msg string
	}{
		{"duplicate", func() error {
			_, err := f.c.CreateUser(ctx, &awsiam.CreateUserInput{UserName: aws.String("Alice")})
			return err
		}, "EntityAlreadyExists", "User with name Alice already exists."},
		{"bad name", func() error {
			_, err := f.c.CreateUser(ctx, &awsiam.CreateUserInput{UserName: aws.String("a b")})
			return err
		}, "ValidationError", "The specified value for userName is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-"},
		{"bad path", func() error {
			_, err := f.c.CreateUser(ctx, &awsiam.CreateUserInput{UserName: aws.String("x"), Path: aws.String("eng/")})
			return err
		}, "ValidationError", "The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters."},
		{"name too long", func() error {
			_, err := f.c.CreateUser(ctx, &awsiam.CreateUserInput{UserName: aws.String(strings.Repeat("n", 65))})
			return err
		}, "ValidationError", "1 validation error detected: Value '" + strings.Repeat("n", 65) + "' at 'userName' failed to satisfy constraint: Member must have length less than or equal to 64"},
		{"missing", func() error {
			_, err := f.c.GetUser(ctx, &awsiam.GetUserInput{UserName: aws.String("nobody")})
			return err
		}, "NoSuchEntity", "The user with name nobody cannot be found."},
		{"delete missing", func() error {
			_, err := f.c.DeleteUser(ctx, &awsiam.DeleteUserInput{UserName: aws.String("nobody")})
			return err
		}, "NoSuchEntity", "The user with name nobody cannot be found."},
		{"bad marker", func() error {
			_, err := f.c.ListUserTags(ctx, &awsiam.ListUserTagsInput{UserName: aws.String("alice"), Marker: aws.String("forged")})
			return err
		}, "InvalidInput", "Invalid Marker."},
		{"max items 0", func() error {
			_, err := f.c.ListUsers(ctx, &awsiam.ListUsersInput{MaxItems: aws.Int32(0)})
			return err
		}, "ValidationError", "1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"login profile", func() error {
			_, err := f.c.GetLoginProfile(ctx, &awsiam.GetLoginProfileInput{UserName: aws.String("alice")})
			return err
		}, "NoSuchEntity", "Login Profile for User alice cannot be found."},
		{"login profile of nobody", func() error {
			_, err := f.c.GetLoginProfile(ctx, &awsiam.GetLoginProfileInput{UserName: aws.String("nobody")})
			return err
		}, "NoSuchEntity", "The user with name nobody cannot be found."},
		{"mfa of nobody", func() error {
			_, err := f.c.ListMFADevices(ctx, &awsiam.ListMFADevicesInput{UserName: aws.String("nobody")})
			return err
		}, "NoSuchEntity", "The user with name nobody cannot be found."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantAPIError(t, tt.name, tt.call(), tt.code, tt.msg) })
	}
	if p := must(f.c.ListUsers(ctx, &awsiam.ListUsersInput{})); len(p.Users) != 1 {
		t.Errorf("refused requests changed the users: %d", len(p.Users))
	}
	for _, call := range []func() (int, error){
		func() (int, error) {
			o, err := f.c.ListMFADevices(ctx, &awsiam.ListMFADevicesInput{UserName: aws.String("alice")})
			return len(o.MFADevices), err
		},
		func() (int, error) {
			o, err := f.c.ListSSHPublicKeys(ctx, &awsiam.ListSSHPublicKeysInput{UserName: aws.String("alice")})
			return len(o.SSHPublicKeys), err
		},
		func() (int, error) {
			o, err := f.c.ListServiceSpecificCredentials(ctx, &awsiam.ListServiceSpecificCredentialsInput{UserName: aws.String("alice")})
			return len(o.ServiceSpecificCredentials), err
		},
		func() (int, error) {
			o, err := f.c.ListVirtualMFADevices(ctx, &awsiam.ListVirtualMFADevicesInput{})
			return len(o.VirtualMFADevices), err
		},
		func() (int, error) {
			o, err := f.c.ListSigningCertificates(ctx, &awsiam.ListSigningCertificatesInput{UserName: aws.String("alice")})
			return len(o.Certificates), err
		},
	} {
		if n, err := call(); err != nil || n != 0 {
			t.Errorf("empty credential list = %d, %v", n, err)
		}
	}
}

func TestIAMGroupsSDK(t *testing.T) {
	f := newIDFixture(t)
	ctx := context.Background()
	must(f.c.CreateUser(ctx, &awsiam.CreateUserInput{UserName: aws.String("u")}))
	g := must(f.c.CreateGroup(ctx, &awsiam.CreateGroupInput{GroupName: aws.String("devs"), Path: aws.String("/t/")}))
	if aws.ToString(g.Group.Arn) != "arn:aws:iam::"+idAccount+":group/t/devs" {
		t.Errorf("CreateGroup = %+v", g.Group)
	}
	_, err := f.c.CreateGroup(ctx, &awsiam.CreateGroupInput{GroupName: aws.String("DEVS")})
	wantAPIError(t, "CreateGroup(DEVS)", err, "EntityAlreadyExists", "Group with name DEVS already exists.")
	must(f.c.AddUserToGroup(ctx, &awsiam.AddUserToGroupInput{GroupName: aws.String("devs"), UserName: aws.String("u")}))
	gg := must(f.c.GetGroup(ctx, &awsiam.GetGroupInput{GroupName: aws.String("devs")}))
	if len(gg.Users) != 1 || aws.ToString(gg.Users[0].UserName) != "u" {
		t.Errorf("GetGroup users = %+v", gg.Users)
	}
	if l := must(f.c.ListGroupsForUser(ctx, &awsiam.ListGroupsForUserInput{UserName: aws.String("u")})); len(l.Groups) != 1 {
		t.Errorf("ListGroupsForUser = %+v", l.Groups)
	}
	_, err = f.c.DeleteGroup(ctx, &awsiam.DeleteGroupInput{GroupName: aws.String("devs")})
	wantAPIError(t, "DeleteGroup(with member)", err, "DeleteConflict", "Cannot delete entity, must remove users from group first.")
	_, err = f.c.DeleteUser(ctx, &awsiam.DeleteUserInput{UserName: aws.String("u")})
	wantAPIError(t, "DeleteUser(member)", err, "DeleteConflict", "Cannot delete entity, must remove user from all groups first.")
	must(f.c.UpdateGroup(ctx, &awsiam.UpdateGroupInput{GroupName: aws.String("devs"), NewGroupName: aws.String("ops"), NewPath: aws.String("/")}))
	must(f.c.RemoveUserFromGroup(ctx, &awsiam.RemoveUserFromGroupInput{GroupName: aws.String("ops"), UserName: aws.String("u")}))
	must(f.c.DeleteGroup(ctx, &awsiam.DeleteGroupInput{GroupName: aws.String("ops")}))
	if l := must(f.c.ListGroups(ctx, &awsiam.ListGroupsInput{})); len(l.Groups) != 0 {
		t.Errorf("ListGroups = %+v", l.Groups)
	}
}

func TestIAMRolesSDK(t *testing.T) {
	f := newIDFixture(t)
	ctx := context.Background()
	r := must(f.c.CreateRole(ctx, &awsiam.CreateRoleInput{RoleName: aws.String("web"), AssumeRolePolicyDocument: aws.String(idTrust),
		Description: aws.String("web servers"), MaxSessionDuration: aws.Int32(7200)}))
	// AWS's CreateRole answers no MaxSessionDuration, RoleLastUsed or empty
	// Tags (LocalStack's recorded answers of 2026); GetRole has them.
	if doc, _ := url.QueryUnescape(aws.ToString(r.Role.AssumeRolePolicyDocument)); doc != idTrust ||
		r.Role.MaxSessionDuration != nil || r.Role.RoleLastUsed != nil || r.Role.Tags != nil {
		t.Errorf("CreateRole = %+v (document %q), want no MaxSessionDuration, RoleLastUsed or Tags", r.Role, doc)
	}
	if g := must(f.c.GetRole(ctx, &awsiam.GetRoleInput{RoleName: aws.String("web")})).Role; aws.ToInt32(g.MaxSessionDuration) != 7200 || g.RoleLastUsed == nil || g.Tags != nil {
		t.Errorf("GetRole = %+v, want MaxSessionDuration 7200, an empty RoleLastUsed and no Tags", g)
	}
	tests := []struct {
		name      string
		in        *awsiam.CreateRoleInput
		code, msg string
	}{
		{"identity policy as trust", &awsiam.CreateRoleInput{RoleName: aws.String("x"),
			AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`)}, "MalformedPolicyDocument", ""},
		{"session too long", &awsiam.CreateRoleInput{RoleName: aws.String("x"), AssumeRolePolicyDocument: aws.String(idTrust), MaxSessionDuration: aws.Int32(43201)},
			"ValidationError", "1 validation error detected: Value '43201' at 'maxSessionDuration' failed to satisfy constraint: Member must have value less than or equal to 43200"},
		{"taken", &awsiam.CreateRoleInput{RoleName: aws.String("WEB"), AssumeRolePolicyDocument: aws.String(idTrust)}, "EntityAlreadyExists", "Role with name WEB already exists."},
		{"bad boundary", &awsiam.CreateRoleInput{RoleName: aws.String("x"), AssumeRolePolicyDocument: aws.String(idTrust),
			PermissionsBoundary: aws.String("arn:aws:iam::aws:role/nope")}, "InvalidInput", "ARN arn:aws:iam::aws:role/nope is not valid."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.c.CreateRole(ctx, tt.in)
			wantAPIError(t, "CreateRole", err, tt.code, tt.msg)
		})
	}
	must(f.c.UpdateRole(ctx, &awsiam.UpdateRoleInput{RoleName: aws.String("web"), MaxSessionDuration: aws.Int32(3600)}))
	d := must(f.c.UpdateRoleDescription(ctx, &awsiam.UpdateRoleDescriptionInput{RoleName: aws.String("web"), Description: aws.String("new")}))
	if aws.ToString(d.Role.Description) != "new" || d.Role.MaxSessionDuration != nil {
		t.Errorf("UpdateRoleDescription = %+v, want Description new and no MaxSessionDuration", d.Role)
	}
	if g := must(f.c.GetRole(ctx, &awsiam.GetRoleInput{RoleName: aws.String("web")})).Role; aws.ToInt32(g.MaxSessionDuration) != 3600 {
		t.Errorf("GetRole after UpdateRole = %+v, want MaxSessionDuration 3600", g)
	}
	must(f.c.UpdateAssumeRolePolicy(ctx, &awsiam.UpdateAssumeRolePolicyInput{RoleName: aws.String("web"), PolicyDocument: aws.String(idTrust)}))
	must(f.c.TagRole(ctx, &awsiam.TagRoleInput{RoleName: aws.String("web"), Tags: []iamtypes.Tag{{Key: aws.String("a"), Value: aws.String("b")}}}))
	if tags := must(f.c.ListRoleTags(ctx, &awsiam.ListRoleTagsInput{RoleName: aws.String("web")})); len(tags.Tags) != 1 {
		t.Errorf("ListRoleTags = %+v", tags.Tags)
	}
	must(f.c.UntagRole(ctx, &awsiam.UntagRoleInput{RoleName: aws.String("web"), TagKeys: []string{"a"}}))
	if l := must(f.c.ListRoles(ctx, &awsiam.ListRolesInput{})); len(l.Roles) != 1 {
		t.Errorf("ListRoles = %+v", l.Roles)
	}

	err := f.st.Update(ctx, idAccount, func(tx store.Tx) error {
		_, err := tx.CreateRole(store.Role{Name: "AWSServiceRoleForAmazonMQ", Path: "/aws-service-role/mq.amazonaws.com/", AssumeRolePolicy: idTrust, ServiceLinked: true})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	msg := "Cannot perform the operation on the protected role 'AWSServiceRoleForAmazonMQ' - this role is only modifiable by AWS"
	_, err = f.c.DeleteRole(ctx, &awsiam.DeleteRoleInput{RoleName: aws.String("AWSServiceRoleForAmazonMQ")})
	wantAPIError(t, "DeleteRole(SLR)", err, "UnmodifiableEntity", msg)
	_, err = f.c.UpdateAssumeRolePolicy(ctx, &awsiam.UpdateAssumeRolePolicyInput{RoleName: aws.String("AWSServiceRoleForAmazonMQ"), PolicyDocument: aws.String(idTrust)})
	wantAPIError(t, "UpdateAssumeRolePolicy(SLR)", err, "UnmodifiableEntity", msg)
	must(f.c.DeleteRole(ctx, &awsiam.DeleteRoleInput{RoleName: aws.String("web")}))
	_, err = f.c.GetRole(ctx, &awsiam.GetRoleInput{RoleName: aws.String("web")})
	wantAPIError(t, "GetRole(deleted)", err, "NoSuchEntity", "The role with name web cannot be found.")
}

func TestIAMInstanceProfilesSDK(t *testing.T) {
	f := newIDFixture(t)
	ctx := context.Background()
	must(f.c.CreateRole(ctx, &awsiam.CreateRoleInput{RoleName: aws.String("web"), AssumeRolePolicyDocument: aws.String(idTrust)}))
	p := must(f.c.CreateInstanceProfile(ctx, &awsiam.CreateInstanceProfileInput{InstanceProfileName: aws.String("web-ip")}))
	if aws.ToString(p.InstanceProfile.Arn) != "arn:aws:iam::"+idAccount+":instance-profile/web-ip" || p.InstanceProfile.Roles == nil {
		t.Errorf("CreateInstanceProfile = %+v", p.InstanceProfile)
	}
	must(f.c.AddRoleToInstanceProfile(ctx, &awsiam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String("web-ip"), RoleName: aws.String("web")}))
	g := must(f.c.GetInstanceProfile(ctx, &awsiam.GetInstanceProfileInput{InstanceProfileName: aws.String("web-ip")}))
	if len(g.InstanceProfile.Roles) != 1 || aws.ToString(g.InstanceProfile.Roles[0].RoleName) != "web" {
		t.Errorf("GetInstanceProfile roles = %+v", g.InstanceProfile.Roles)
	}
	if l := must(f.c.ListInstanceProfilesForRole(ctx, &awsiam.ListInstanceProfilesForRoleInput{RoleName: aws.String("web")})); len(l.InstanceProfiles) != 1 {
		t.Errorf("ListInstanceProfilesForRole = %+v", l.InstanceProfiles)
	}
	_, err := f.c.DeleteRole(ctx, &awsiam.DeleteRoleInput{RoleName: aws.String("web")})
	wantAPIError(t, "DeleteRole(in profile)", err, "DeleteConflict", "Cannot delete entity, must remove roles from instance profile first.")
	must(f.c.TagInstanceProfile(ctx, &awsiam.TagInstanceProfileInput{InstanceProfileName: aws.String("web-ip"), Tags: []iamtypes.Tag{{Key: aws.String("a"), Value: aws.String("b")}}}))
	if tags := must(f.c.ListInstanceProfileTags(ctx, &awsiam.ListInstanceProfileTagsInput{InstanceProfileName: aws.String("web-ip")})); len(tags.Tags) != 1 {
		t.Errorf("ListInstanceProfileTags = %+v", tags.Tags)
	}
	must(f.c.UntagInstanceProfile(ctx, &awsiam.UntagInstanceProfileInput{InstanceProfileName: aws.String("web-ip"), TagKeys: []string{"a"}}))
	must(f.c.RemoveRoleFromInstanceProfile(ctx, &awsiam.RemoveRoleFromInstanceProfileInput{InstanceProfileName: aws.String("web-ip"), RoleName: aws.String("web")}))
	must(f.c.DeleteInstanceProfile(ctx, &awsiam.DeleteInstanceProfileInput{InstanceProfileName: aws.String("web-ip")}))
	_, err = f.c.GetInstanceProfile(ctx, &awsiam.GetInstanceProfileInput{InstanceProfileName: aws.String("web-ip")})
	wantAPIError(t, "GetInstanceProfile(deleted)", err, "NoSuchEntity", "Instance Profile web-ip cannot be found.")
	if l := must(f.c.ListInstanceProfiles(ctx, &awsiam.ListInstanceProfilesInput{})); len(l.InstanceProfiles) != 0 {
		t.Errorf("ListInstanceProfiles = %+v", l.InstanceProfiles)
	}
}

func TestIAMTarget(t *testing.T) {
	f := newIDFixture(t)
	ctx := context.Background()
	must(f.c.CreateUser(ctx, &awsiam.CreateUserInput{UserName: aws.String("alice"), Path: aws.String("/eng/")}))
	s := &api{iam: iam.New(f.st, managed.Builtin(), iam.Options{})}
	tests := []struct {
		name, form, action, resource string
	}{
		{"existing user", "Action=GetUser&UserName=alice", "iam:GetUser", "arn:aws:iam::" + idAccount + ":user/eng/alice"},
		{"new user", "Action=CreateUser&UserName=bob&Path=/ops/", "iam:CreateUser", "arn:aws:iam::" + idAccount + ":user/ops/bob"},
		{"calling user", "Action=ListAccessKeys", "iam:ListAccessKeys", "arn:aws:iam::" + idAccount + ":root"},
		{"list", "Action=ListRoles&PathPrefix=/app/", "iam:ListRoles", "arn:aws:iam::" + idAccount + ":role/app/"},
		{"group", "Action=AddUserToGroup&GroupName=devs&UserName=alice", "iam:AddUserToGroup", "arn:aws:iam::" + idAccount + ":group/devs"},
		{"profile", "Action=GetInstanceProfile&InstanceProfileName=ip", "iam:GetInstanceProfile", "arn:aws:iam::" + idAccount + ":instance-profile/ip"},
		{"account", "Action=GetAccountSummary", "iam:GetAccountSummary", "*"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form, err := server.ParseForm(tt.form)
			if err != nil {
				t.Fatal(err)
			}
			c := &server.Call{Action: form.Get("Action"), Form: form, Caller: authz.Root(idAccount)}
			action, resource, ok := s.target(ctx, c)
			if !ok || action != tt.action || resource != tt.resource {
				t.Errorf("IAMTarget(%s) = %s %s %v, want %s %s", tt.form, action, resource, ok, tt.action, tt.resource)
			}
		})
	}
	if _, _, ok := s.target(ctx, &server.Call{Action: "GetCallerIdentity", Form: &server.Form{}}); ok {
		t.Error("IAMTarget(GetCallerIdentity) is ok, want not an IAM operation")
	}
}

// newServer is the endpoint with IAM's and STS's operations registered,
// enforcing policies when az is not nil, with o.Credentials or, when nil,
// credentials that follow no change sequence (dropped after every write).
func newServer(st store.Store, o server.Options, svc *iam.Service, az *authz.Authorizer) *server.Server {
	o.Authz = az
	if o.Credentials == nil {
		o.Credentials = newCredentials(st)
	}
	s := server.New(o)
	Register(s, svc, az)
	stsapi.Register(s, sts.New(st, sts.Options{Now: o.Now, Authz: az}))
	return s
}

// target is the action and resource the table gives a call; ok is false
// for an operation that is not IAM's.
func (a *api) target(ctx context.Context, c *server.Call) (action, resource string, ok bool) {
	for _, o := range a.operations() {
		if o.name == c.Action {
			return "iam:" + o.name, o.resource(ctx, a, c), true
		}
	}
	return "", "", false
}

// newCredentials is the endpoint's credential lookup over st, in dev mode.
func newCredentials(st store.Store) *authz.Credentials {
	return authz.NewCredentials(st, authz.CredentialsOptions{DevAccount: func(ctx context.Context, id string) error { return iam.EnsureAccount(ctx, st, id, "dev "+id) }})
}
