package iamapi

import (
	"context"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/iamq/iamq/internal/store"
)

const (
	mqSLR       = "AWSServiceRoleForAmazonMQ"
	mqSLRTrust  = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"mq.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	msgSLRTaken = "Service role name AWSServiceRoleForAmazonMQ has been taken in this account, please try a different suffix."
)

var deletionTaskID = regexp.MustCompile(`^task/aws-service-role/mq\.amazonaws\.com/AWSServiceRoleForAmazonMQ/[0-9a-f-]{36}$`)

func (f *mgFixture) createMQRole(c *awsiam.Client) (*iamtypes.Role, error) {
	out, err := c.CreateServiceLinkedRole(f.ctx, &awsiam.CreateServiceLinkedRoleInput{AWSServiceName: aws.String("mq.amazonaws.com"),
		Description: aws.String("lets Amazon MQ manage endpoints and logs")})
	if err != nil {
		return nil, err
	}
	return out.Role, nil
}

// deletionStatus polls a deletion task until it is no longer IN_PROGRESS.
func (f *mgFixture) deletionStatus(id string) *awsiam.GetServiceLinkedRoleDeletionStatusOutput {
	f.t.Helper()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		out := must(f.c.GetServiceLinkedRoleDeletionStatus(f.ctx, &awsiam.GetServiceLinkedRoleDeletionStatusInput{DeletionTaskId: aws.String(id)}))
		if out.Status != iamtypes.DeletionTaskStatusTypeInProgress || time.Now().After(deadline) {
			return out
		}
	}
}

// TestServiceLinkedRoleLifeCycle: create, the refusals of everything but
// the description, a failed deletion while the service uses the role, and
// the deletion once it does not.
func TestServiceLinkedRoleLifeCycle(t *testing.T) {
	f := newManagedFixture(t)
	r, err := f.createMQRole(f.c)
	if err != nil {
		t.Fatal(err)
	}
	trust, _ := url.QueryUnescape(aws.ToString(r.AssumeRolePolicyDocument))
	if aws.ToString(r.RoleName) != mqSLR || aws.ToString(r.Path) != "/aws-service-role/mq.amazonaws.com/" || trust != mqSLRTrust ||
		aws.ToString(r.Arn) != "arn:aws:iam::"+idAccount+":role/aws-service-role/mq.amazonaws.com/"+mqSLR {
		t.Fatalf("CreateServiceLinkedRole = %s %s %s %s", aws.ToString(r.RoleName), aws.ToString(r.Path), aws.ToString(r.Arn), trust)
	}
	attached := must(f.c.ListAttachedRolePolicies(f.ctx, &awsiam.ListAttachedRolePoliciesInput{RoleName: aws.String(mqSLR)})).AttachedPolicies
	if len(attached) != 1 || aws.ToString(attached[0].PolicyArn) != mqRolePolicy {
		t.Fatalf("the role's policies = %v, want only AmazonMQServiceRolePolicy", attached)
	}

	t.Run("create refusals", func(t *testing.T) { testSLRCreateRefusals(t, f) })
	t.Run("only the description changes", func(t *testing.T) { testSLRDescriptionOnly(t, f) })
	t.Run("deletion fails while in use", func(t *testing.T) { testSLRDeletionInUse(t, f) })
	t.Run("deletion succeeds", func(t *testing.T) { testSLRDeletion(t, f) })
}

func testSLRCreateRefusals(t *testing.T, f *mgFixture) {
	_, err := f.createMQRole(f.c)
	wantAPIError(t, "CreateServiceLinkedRole again", err, "InvalidInput", msgSLRTaken)
	_, err = f.c.CreateServiceLinkedRole(f.ctx, &awsiam.CreateServiceLinkedRoleInput{AWSServiceName: aws.String("mq.amazonaws.com"), CustomSuffix: aws.String("2")})
	wantAPIError(t, "CreateServiceLinkedRole with a suffix", err, "InvalidInput", "Custom suffix is not allowed for mq.amazonaws.com")
	_, err = f.c.CreateServiceLinkedRole(f.ctx, &awsiam.CreateServiceLinkedRoleInput{AWSServiceName: aws.String("nosuch.amazonaws.com")})
	wantAPIError(t, "CreateServiceLinkedRole of an unknown service", err, "InvalidInput", "")
}

func testSLRDescriptionOnly(t *testing.T, f *mgFixture) {
	role := aws.String(mqSLR)
	refused := map[string]error{}
	_, refused["DeleteRole"] = f.c.DeleteRole(f.ctx, &awsiam.DeleteRoleInput{RoleName: role})
	_, refused["UpdateAssumeRolePolicy"] = f.c.UpdateAssumeRolePolicy(f.ctx, &awsiam.UpdateAssumeRolePolicyInput{RoleName: role, PolicyDocument: aws.String(idTrust)})
	_, refused["AttachRolePolicy"] = f.c.AttachRolePolicy(f.ctx, &awsiam.AttachRolePolicyInput{RoleName: role, PolicyArn: aws.String(adminAccess)})
	_, refused["DetachRolePolicy"] = f.c.DetachRolePolicy(f.ctx, &awsiam.DetachRolePolicyInput{RoleName: role, PolicyArn: aws.String(mqRolePolicy)})
	_, refused["PutRolePolicy"] = f.c.PutRolePolicy(f.ctx, &awsiam.PutRolePolicyInput{RoleName: role, PolicyName: aws.String("more"), PolicyDocument: aws.String(allow("s3:*", ""))})
	_, refused["PutRolePermissionsBoundary"] = f.c.PutRolePermissionsBoundary(f.ctx, &awsiam.PutRolePermissionsBoundaryInput{RoleName: role, PermissionsBoundary: aws.String(iamReadOnly)})
	_, refused["UpdateRole MaxSessionDuration"] = f.c.UpdateRole(f.ctx, &awsiam.UpdateRoleInput{RoleName: role, MaxSessionDuration: aws.Int32(7200)})
	for op, err := range refused {
		wantAPIError(t, op, err, "UnmodifiableEntity",
			"Cannot perform the operation on the protected role 'AWSServiceRoleForAmazonMQ' - this role is only modifiable by AWS")
	}
	must(f.c.UpdateRoleDescription(f.ctx, &awsiam.UpdateRoleDescriptionInput{RoleName: role, Description: aws.String("one")}))
	must(f.c.UpdateRole(f.ctx, &awsiam.UpdateRoleInput{RoleName: role, Description: aws.String("two")}))
	got := must(f.c.GetRole(f.ctx, &awsiam.GetRoleInput{RoleName: role})).Role
	trust, _ := url.QueryUnescape(aws.ToString(got.AssumeRolePolicyDocument))
	attached := must(f.c.ListAttachedRolePolicies(f.ctx, &awsiam.ListAttachedRolePoliciesInput{RoleName: role})).AttachedPolicies
	inline := must(f.c.ListRolePolicies(f.ctx, &awsiam.ListRolePoliciesInput{RoleName: role})).PolicyNames
	if aws.ToString(got.Description) != "two" || trust != mqSLRTrust || aws.ToInt32(got.MaxSessionDuration) != 3600 ||
		got.PermissionsBoundary != nil || len(attached) != 1 || len(inline) != 0 {
		t.Fatalf("after the refusals: description %q, trust %s, session %d, boundary %v, %d policies, %d inline",
			aws.ToString(got.Description), trust, aws.ToInt32(got.MaxSessionDuration), got.PermissionsBoundary, len(attached), len(inline))
	}
}

func testSLRDeletionInUse(t *testing.T, f *mgFixture) {
	broker := "arn:aws:mq:us-east-1:" + idAccount + ":broker:orders:b-1"
	f.svc.SetRoleInUse("mq.amazonaws.com", func(context.Context, string, store.Role) ([]store.RoleUsage, error) {
		return []store.RoleUsage{{Region: "us-east-1", Resources: []string{broker}}}, nil
	})
	defer f.svc.SetRoleInUse("mq.amazonaws.com", nil)
	id := aws.ToString(must(f.c.DeleteServiceLinkedRole(f.ctx, &awsiam.DeleteServiceLinkedRoleInput{RoleName: aws.String(mqSLR)})).DeletionTaskId)
	if !deletionTaskID.MatchString(id) {
		t.Fatalf("DeletionTaskId = %q, want task/aws-service-role/mq.amazonaws.com/AWSServiceRoleForAmazonMQ/<uuid>", id)
	}
	st := f.deletionStatus(id)
	if st.Status != iamtypes.DeletionTaskStatusTypeFailed || st.Reason == nil || aws.ToString(st.Reason.Reason) == "" ||
		len(st.Reason.RoleUsageList) != 1 || aws.ToString(st.Reason.RoleUsageList[0].Region) != "us-east-1" ||
		len(st.Reason.RoleUsageList[0].Resources) != 1 || st.Reason.RoleUsageList[0].Resources[0] != broker {
		t.Fatalf("status while in use = %+v, want FAILED naming the broker", st)
	}
	must(f.c.GetRole(f.ctx, &awsiam.GetRoleInput{RoleName: aws.String(mqSLR)}))
}

func testSLRDeletion(t *testing.T, f *mgFixture) {
	_, err := f.c.DeleteServiceLinkedRole(f.ctx, &awsiam.DeleteServiceLinkedRoleInput{RoleName: aws.String("nosuch")})
	wantAPIError(t, "DeleteServiceLinkedRole(no role)", err, "NoSuchEntity", "")
	id := aws.ToString(must(f.c.DeleteServiceLinkedRole(f.ctx, &awsiam.DeleteServiceLinkedRoleInput{RoleName: aws.String(mqSLR)})).DeletionTaskId)
	if st := f.deletionStatus(id); st.Status != iamtypes.DeletionTaskStatusTypeSucceeded || st.Reason != nil {
		t.Fatalf("status = %s, reason %+v; want SUCCEEDED", st.Status, st.Reason)
	}
	_, err = f.c.GetRole(f.ctx, &awsiam.GetRoleInput{RoleName: aws.String(mqSLR)})
	wantAPIError(t, "GetRole after the deletion", err, "NoSuchEntity", "")
	_, err = f.client(otherAccount, "x").GetServiceLinkedRoleDeletionStatus(f.ctx, &awsiam.GetServiceLinkedRoleDeletionStatusInput{DeletionTaskId: aws.String(id)})
	wantAPIError(t, "another account's task", err, "NoSuchEntity", "")
}

// TestServiceLinkedRoleEnforced: AmazonMQFullAccess (v5) lets a user create
// Amazon MQ's service-linked role and no other service's; a user without it
// may create none.
func TestServiceLinkedRoleEnforced(t *testing.T) {
	f := newManagedFixture(t)
	mqAdmin := f.userWith(f.c, "mq-admin", mqFullAccess)
	nobody := f.userWith(f.c, "nobody")
	_, err := f.createMQRole(nobody)
	wantDenied(t, "CreateServiceLinkedRole without a policy", err,
		"User: arn:aws:iam::"+idAccount+":user/nobody is not authorized to perform: iam:CreateServiceLinkedRole on resource: arn:aws:iam::"+
			idAccount+":role/aws-service-role/mq.amazonaws.com/AWSServiceRoleForAmazonMQ because no identity-based policy allows the iam:CreateServiceLinkedRole action")
	_, err = mqAdmin.CreateServiceLinkedRole(f.ctx, &awsiam.CreateServiceLinkedRoleInput{AWSServiceName: aws.String("elasticbeanstalk.amazonaws.com")})
	wantDenied(t, "CreateServiceLinkedRole of another service with AmazonMQFullAccess", err, "")
	if _, err := f.createMQRole(mqAdmin); err != nil {
		t.Fatalf("CreateServiceLinkedRole(mq) with AmazonMQFullAccess = %v, want allowed", err)
	}
	// Its permissions do not reach deleting the role.
	_, err = mqAdmin.DeleteServiceLinkedRole(f.ctx, &awsiam.DeleteServiceLinkedRoleInput{RoleName: aws.String(mqSLR)})
	wantDenied(t, "DeleteServiceLinkedRole with AmazonMQFullAccess", err, "")
}

// TestOtherServiceLinkedRolesSDK: the service-linked roles of other services
// than Amazon MQ, through the SDK: AWS's names and policies, a custom suffix
// where AWS allows one and its refusal where it does not.
func TestOtherServiceLinkedRolesSDK(t *testing.T) {
	f := newIDFixture(t)
	ctx := context.Background()
	r := must(f.c.CreateServiceLinkedRole(ctx, &awsiam.CreateServiceLinkedRoleInput{AWSServiceName: aws.String("ecs.amazonaws.com")})).Role
	if aws.ToString(r.RoleName) != "AWSServiceRoleForECS" || aws.ToString(r.Path) != "/aws-service-role/ecs.amazonaws.com/" {
		t.Errorf("CreateServiceLinkedRole(ecs) = %s %s", aws.ToString(r.Path), aws.ToString(r.RoleName))
	}
	att := must(f.c.ListAttachedRolePolicies(ctx, &awsiam.ListAttachedRolePoliciesInput{RoleName: r.RoleName})).AttachedPolicies
	if len(att) != 1 || aws.ToString(att[0].PolicyArn) != "arn:aws:iam::aws:policy/aws-service-role/AmazonECSServiceRolePolicy" {
		t.Errorf("AWSServiceRoleForECS's policies = %+v", att)
	}
	s := must(f.c.CreateServiceLinkedRole(ctx, &awsiam.CreateServiceLinkedRoleInput{AWSServiceName: aws.String("autoscaling.amazonaws.com"), CustomSuffix: aws.String("fleet")})).Role
	if aws.ToString(s.RoleName) != "AWSServiceRoleForAutoScaling_fleet" {
		t.Errorf("CreateServiceLinkedRole(autoscaling, fleet) = %s", aws.ToString(s.RoleName))
	}
	_, err := f.c.CreateServiceLinkedRole(ctx, &awsiam.CreateServiceLinkedRoleInput{AWSServiceName: aws.String("batch.amazonaws.com"), CustomSuffix: aws.String("x")})
	wantAPIError(t, "CreateServiceLinkedRole(batch, suffix)", err, "InvalidInput", "Custom suffix is not allowed for batch.amazonaws.com")
	_, err = f.c.CreateServiceLinkedRole(ctx, &awsiam.CreateServiceLinkedRoleInput{AWSServiceName: aws.String("ecs.amazonaws.com")})
	wantAPIError(t, "CreateServiceLinkedRole(ecs) again", err, "InvalidInput", "Service role name AWSServiceRoleForECS has been taken in this account, please try a different suffix.")
}

// TestServiceLinkedRoleShapesSDK: the table's rarer shapes through the SDK:
// a role trusting two services (Oracle Database@AWS), one with two policies
// (Amazon Monitron), and the refusal of a role only its service creates
// (AWS Outposts, one per Outpost).
func TestServiceLinkedRoleShapesSDK(t *testing.T) {
	f := newIDFixture(t)
	ctx := context.Background()
	odb := must(f.c.CreateServiceLinkedRole(ctx, &awsiam.CreateServiceLinkedRoleInput{AWSServiceName: aws.String("odb.amazonaws.com")})).Role
	trust, err := url.QueryUnescape(aws.ToString(odb.AssumeRolePolicyDocument))
	want := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":["odb.amazonaws.com","vpc-lattice.amazonaws.com"]},"Action":"sts:AssumeRole"}]}`
	if err != nil || aws.ToString(odb.RoleName) != "AWSServiceRoleForODB" || trust != want {
		t.Errorf("CreateServiceLinkedRole(odb) = %s, trust %s", aws.ToString(odb.RoleName), trust)
	}
	m := must(f.c.CreateServiceLinkedRole(ctx, &awsiam.CreateServiceLinkedRoleInput{AWSServiceName: aws.String("monitron.amazonaws.com")})).Role
	att := must(f.c.ListAttachedRolePolicies(ctx, &awsiam.ListAttachedRolePoliciesInput{RoleName: m.RoleName})).AttachedPolicies
	got := map[string]bool{}
	for _, a := range att {
		got[aws.ToString(a.PolicyName)] = true
	}
	if len(att) != 2 || !got["MonitronServiceRolePolicy"] || !got["AWSServiceRoleForMonitronPolicy"] {
		t.Errorf("AWSServiceRoleForMonitron's policies = %+v", att)
	}
	_, err = f.c.CreateServiceLinkedRole(ctx, &awsiam.CreateServiceLinkedRoleInput{AWSServiceName: aws.String("outposts.amazonaws.com")})
	wantAPIError(t, "CreateServiceLinkedRole(outposts)", err, "InvalidInput",
		"The service-linked role of outposts.amazonaws.com is created by the service itself (AWSServiceRoleForOutposts_<id>); CreateServiceLinkedRole cannot create it.")
	roles := must(f.c.ListRoles(ctx, &awsiam.ListRolesInput{PathPrefix: aws.String("/aws-service-role/outposts.amazonaws.com/")})).Roles
	if len(roles) != 0 {
		t.Errorf("roles under Outposts' path after the refusal: %+v", roles)
	}
}
