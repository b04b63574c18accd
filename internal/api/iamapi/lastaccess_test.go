package iamapi

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	awssts "github.com/aws/aws-sdk-go-v2/service/sts"
)

// TestLastAccessed: a role's last-accessed data is empty until a session of
// it calls IAM, then names IAM, the action (at ACTION_LEVEL), the role and
// the region; WithEntities names the role; a group's job covers its members.
func TestLastAccessed(t *testing.T) {
	a := newAuditFixture(t, false)
	ctx := a.ctx
	alice, _ := a.user("alice")
	a.role("app", trustOf(userARN("alice"), ""), allow("iam:ListUsers", ""), 0)
	job := func(target string, gran iamtypes.AccessAdvisorUsageGranularityType) *awsiam.GetServiceLastAccessedDetailsOutput {
		t.Helper()
		id := must(a.c.GenerateServiceLastAccessedDetails(ctx, &awsiam.GenerateServiceLastAccessedDetailsInput{Arn: aws.String(target), Granularity: gran})).JobId
		return must(a.c.GetServiceLastAccessedDetails(ctx, &awsiam.GetServiceLastAccessedDetailsInput{JobId: id}))
	}
	if got := job(roleARN("app"), ""); got.JobStatus != iamtypes.JobStatusTypeCompleted || len(got.ServicesLastAccessed) != 0 {
		t.Fatalf("before any call: %+v, want a completed job with no service", got)
	}
	// alice's own key, then a session of the role.
	key := must(a.c.CreateAccessKey(ctx, &awsiam.CreateAccessKeyInput{UserName: aws.String("alice")})).AccessKey
	stsc := awssts.NewFromConfig(a.config(aws.ToString(key.AccessKeyId), aws.ToString(key.SecretAccessKey), ""))
	cr := must(stsc.AssumeRole(ctx, &awssts.AssumeRoleInput{RoleArn: aws.String(roleARN("app")), RoleSessionName: aws.String("s1")})).Credentials
	app := a.client(aws.ToString(cr.AccessKeyId), aws.ToString(cr.SecretAccessKey), aws.ToString(cr.SessionToken))
	must(app.ListUsers(ctx, &awsiam.ListUsersInput{}))

	got := job(roleARN("app"), iamtypes.AccessAdvisorUsageGranularityTypeActionLevel)
	if len(got.ServicesLastAccessed) != 1 {
		t.Fatalf("after ListUsers: %+v, want IAM", got.ServicesLastAccessed)
	}
	s := got.ServicesLastAccessed[0]
	if aws.ToString(s.ServiceNamespace) != "iam" || aws.ToString(s.LastAuthenticatedEntity) != roleARN("app") || s.LastAuthenticated == nil ||
		aws.ToString(s.LastAuthenticatedRegion) != "us-east-1" || aws.ToInt32(s.TotalAuthenticatedEntities) != 1 {
		t.Errorf("IAM's last access = %+v", s)
	}
	if len(s.TrackedActionsLastAccessed) != 1 || aws.ToString(s.TrackedActionsLastAccessed[0].ActionName) != "ListUsers" {
		t.Errorf("tracked actions = %+v, want ListUsers", s.TrackedActionsLastAccessed)
	}
	if got.JobType != iamtypes.AccessAdvisorUsageGranularityTypeActionLevel {
		t.Errorf("JobType = %s", got.JobType)
	}
	// alice tries IAM (denied: an attempt counts, as in AWS); at
	// SERVICE_LEVEL there are no actions.
	_, err := alice.GetUser(ctx, &awsiam.GetUserInput{UserName: aws.String("bob")})
	wantDenied(t, "GetUser as alice", err, "")
	if got := job(userARN("alice"), ""); len(got.ServicesLastAccessed) != 1 || aws.ToString(got.ServicesLastAccessed[0].ServiceNamespace) != "iam" ||
		got.ServicesLastAccessed[0].TrackedActionsLastAccessed != nil {
		t.Errorf("alice's last access = %+v, want IAM only, without actions", got.ServicesLastAccessed)
	}
	id := must(a.c.GenerateServiceLastAccessedDetails(ctx, &awsiam.GenerateServiceLastAccessedDetailsInput{Arn: aws.String(roleARN("app"))})).JobId
	ents := must(a.c.GetServiceLastAccessedDetailsWithEntities(ctx, &awsiam.GetServiceLastAccessedDetailsWithEntitiesInput{JobId: id, ServiceNamespace: aws.String("iam")}))
	if len(ents.EntityDetailsList) != 1 || aws.ToString(ents.EntityDetailsList[0].EntityInfo.Arn) != roleARN("app") ||
		ents.EntityDetailsList[0].EntityInfo.Type != iamtypes.PolicyOwnerEntityTypeRole {
		t.Errorf("WithEntities = %+v, want the role", ents.EntityDetailsList)
	}
	must(a.c.CreateGroup(ctx, &awsiam.CreateGroupInput{GroupName: aws.String("devs")}))
	must(a.c.AddUserToGroup(ctx, &awsiam.AddUserToGroupInput{GroupName: aws.String("devs"), UserName: aws.String("alice")}))
	if got := job("arn:aws:iam::"+idAccount+":group/devs", ""); len(got.ServicesLastAccessed) != 1 {
		t.Errorf("the group's last access = %+v, want alice's IAM", got.ServicesLastAccessed)
	}
	_, err = a.c.GenerateServiceLastAccessedDetails(ctx, &awsiam.GenerateServiceLastAccessedDetailsInput{Arn: aws.String(roleARN("nobody"))})
	wantAPIError(t, "Generate(missing role)", err, "NoSuchEntity", "")
	_, err = a.c.GetServiceLastAccessedDetails(ctx, &awsiam.GetServiceLastAccessedDetailsInput{JobId: aws.String("nope")})
	wantAPIError(t, "Get(unknown job)", err, "NoSuchEntity", "")
	_, err = alice.GenerateServiceLastAccessedDetails(ctx, &awsiam.GenerateServiceLastAccessedDetailsInput{Arn: aws.String(roleARN("app"))})
	wantDenied(t, "Generate as alice", err, "")
}
