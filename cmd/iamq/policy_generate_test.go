package main

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awscreds "github.com/aws/aws-sdk-go-v2/credentials"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
	awssts "github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
)

// sessionOf returns an IAM client acting as a session of role, assumed by
// the user whose key is given.
func sessionOf(t *testing.T, endpoint, id, secret, role string) *awsiam.Client {
	t.Helper()
	stsc := awssts.NewFromConfig(aws.Config{Region: "us-east-1", Credentials: awscreds.NewStaticCredentialsProvider(id, secret, ""),
		BaseEndpoint: aws.String(endpoint), RetryMaxAttempts: 1})
	out, err := stsc.AssumeRole(context.Background(), &awssts.AssumeRoleInput{RoleArn: aws.String(role), RoleSessionName: aws.String("app-run")})
	if err != nil {
		t.Fatalf("AssumeRole(%s) = %v", role, err)
	}
	c := out.Credentials
	return awsiam.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(endpoint), RetryMaxAttempts: 1,
		Credentials: awscreds.NewStaticCredentialsProvider(aws.ToString(c.AccessKeyId), aws.ToString(c.SecretAccessKey), aws.ToString(c.SessionToken))})
}

func isDenied(err error) bool {
	var ae smithy.APIError
	return errors.As(err, &ae) && ae.ErrorCode() == "AccessDenied"
}

// TestPolicyGenerate: a role session calls five actions under
// --enforce=soft with no policy; 'iamq policy generate' writes a policy
// and proves it; with the policy attached and enforcement on, the five
// calls are allowed and a sixth is denied.
func TestPolicyGenerate(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	const role = "arn:aws:iam::123456789012:role/app"
	s := startServe(t, dir, map[string]string{"IAMQ_DEV": "true"}, "--enforce=soft")
	root := iamClient(s.endpoint, "test", "test")
	mustDo := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	mustDo(root.CreateUser(ctx, &awsiam.CreateUserInput{UserName: aws.String("runner")}))
	mustDo(root.PutUserPolicy(ctx, &awsiam.PutUserPolicyInput{UserName: aws.String("runner"), PolicyName: aws.String("assume"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"` + role + `"}]}`)}))
	k, err := root.CreateAccessKey(ctx, &awsiam.CreateAccessKeyInput{UserName: aws.String("runner")})
	if err != nil {
		t.Fatal(err)
	}
	id, secret := aws.ToString(k.AccessKey.AccessKeyId), aws.ToString(k.AccessKey.SecretAccessKey)
	mustDo(root.CreateRole(ctx, &awsiam.CreateRoleInput{RoleName: aws.String("app"), AssumeRolePolicyDocument: aws.String(
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/runner"},"Action":"sts:AssumeRole"}]}`)}))
	five := func(c *awsiam.Client) []error {
		_, e1 := c.ListUsers(ctx, &awsiam.ListUsersInput{})
		_, e2 := c.CreateGroup(ctx, &awsiam.CreateGroupInput{GroupName: aws.String("workers")})
		_, e3 := c.GetGroup(ctx, &awsiam.GetGroupInput{GroupName: aws.String("workers")})
		_, e4 := c.ListRoles(ctx, &awsiam.ListRolesInput{})
		_, e5 := c.GetUser(ctx, &awsiam.GetUserInput{UserName: aws.String("runner")})
		return []error{e1, e2, e3, e4, e5}
	}
	for i, err := range five(sessionOf(t, s.endpoint, id, secret, role)) {
		if err != nil {
			t.Fatalf("call %d under --enforce=soft = %v, want it let through", i+1, err)
		}
	}
	if err := s.stop(); err != nil {
		t.Fatal(err)
	}
	out, stderr, err := run(t, "", "policy", "generate", "--data-dir", dir, "--principal", role)
	if err != nil || !strings.Contains(stderr, "proven: the policy allows every one of the 5 logged calls") {
		t.Fatalf("policy generate = %v\n%s\n%s", err, stderr, out)
	}
	for _, want := range []string{"iam:ListUsers", "iam:CreateGroup", "iam:GetGroup", "iam:ListRoles", "iam:GetUser",
		"arn:aws:iam::123456789012:group/workers", "arn:aws:iam::123456789012:user/runner"} {
		if !strings.Contains(out, want) {
			t.Errorf("the generated policy lacks %s:\n%s", want, out)
		}
	}
	if strings.Contains(out, "sts:AssumeRole") {
		t.Errorf("the role's policy holds the runner's sts:AssumeRole:\n%s", out)
	}

	s = startServe(t, dir, map[string]string{"IAMQ_DEV": "true"}) // enforcement on
	root = iamClient(s.endpoint, "test", "test")
	mustDo(root.PutRolePolicy(ctx, &awsiam.PutRolePolicyInput{RoleName: aws.String("app"), PolicyName: aws.String("generated"), PolicyDocument: aws.String(out)}))
	app := sessionOf(t, s.endpoint, id, secret, role)
	for i, err := range five(app) {
		if err != nil && (isDenied(err) || i != 1) { // the group exists now: CreateGroup fails, but not for lack of permission
			t.Errorf("call %d with the generated policy = %v, want allowed", i+1, err)
		}
	}
	if _, err := app.DeleteGroup(ctx, &awsiam.DeleteGroupInput{GroupName: aws.String("workers")}); !isDenied(err) {
		t.Errorf("a sixth action, DeleteGroup, with the generated policy = %v, want AccessDenied", err)
	}
}

func TestPolicyGenerateUsage(t *testing.T) {
	for _, args := range [][]string{
		{"policy", "generate"},
		{"policy", "generate", "--principal", "alice"},
		{"policy", "generate", "--principal", "arn:aws:s3:::bucket"},
		{"policy", "generate", "--principal", "arn:aws:iam::123456789012:role/app", "--since", "later"},
		{"policy", "generate", "--principal", "arn:aws:iam::123456789012:role/app", "extra"},
	} {
		if _, _, err := run(t, "", args...); exitCode(new(strings.Builder), err) != 2 {
			t.Errorf("Run(%q) = %v, want a usage error", args, err)
		}
	}
}
