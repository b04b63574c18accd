package iamapi

import (
	"context"
	"net/url"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awscreds "github.com/aws/aws-sdk-go-v2/credentials"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/managed"
	"github.com/iamq/iamq/internal/server"
	"github.com/iamq/iamq/internal/server/servertest"
	"github.com/iamq/iamq/internal/store"
)

func TestIAMAccessKeysSDK(t *testing.T) {
	f := newIDFixture(t)
	ctx := context.Background()
	must(f.c.CreateUser(ctx, &awsiam.CreateUserInput{UserName: aws.String("ci")}))
	k1 := must(f.c.CreateAccessKey(ctx, &awsiam.CreateAccessKeyInput{UserName: aws.String("ci")})).AccessKey
	if aws.ToString(k1.UserName) != "ci" || len(aws.ToString(k1.AccessKeyId)) != 20 || aws.ToString(k1.SecretAccessKey) == "" || k1.Status != iamtypes.StatusTypeActive {
		t.Fatalf("CreateAccessKey = %+v", k1)
	}
	must(f.c.CreateAccessKey(ctx, &awsiam.CreateAccessKeyInput{UserName: aws.String("ci")}))
	_, err := f.c.CreateAccessKey(ctx, &awsiam.CreateAccessKeyInput{UserName: aws.String("ci")})
	wantAPIError(t, "CreateAccessKey(third)", err, "LimitExceeded", "Cannot exceed quota for AccessKeysPerUser: 2")
	l := must(f.c.ListAccessKeys(ctx, &awsiam.ListAccessKeysInput{UserName: aws.String("ci")}))
	if len(l.AccessKeyMetadata) != 2 {
		t.Fatalf("ListAccessKeys = %+v", l.AccessKeyMetadata)
	}

	// The user's own key works, and answers for "the calling user".
	user := f.client(aws.ToString(k1.AccessKeyId), aws.ToString(k1.SecretAccessKey))
	self := must(user.GetUser(ctx, &awsiam.GetUserInput{}))
	if aws.ToString(self.User.UserName) != "ci" {
		t.Errorf("GetUser() as ci = %+v", self.User)
	}
	if mine := must(user.ListAccessKeys(ctx, &awsiam.ListAccessKeysInput{})); len(mine.AccessKeyMetadata) != 2 {
		t.Errorf("ListAccessKeys() as ci = %d keys", len(mine.AccessKeyMetadata))
	}
	lu := must(f.c.GetAccessKeyLastUsed(ctx, &awsiam.GetAccessKeyLastUsedInput{AccessKeyId: k1.AccessKeyId}))
	if aws.ToString(lu.UserName) != "ci" || lu.AccessKeyLastUsed == nil || aws.ToString(lu.AccessKeyLastUsed.ServiceName) == "" {
		t.Errorf("GetAccessKeyLastUsed = %+v", lu)
	}

	// An inactive key is refused from the next request on. (Outside dev
	// mode: dev mode takes a key it does not know for a root's.)
	strict := servertest.Start(newServer(f.st, server.Options{}, iam.New(f.st, managed.Builtin(), iam.Options{}), nil))
	defer strict.Close()
	strictUser := awsiam.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(strict.URL), Retryer: servertest.Retryer,
		Credentials: awscreds.NewStaticCredentialsProvider(aws.ToString(k1.AccessKeyId), aws.ToString(k1.SecretAccessKey), "")})
	must(strictUser.GetUser(ctx, &awsiam.GetUserInput{}))
	var root store.AccessKey
	if err := f.st.Update(ctx, idAccount, func(tx store.Tx) error {
		var err error
		root, err = tx.CreateAccessKey(store.AccessKey{Owner: store.EntityRef{Kind: store.KindAccount}})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	strictRoot := awsiam.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(strict.URL), Retryer: servertest.Retryer,
		Credentials: awscreds.NewStaticCredentialsProvider(root.ID, root.Secret, "")})
	must(strictRoot.UpdateAccessKey(ctx, &awsiam.UpdateAccessKeyInput{UserName: aws.String("ci"), AccessKeyId: k1.AccessKeyId, Status: iamtypes.StatusTypeInactive}))
	_, err = strictUser.GetUser(ctx, &awsiam.GetUserInput{})
	wantAPIError(t, "GetUser with an inactive key", err, "InvalidClientTokenId", "")
	_, err = f.c.UpdateAccessKey(ctx, &awsiam.UpdateAccessKeyInput{UserName: aws.String("ci"), AccessKeyId: aws.String("AKIANOSUCHKEY0000000"), Status: iamtypes.StatusTypeActive})
	wantAPIError(t, "UpdateAccessKey(unknown)", err, "NoSuchEntity", "The Access Key with id AKIANOSUCHKEY0000000 cannot be found.")
	_, err = f.c.DeleteUser(ctx, &awsiam.DeleteUserInput{UserName: aws.String("ci")})
	wantAPIError(t, "DeleteUser(with keys)", err, "DeleteConflict", "Cannot delete entity, must delete access keys first.")
	for _, k := range l.AccessKeyMetadata {
		must(f.c.DeleteAccessKey(ctx, &awsiam.DeleteAccessKeyInput{UserName: aws.String("ci"), AccessKeyId: k.AccessKeyId}))
	}
	_, err = f.c.DeleteAccessKey(ctx, &awsiam.DeleteAccessKeyInput{UserName: aws.String("ci"), AccessKeyId: k1.AccessKeyId})
	wantAPIError(t, "DeleteAccessKey(again)", err, "NoSuchEntity", "")
	must(f.c.DeleteUser(ctx, &awsiam.DeleteUserInput{UserName: aws.String("ci")}))
}

func TestIAMAccountSDK(t *testing.T) {
	f := newIDFixture(t)
	ctx := context.Background()
	must(f.c.CreateUser(ctx, &awsiam.CreateUserInput{UserName: aws.String("u"), PermissionsBoundary: aws.String("arn:aws:iam::aws:policy/ReadOnlyAccess")}))
	must(f.c.CreateGroup(ctx, &awsiam.CreateGroupInput{GroupName: aws.String("g")}))
	must(f.c.AddUserToGroup(ctx, &awsiam.AddUserToGroupInput{GroupName: aws.String("g"), UserName: aws.String("u")}))
	must(f.c.CreateRole(ctx, &awsiam.CreateRoleInput{RoleName: aws.String("r"), AssumeRolePolicyDocument: aws.String(idTrust)}))
	must(f.c.CreateInstanceProfile(ctx, &awsiam.CreateInstanceProfileInput{InstanceProfileName: aws.String("p")}))
	must(f.c.AddRoleToInstanceProfile(ctx, &awsiam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String("p"), RoleName: aws.String("r")}))
	err := f.st.Update(ctx, idAccount, func(tx store.Tx) error {
		if err := tx.AttachPolicy(store.EntityRef{Kind: store.KindRole, Name: "r"}, "arn:aws:iam::aws:policy/AmazonMQReadOnlyAccess"); err != nil {
			return err
		}
		return tx.PutInlinePolicy(store.EntityRef{Kind: store.KindUser, Name: "u"}, store.InlinePolicy{Name: "inline",
			Document: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}`, Size: 80})
	})
	if err != nil {
		t.Fatal(err)
	}

	sum := must(f.c.GetAccountSummary(ctx, &awsiam.GetAccountSummaryInput{}))
	want := map[iamtypes.SummaryKeyType]int32{"Users": 1, "Groups": 1, "Roles": 1, "InstanceProfiles": 1, "UsersQuota": 5000,
		"PolicySizeQuota": 6144, "AttachedPoliciesPerUserQuota": 10, "AssumeRolePolicySizeQuota": 2048, "GroupsPerUserQuota": 10}
	for k, v := range want {
		if sum.SummaryMap[string(k)] != v {
			t.Errorf("GetAccountSummary[%s] = %d, want %d", k, sum.SummaryMap[string(k)], v)
		}
	}

	d := must(f.c.GetAccountAuthorizationDetails(ctx, &awsiam.GetAccountAuthorizationDetailsInput{}))
	if len(d.UserDetailList) != 1 || len(d.GroupDetailList) != 1 || len(d.RoleDetailList) != 1 {
		t.Fatalf("GetAccountAuthorizationDetails = %d users, %d groups, %d roles", len(d.UserDetailList), len(d.GroupDetailList), len(d.RoleDetailList))
	}
	u := d.UserDetailList[0]
	if len(u.GroupList) != 1 || len(u.UserPolicyList) != 1 || u.PermissionsBoundary == nil {
		t.Errorf("UserDetail = %+v", u)
	}
	if doc, _ := url.QueryUnescape(aws.ToString(u.UserPolicyList[0].PolicyDocument)); doc == "" || doc[0] != '{' {
		t.Errorf("inline document = %q, want the URL-encoded JSON", aws.ToString(u.UserPolicyList[0].PolicyDocument))
	}
	r := d.RoleDetailList[0]
	if len(r.InstanceProfileList) != 1 || len(r.AttachedManagedPolicies) != 1 {
		t.Errorf("RoleDetail = %+v", r)
	}
	var mq *iamtypes.ManagedPolicyDetail
	for i := range d.Policies {
		if aws.ToString(d.Policies[i].PolicyName) == "AmazonMQReadOnlyAccess" {
			mq = &d.Policies[i]
		}
	}
	if mq == nil || len(mq.PolicyVersionList) != 2 || aws.ToInt32(mq.AttachmentCount) != 1 {
		t.Errorf("AWS managed policy in use = %+v", mq)
	}
	paged := 0
	p := awsiam.NewGetAccountAuthorizationDetailsPaginator(f.c, &awsiam.GetAccountAuthorizationDetailsInput{MaxItems: aws.Int32(1)})
	for p.HasMorePages() {
		page := must(p.NextPage(ctx))
		paged += len(page.UserDetailList) + len(page.GroupDetailList) + len(page.RoleDetailList) + len(page.Policies)
	}
	if all := 3 + len(d.Policies); paged != all {
		t.Errorf("paginated details = %d entries, want %d", paged, all)
	}
	only := must(f.c.GetAccountAuthorizationDetails(ctx, &awsiam.GetAccountAuthorizationDetailsInput{Filter: []iamtypes.EntityType{iamtypes.EntityTypeRole}}))
	if len(only.UserDetailList) != 0 || len(only.RoleDetailList) != 1 || len(only.Policies) != 0 {
		t.Errorf("Filter=Role = %d users, %d roles, %d policies", len(only.UserDetailList), len(only.RoleDetailList), len(only.Policies))
	}

	must(f.c.CreateAccountAlias(ctx, &awsiam.CreateAccountAliasInput{AccountAlias: aws.String("my-team")}))
	if a := must(f.c.ListAccountAliases(ctx, &awsiam.ListAccountAliasesInput{})); len(a.AccountAliases) != 1 || a.AccountAliases[0] != "my-team" {
		t.Errorf("ListAccountAliases = %v", a.AccountAliases)
	}
	other := f.client("444455556666", "x")
	_, err = other.CreateAccountAlias(ctx, &awsiam.CreateAccountAliasInput{AccountAlias: aws.String("my-team")})
	wantAPIError(t, "CreateAccountAlias(taken by another account)", err, "EntityAlreadyExists", "The account alias my-team already exists.")
	_, err = f.c.CreateAccountAlias(ctx, &awsiam.CreateAccountAliasInput{AccountAlias: aws.String("Bad--Alias")})
	wantAPIError(t, "CreateAccountAlias(bad)", err, "ValidationError", "")
	must(f.c.DeleteAccountAlias(ctx, &awsiam.DeleteAccountAliasInput{AccountAlias: aws.String("my-team")}))
	if a := must(f.c.ListAccountAliases(ctx, &awsiam.ListAccountAliasesInput{})); len(a.AccountAliases) != 0 {
		t.Errorf("ListAccountAliases after delete = %v", a.AccountAliases)
	}
}
