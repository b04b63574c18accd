package iamapi

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/managed"
	"github.com/iamq/iamq/internal/server"
)

func TestIAMAttachSDK(t *testing.T) {
	f := newIDFixture(t)
	ctx := context.Background()
	must(f.c.CreateUser(ctx, &awsiam.CreateUserInput{UserName: aws.String("ann")}))
	must(f.c.CreateGroup(ctx, &awsiam.CreateGroupInput{GroupName: aws.String("ops")}))
	must(f.c.CreateRole(ctx, &awsiam.CreateRoleInput{RoleName: aws.String("app"), AssumeRolePolicyDocument: aws.String(idTrust)}))
	local := aws.ToString(must(f.c.CreatePolicy(ctx, &awsiam.CreatePolicyInput{PolicyName: aws.String("Local"),
		PolicyDocument: aws.String(polDocSDK)})).Policy.Arn)

	must(f.c.AttachUserPolicy(ctx, &awsiam.AttachUserPolicyInput{UserName: aws.String("ann"), PolicyArn: aws.String(awsMQFull)}))
	must(f.c.AttachUserPolicy(ctx, &awsiam.AttachUserPolicyInput{UserName: aws.String("ann"), PolicyArn: aws.String(local)}))
	must(f.c.AttachGroupPolicy(ctx, &awsiam.AttachGroupPolicyInput{GroupName: aws.String("ops"), PolicyArn: aws.String(local)}))
	must(f.c.AttachRolePolicy(ctx, &awsiam.AttachRolePolicyInput{RoleName: aws.String("app"), PolicyArn: aws.String(awsMQFull)}))

	up := must(f.c.ListAttachedUserPolicies(ctx, &awsiam.ListAttachedUserPoliciesInput{UserName: aws.String("ann"), MaxItems: aws.Int32(1)}))
	if len(up.AttachedPolicies) != 1 || aws.ToString(up.AttachedPolicies[0].PolicyName) != "AmazonMQFullAccess" || !up.IsTruncated {
		t.Errorf("ListAttachedUserPolicies = %+v", up)
	}
	gp := must(f.c.ListAttachedGroupPolicies(ctx, &awsiam.ListAttachedGroupPoliciesInput{GroupName: aws.String("ops")}))
	rp := must(f.c.ListAttachedRolePolicies(ctx, &awsiam.ListAttachedRolePoliciesInput{RoleName: aws.String("app")}))
	if len(gp.AttachedPolicies) != 1 || aws.ToString(gp.AttachedPolicies[0].PolicyArn) != local || len(rp.AttachedPolicies) != 1 {
		t.Errorf("ListAttachedGroupPolicies = %+v, ListAttachedRolePolicies = %+v", gp, rp)
	}
	p := must(f.c.GetPolicy(ctx, &awsiam.GetPolicyInput{PolicyArn: aws.String(awsMQFull)})).Policy
	if aws.ToInt32(p.AttachmentCount) != 2 {
		t.Errorf("GetPolicy(AmazonMQFullAccess).AttachmentCount = %d, want 2", aws.ToInt32(p.AttachmentCount))
	}
	attached := must(f.c.ListPolicies(ctx, &awsiam.ListPoliciesInput{OnlyAttached: true}))
	if len(attached.Policies) != 2 {
		t.Errorf("ListPolicies(OnlyAttached) = %d policies, want 2", len(attached.Policies))
	}
	ents := must(f.c.ListEntitiesForPolicy(ctx, &awsiam.ListEntitiesForPolicyInput{PolicyArn: aws.String(local)}))
	if len(ents.PolicyUsers) != 1 || len(ents.PolicyGroups) != 1 || len(ents.PolicyRoles) != 0 ||
		aws.ToString(ents.PolicyUsers[0].UserName) != "ann" || !strings.HasPrefix(aws.ToString(ents.PolicyGroups[0].GroupId), "AGPA") {
		t.Errorf("ListEntitiesForPolicy = %+v", ents)
	}
	ents = must(f.c.ListEntitiesForPolicy(ctx, &awsiam.ListEntitiesForPolicyInput{PolicyArn: aws.String(local), EntityFilter: iamtypes.EntityTypeGroup}))
	if len(ents.PolicyUsers) != 0 || len(ents.PolicyGroups) != 1 {
		t.Errorf("ListEntitiesForPolicy(Group) = %+v", ents)
	}

	_, err := f.c.DeletePolicy(ctx, &awsiam.DeletePolicyInput{PolicyArn: aws.String(local)})
	wantAPIError(t, "DeletePolicy(attached)", err, "DeleteConflict", "Cannot delete a policy attached to entities.")

	must(f.c.DetachUserPolicy(ctx, &awsiam.DetachUserPolicyInput{UserName: aws.String("ann"), PolicyArn: aws.String(local)}))
	must(f.c.DetachGroupPolicy(ctx, &awsiam.DetachGroupPolicyInput{GroupName: aws.String("ops"), PolicyArn: aws.String(local)}))
	must(f.c.DetachRolePolicy(ctx, &awsiam.DetachRolePolicyInput{RoleName: aws.String("app"), PolicyArn: aws.String(awsMQFull)}))
	_, err = f.c.DetachRolePolicy(ctx, &awsiam.DetachRolePolicyInput{RoleName: aws.String("app"), PolicyArn: aws.String(awsMQFull)})
	wantAPIError(t, "DetachRolePolicy(again)", err, "NoSuchEntity", "Policy "+awsMQFull+" was not found.")
	must(f.c.DeletePolicy(ctx, &awsiam.DeletePolicyInput{PolicyArn: aws.String(local)}))
}

func TestIAMAttachErrorsSDK(t *testing.T) {
	f := newIDFixture(t)
	ctx := context.Background()
	must(f.c.CreateUser(ctx, &awsiam.CreateUserInput{UserName: aws.String("quota")}))
	must(f.c.CreateGroup(ctx, &awsiam.CreateGroupInput{GroupName: aws.String("g")}))
	must(f.c.CreateRole(ctx, &awsiam.CreateRoleInput{RoleName: aws.String("r"), AssumeRolePolicyDocument: aws.String(idTrust)}))
	for i := range 10 {
		arn := must(f.c.CreatePolicy(ctx, &awsiam.CreatePolicyInput{PolicyName: aws.String(fmt.Sprintf("Q%d", i)), PolicyDocument: aws.String(polDocSDK)})).Policy.Arn
		must(f.c.AttachUserPolicy(ctx, &awsiam.AttachUserPolicyInput{UserName: aws.String("quota"), PolicyArn: arn}))
	}
	tests := []struct {
		name      string
		call      func() error
		code, msg string
	}{
		{"user quota", func() error {
			_, err := f.c.AttachUserPolicy(ctx, &awsiam.AttachUserPolicyInput{UserName: aws.String("quota"), PolicyArn: aws.String(awsMQFull)})
			return err
		}, "LimitExceeded", "Cannot exceed quota for PoliciesPerUser: 10"},
		{"service role policy to role", func() error {
			_, err := f.c.AttachRolePolicy(ctx, &awsiam.AttachRolePolicyInput{RoleName: aws.String("r"), PolicyArn: aws.String(awsMQRole)})
			return err
		}, "PolicyNotAttachable", "Cannot attach a Service Role Policy to a Customer Role."},
		{"service role policy to user", func() error {
			_, err := f.c.AttachUserPolicy(ctx, &awsiam.AttachUserPolicyInput{UserName: aws.String("quota"), PolicyArn: aws.String(awsMQRole)})
			return err
		}, "PolicyNotAttachable", "Cannot attach a Service Role Policy to a Customer User."},
		{"service role policy to group", func() error {
			_, err := f.c.AttachGroupPolicy(ctx, &awsiam.AttachGroupPolicyInput{GroupName: aws.String("g"), PolicyArn: aws.String(awsMQRole)})
			return err
		}, "PolicyNotAttachable", "Cannot attach a Service Role Policy to a Customer Group."},
		{"missing policy", func() error {
			_, err := f.c.AttachRolePolicy(ctx, &awsiam.AttachRolePolicyInput{RoleName: aws.String("r"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AWSLambdaFullAccessGone")})
			return err
		}, "NoSuchEntity", "Policy arn:aws:iam::aws:policy/AWSLambdaFullAccessGone does not exist or is not attachable."},
		{"malformed arn", func() error {
			_, err := f.c.AttachGroupPolicy(ctx, &awsiam.AttachGroupPolicyInput{GroupName: aws.String("g"),
				PolicyArn: aws.String("arn:aws:iam::aws:policy/arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess")})
			return err
		}, "InvalidInput", "ARN arn:aws:iam::aws:policy/arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess is not valid."},
		{"missing role", func() error {
			_, err := f.c.AttachRolePolicy(ctx, &awsiam.AttachRolePolicyInput{RoleName: aws.String("nope"), PolicyArn: aws.String(awsMQFull)})
			return err
		}, "NoSuchEntity", "The role with name nope cannot be found."},
		{"missing boundary", func() error {
			_, err := f.c.PutUserPermissionsBoundary(ctx, &awsiam.PutUserPermissionsBoundaryInput{UserName: aws.String("quota"),
				PermissionsBoundary: aws.String(localPolicy + "Gone")})
			return err
		}, "NoSuchEntity", "Scope ARN: " + localPolicy + "Gone does not exist or is not attachable."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantAPIError(t, tt.name, tt.call(), tt.code, tt.msg) })
	}
	up := must(f.c.ListAttachedUserPolicies(ctx, &awsiam.ListAttachedUserPoliciesInput{UserName: aws.String("quota")}))
	if len(up.AttachedPolicies) != 10 {
		t.Errorf("after the refusals the user has %d policies, want 10", len(up.AttachedPolicies))
	}
}

func TestIAMBoundariesSDK(t *testing.T) {
	f := newIDFixture(t)
	ctx := context.Background()
	must(f.c.CreateUser(ctx, &awsiam.CreateUserInput{UserName: aws.String("bea")}))
	must(f.c.CreateRole(ctx, &awsiam.CreateRoleInput{RoleName: aws.String("svc"), AssumeRolePolicyDocument: aws.String(idTrust)}))
	fence := aws.ToString(must(f.c.CreatePolicy(ctx, &awsiam.CreatePolicyInput{PolicyName: aws.String("Fence"), PolicyDocument: aws.String(polDocSDK)})).Policy.Arn)
	must(f.c.PutUserPermissionsBoundary(ctx, &awsiam.PutUserPermissionsBoundaryInput{UserName: aws.String("bea"), PermissionsBoundary: aws.String(fence)}))
	must(f.c.PutRolePermissionsBoundary(ctx, &awsiam.PutRolePermissionsBoundaryInput{RoleName: aws.String("svc"), PermissionsBoundary: aws.String(awsMQFull)}))
	u := must(f.c.GetUser(ctx, &awsiam.GetUserInput{UserName: aws.String("bea")})).User
	r := must(f.c.GetRole(ctx, &awsiam.GetRoleInput{RoleName: aws.String("svc")})).Role
	if u.PermissionsBoundary == nil || aws.ToString(u.PermissionsBoundary.PermissionsBoundaryArn) != fence ||
		r.PermissionsBoundary == nil || aws.ToString(r.PermissionsBoundary.PermissionsBoundaryArn) != awsMQFull {
		t.Fatalf("boundaries: user %+v, role %+v", u.PermissionsBoundary, r.PermissionsBoundary)
	}
	p := must(f.c.GetPolicy(ctx, &awsiam.GetPolicyInput{PolicyArn: aws.String(fence)})).Policy
	if aws.ToInt32(p.PermissionsBoundaryUsageCount) != 1 {
		t.Errorf("PermissionsBoundaryUsageCount = %d, want 1", aws.ToInt32(p.PermissionsBoundaryUsageCount))
	}
	bounds := must(f.c.ListPolicies(ctx, &awsiam.ListPoliciesInput{PolicyUsageFilter: iamtypes.PolicyUsageTypePermissionsBoundary}))
	if len(bounds.Policies) != 2 {
		t.Errorf("ListPolicies(PermissionsBoundary) = %d policies, want 2", len(bounds.Policies))
	}
	_, err := f.c.PutRolePermissionsBoundary(ctx, &awsiam.PutRolePermissionsBoundaryInput{RoleName: aws.String("svc"), PermissionsBoundary: aws.String(awsMQRole)})
	wantAPIError(t, "PutRolePermissionsBoundary(service role policy)", err, "PolicyNotAttachable", "")
	must(f.c.DeleteUserPermissionsBoundary(ctx, &awsiam.DeleteUserPermissionsBoundaryInput{UserName: aws.String("bea")}))
	must(f.c.DeleteRolePermissionsBoundary(ctx, &awsiam.DeleteRolePermissionsBoundaryInput{RoleName: aws.String("svc")}))
	u = must(f.c.GetUser(ctx, &awsiam.GetUserInput{UserName: aws.String("bea")})).User
	if u.PermissionsBoundary != nil {
		t.Errorf("after DeleteUserPermissionsBoundary: %+v", u.PermissionsBoundary)
	}
	must(f.c.DeletePolicy(ctx, &awsiam.DeletePolicyInput{PolicyArn: aws.String(fence)}))
}

func TestIAMInlinePoliciesSDK(t *testing.T) {
	f := newIDFixture(t)
	ctx := context.Background()
	must(f.c.CreateUser(ctx, &awsiam.CreateUserInput{UserName: aws.String("cy")}))
	must(f.c.CreateGroup(ctx, &awsiam.CreateGroupInput{GroupName: aws.String("team")}))
	must(f.c.CreateRole(ctx, &awsiam.CreateRoleInput{RoleName: aws.String("job"), AssumeRolePolicyDocument: aws.String(idTrust)}))

	must(f.c.PutUserPolicy(ctx, &awsiam.PutUserPolicyInput{UserName: aws.String("cy"), PolicyName: aws.String("p1"), PolicyDocument: aws.String(polDocSDK)}))
	must(f.c.PutUserPolicy(ctx, &awsiam.PutUserPolicyInput{UserName: aws.String("cy"), PolicyName: aws.String("p2"), PolicyDocument: aws.String(polDocSDK)}))
	must(f.c.PutGroupPolicy(ctx, &awsiam.PutGroupPolicyInput{GroupName: aws.String("team"), PolicyName: aws.String("g1"), PolicyDocument: aws.String(polDocSDK)}))
	must(f.c.PutRolePolicy(ctx, &awsiam.PutRolePolicyInput{RoleName: aws.String("job"), PolicyName: aws.String("r1"), PolicyDocument: aws.String(polDocSDK)}))

	gu := must(f.c.GetUserPolicy(ctx, &awsiam.GetUserPolicyInput{UserName: aws.String("cy"), PolicyName: aws.String("p1")}))
	if aws.ToString(gu.UserName) != "cy" || aws.ToString(gu.PolicyName) != "p1" || decodeDoc(t, gu.PolicyDocument) != polDocSDK {
		t.Errorf("GetUserPolicy = %+v", gu)
	}
	gg := must(f.c.GetGroupPolicy(ctx, &awsiam.GetGroupPolicyInput{GroupName: aws.String("team"), PolicyName: aws.String("g1")}))
	gr := must(f.c.GetRolePolicy(ctx, &awsiam.GetRolePolicyInput{RoleName: aws.String("job"), PolicyName: aws.String("r1")}))
	if aws.ToString(gg.GroupName) != "team" || aws.ToString(gr.RoleName) != "job" || decodeDoc(t, gr.PolicyDocument) != polDocSDK {
		t.Errorf("GetGroupPolicy = %+v, GetRolePolicy = %+v", gg, gr)
	}
	lu := must(f.c.ListUserPolicies(ctx, &awsiam.ListUserPoliciesInput{UserName: aws.String("cy"), MaxItems: aws.Int32(1)}))
	if len(lu.PolicyNames) != 1 || lu.PolicyNames[0] != "p1" || !lu.IsTruncated {
		t.Errorf("ListUserPolicies = %+v", lu)
	}
	lu = must(f.c.ListUserPolicies(ctx, &awsiam.ListUserPoliciesInput{UserName: aws.String("cy"), Marker: lu.Marker}))
	if len(lu.PolicyNames) != 1 || lu.PolicyNames[0] != "p2" || lu.IsTruncated {
		t.Errorf("ListUserPolicies page 2 = %+v", lu)
	}
	lg := must(f.c.ListGroupPolicies(ctx, &awsiam.ListGroupPoliciesInput{GroupName: aws.String("team")}))
	lr := must(f.c.ListRolePolicies(ctx, &awsiam.ListRolePoliciesInput{RoleName: aws.String("job")}))
	if len(lg.PolicyNames) != 1 || len(lr.PolicyNames) != 1 {
		t.Errorf("ListGroupPolicies = %v, ListRolePolicies = %v", lg.PolicyNames, lr.PolicyNames)
	}

	big := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":[` +
		strings.TrimSuffix(strings.Repeat(`"arn:aws:s3:::some-bucket-name/some/object/key",`, 45), ",") + `]}]}`
	_, err := f.c.PutUserPolicy(ctx, &awsiam.PutUserPolicyInput{UserName: aws.String("cy"), PolicyName: aws.String("big"), PolicyDocument: aws.String(big)})
	wantAPIError(t, "PutUserPolicy(too big)", err, "LimitExceeded", "Maximum policy size of 2048 bytes exceeded for user cy")
	_, err = f.c.PutRolePolicy(ctx, &awsiam.PutRolePolicyInput{RoleName: aws.String("job"), PolicyName: aws.String("bad"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*"}]}`)})
	wantAPIError(t, "PutRolePolicy(malformed)", err, "MalformedPolicyDocument", "Policy statement must contain resources.")
	_, err = f.c.GetUserPolicy(ctx, &awsiam.GetUserPolicyInput{UserName: aws.String("cy"), PolicyName: aws.String("big")})
	wantAPIError(t, "GetUserPolicy(refused)", err, "NoSuchEntity", "The user policy with name big cannot be found.")

	must(f.c.DeleteUserPolicy(ctx, &awsiam.DeleteUserPolicyInput{UserName: aws.String("cy"), PolicyName: aws.String("p1")}))
	must(f.c.DeleteGroupPolicy(ctx, &awsiam.DeleteGroupPolicyInput{GroupName: aws.String("team"), PolicyName: aws.String("g1")}))
	must(f.c.DeleteRolePolicy(ctx, &awsiam.DeleteRolePolicyInput{RoleName: aws.String("job"), PolicyName: aws.String("r1")}))
	_, err = f.c.DeleteRolePolicy(ctx, &awsiam.DeleteRolePolicyInput{RoleName: aws.String("job"), PolicyName: aws.String("r1")})
	wantAPIError(t, "DeleteRolePolicy(again)", err, "NoSuchEntity", "The role policy with name r1 cannot be found.")
}

// TestIAMPolicyTargets checks the action and resource each policy operation
// declares for enforcement.
func TestIAMPolicyTargets(t *testing.T) {
	f := newIDFixture(t)
	ctx := context.Background()
	must(f.c.CreateUser(ctx, &awsiam.CreateUserInput{UserName: aws.String("tu"), Path: aws.String("/t/")}))
	tests := []struct {
		name, form     string
		action, target string
	}{
		{"create policy", "Action=CreatePolicy&PolicyName=P&Path=/a/", "iam:CreatePolicy", localPolicy + "a/P"},
		{"get policy", "Action=GetPolicy&PolicyArn=" + awsMQFull, "iam:GetPolicy", awsMQFull},
		{"list policies", "Action=ListPolicies", "iam:ListPolicies", "*"},
		{"version", "Action=DeletePolicyVersion&PolicyArn=" + localPolicy + "P&VersionId=v2", "iam:DeletePolicyVersion", localPolicy + "P"},
		{"attach to user", "Action=AttachUserPolicy&UserName=tu&PolicyArn=" + awsMQFull, "iam:AttachUserPolicy", "arn:aws:iam::" + idAccount + ":user/t/tu"},
		{"inline of role", "Action=PutRolePolicy&RoleName=r&PolicyName=p", "iam:PutRolePolicy", "arn:aws:iam::" + idAccount + ":role/r"},
		{"boundary", "Action=DeleteUserPermissionsBoundary&UserName=tu", "iam:DeleteUserPermissionsBoundary", "arn:aws:iam::" + idAccount + ":user/t/tu"},
	}
	srv := &api{iam: iam.New(f.st, managed.Builtin(), iam.Options{})}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form, err := server.ParseForm(tt.form)
			if err != nil {
				t.Fatal(err)
			}
			c := &server.Call{Action: form.Get("Action"), Form: form}
			c.Caller.Account = idAccount
			action, resource, ok := srv.target(ctx, c)
			if !ok || action != tt.action || resource != tt.target {
				t.Fatalf("IAMPolicyTarget(%s) = %s, %s, %v; want %s, %s", tt.form, action, resource, ok, tt.action, tt.target)
			}
		})
	}
}
