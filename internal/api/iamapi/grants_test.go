package iamapi

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// TestListPoliciesGrantingServiceAccessSDK: through the SDK, a role's inline
// and AWS managed policies are listed per namespace with their types, an
// empty namespace has an entry without policies, and a missing role is
// NoSuchEntity.
func TestListPoliciesGrantingServiceAccessSDK(t *testing.T) {
	f := newIDFixture(t)
	ctx := context.Background()
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	role := must(f.c.CreateRole(ctx, &awsiam.CreateRoleInput{RoleName: aws.String("Broker"), Path: aws.String("/svc/"), AssumeRolePolicyDocument: aws.String(trust)}))
	must(f.c.PutRolePolicy(ctx, &awsiam.PutRolePolicyInput{RoleName: aws.String("broker"), PolicyName: aws.String("mq-write"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"mq:CreateBroker","Resource":"*"}}`)}))
	must(f.c.AttachRolePolicy(ctx, &awsiam.AttachRolePolicyInput{RoleName: aws.String("Broker"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AmazonMQReadOnlyAccess")}))
	out := must(f.c.ListPoliciesGrantingServiceAccess(ctx, &awsiam.ListPoliciesGrantingServiceAccessInput{
		Arn: role.Role.Arn, ServiceNamespaces: []string{"mq", "s3"}}))
	if len(out.PoliciesGrantingServiceAccess) != 2 || out.IsTruncated {
		t.Fatalf("ListPoliciesGrantingServiceAccess = %+v", out)
	}
	mq, s3 := out.PoliciesGrantingServiceAccess[0], out.PoliciesGrantingServiceAccess[1]
	if aws.ToString(mq.ServiceNamespace) != "mq" || len(mq.Policies) != 2 ||
		mq.Policies[0].PolicyType != iamtypes.PolicyTypeInline || aws.ToString(mq.Policies[0].EntityName) != "Broker" ||
		mq.Policies[0].EntityType != iamtypes.PolicyOwnerEntityTypeRole ||
		mq.Policies[1].PolicyType != iamtypes.PolicyTypeManaged || aws.ToString(mq.Policies[1].PolicyArn) != "arn:aws:iam::aws:policy/AmazonMQReadOnlyAccess" {
		t.Errorf("mq entry = %+v", mq)
	}
	if aws.ToString(s3.ServiceNamespace) != "s3" || len(s3.Policies) != 0 {
		t.Errorf("s3 entry = %+v", s3)
	}
	_, err := f.c.ListPoliciesGrantingServiceAccess(ctx, &awsiam.ListPoliciesGrantingServiceAccessInput{
		Arn: aws.String("arn:aws:iam::" + idAccount + ":role/svc/missing"), ServiceNamespaces: []string{"mq"}})
	wantAPIError(t, "ListPoliciesGrantingServiceAccess(missing role)", err, "NoSuchEntity", "The entity with ARN arn:aws:iam::"+idAccount+":role/svc/missing cannot be found.")
}
