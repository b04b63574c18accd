package iamapi

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// TestAccountShapesComplete: GetAccountSummary counts identity providers,
// and GetAccountAuthorizationDetails gives an instance profile's tags and
// its roles' Description and MaxSessionDuration (the model's InstanceProfile
// and Role shapes).
func TestAccountShapesComplete(t *testing.T) {
	f := newIDFixture(t)
	ctx := context.Background()
	providers := func() int32 {
		t.Helper()
		return must(f.c.GetAccountSummary(ctx, &awsiam.GetAccountSummaryInput{})).SummaryMap["Providers"]
	}
	if n := providers(); n != 0 {
		t.Fatalf("Providers = %d, want 0", n)
	}
	must(f.c.CreateOpenIDConnectProvider(ctx, &awsiam.CreateOpenIDConnectProviderInput{Url: aws.String("https://token.example.com"),
		ClientIDList: []string{"sts.amazonaws.com"}, ThumbprintList: []string{"0123456789abcdef0123456789abcdef01234567"}}))
	if n := providers(); n != 1 {
		t.Fatalf("Providers = %d after CreateOpenIDConnectProvider, want 1", n)
	}

	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	must(f.c.CreateRole(ctx, &awsiam.CreateRoleInput{RoleName: aws.String("web"), AssumeRolePolicyDocument: aws.String(trust),
		Description: aws.String("web servers"), MaxSessionDuration: aws.Int32(7200)}))
	must(f.c.CreateInstanceProfile(ctx, &awsiam.CreateInstanceProfileInput{InstanceProfileName: aws.String("web"),
		Tags: []iamtypes.Tag{{Key: aws.String("team"), Value: aws.String("mq")}}}))
	must(f.c.AddRoleToInstanceProfile(ctx, &awsiam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String("web"), RoleName: aws.String("web")}))
	d := must(f.c.GetAccountAuthorizationDetails(ctx, &awsiam.GetAccountAuthorizationDetailsInput{Filter: []iamtypes.EntityType{iamtypes.EntityTypeRole}}))
	if len(d.RoleDetailList) != 1 || len(d.RoleDetailList[0].InstanceProfileList) != 1 {
		t.Fatalf("RoleDetailList = %+v", d.RoleDetailList)
	}
	p := d.RoleDetailList[0].InstanceProfileList[0]
	if len(p.Tags) != 1 || aws.ToString(p.Tags[0].Key) != "team" || len(p.Roles) != 1 ||
		aws.ToString(p.Roles[0].Description) != "web servers" || aws.ToInt32(p.Roles[0].MaxSessionDuration) != 7200 {
		t.Errorf("instance profile = %+v, roles %+v", p, p.Roles)
	}
}
