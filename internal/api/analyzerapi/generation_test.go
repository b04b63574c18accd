package analyzerapi_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	aa "github.com/aws/aws-sdk-go-v2/service/accessanalyzer"
	aatypes "github.com/aws/aws-sdk-go-v2/service/accessanalyzer/types"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/iamq/iamq/internal/api/analyzerapi"
	"github.com/iamq/iamq/internal/api/iamapi"
	"github.com/iamq/iamq/internal/audit"
	"github.com/iamq/iamq/internal/authz"
	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/managed"
	"github.com/iamq/iamq/internal/server"
	"github.com/iamq/iamq/internal/server/servertest"
	"github.com/iamq/iamq/internal/store"
)

// startNode runs one iamq node with IAM, Access Analyzer and the decision
// log over st: two nodes over one store stand for a cluster, or a restart.
func startNode(t *testing.T, st store.Store) *env {
	t.Helper()
	lib := managed.Builtin()
	az := authz.New(st, lib, authz.Options{})
	changes := servertest.Follow(t, st, az.Apply)
	svc := iam.New(st, lib, iam.Options{})
	creds := authz.NewCredentials(st, authz.CredentialsOptions{DevAccount: func(ctx context.Context, id string) error { return iam.EnsureAccount(ctx, st, id, "dev "+id) }})
	changes.Subscribe(creds.Apply)
	lg := audit.New(audit.Options{Store: st, Interval: time.Hour})
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { lg.Run(ctx); close(done) }()
	srv := server.New(server.Options{Credentials: creds, Authz: az, Sync: changes.Sync, Dev: true, DefaultAccount: account, Audit: lg})
	iamapi.Register(srv, svc, az)
	analyzerapi.Register(srv, analyzerapi.Options{Log: lg})
	ts := servertest.Start(srv)
	t.Cleanup(func() { ts.Close(); stop(); <-done })
	e := &env{srv: srv, ts: ts}
	e.iam = awsiam.NewFromConfig(e.config(account, "x"))
	e.root = e.client(account, "x")
	return e
}

const fiveActions = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": "*",
  "Action": ["iam:GetUser", "iam:ListUsers", "iam:ListRoles", "iam:ListGroups", "iam:GetAccountSummary"]}]}`

// appCalls makes the five calls fiveActions allows, as the user.
func appCalls(ctx context.Context, c *awsiam.Client) error {
	for _, call := range []func() error{
		func() error { _, err := c.GetUser(ctx, &awsiam.GetUserInput{UserName: aws.String("app")}); return err },
		func() error { _, err := c.ListUsers(ctx, &awsiam.ListUsersInput{}); return err },
		func() error { _, err := c.ListRoles(ctx, &awsiam.ListRolesInput{}); return err },
		func() error { _, err := c.ListGroups(ctx, &awsiam.ListGroupsInput{}); return err },
		func() error { _, err := c.GetAccountSummary(ctx, &awsiam.GetAccountSummaryInput{}); return err },
	} {
		if err := call(); err != nil {
			return err
		}
	}
	return nil
}

// TestPolicyGeneration: a user calls five actions; StartPolicyGeneration
// for it (with a client token, retried) makes one job, which another node
// over the same store answers; its policy, put in place of the user's,
// allows those five calls and denies a sixth. The job is listed, page by
// page; Cancel leaves a finished job as it is; unknown jobs and bad
// principals are ValidationExceptions; the user itself may not start one.
func TestPolicyGeneration(t *testing.T) {
	ctx := context.Background()
	st := servertest.OpenSQLite(t, store.Options{Key: bytes.Repeat([]byte{5}, 32)})
	e := startNode(t, st)
	userARN := "arn:aws:iam::" + account + ":user/app"
	try(e.iam.CreateUser(ctx, &awsiam.CreateUserInput{UserName: aws.String("app")})).get(t)
	try(e.iam.PutUserPolicy(ctx, &awsiam.PutUserPolicyInput{UserName: aws.String("app"), PolicyName: aws.String("five"), PolicyDocument: aws.String(fiveActions)})).get(t)
	key := try(e.iam.CreateAccessKey(ctx, &awsiam.CreateAccessKeyInput{UserName: aws.String("app")})).get(t).AccessKey
	app := awsiam.NewFromConfig(e.config(aws.ToString(key.AccessKeyId), aws.ToString(key.SecretAccessKey)))
	if err := appCalls(ctx, app); err != nil {
		t.Fatalf("the user's calls: %v", err)
	}

	trail := aatypes.Trail{CloudTrailArn: aws.String("arn:aws:cloudtrail:us-east-1:" + account + ":trail/main"), AllRegions: aws.Bool(true)}
	from := time.Now().Add(-time.Hour).UTC().Truncate(time.Millisecond)
	in := &aa.StartPolicyGenerationInput{PolicyGenerationDetails: &aatypes.PolicyGenerationDetails{PrincipalArn: aws.String(userARN)},
		ClientToken: aws.String("token-1"), CloudTrailDetails: &aatypes.CloudTrailDetails{AccessRole: aws.String("arn:aws:iam::" + account + ":role/trail"),
			StartTime: aws.Time(from), Trails: []aatypes.Trail{trail}}}
	job := aws.ToString(try(e.root.StartPolicyGeneration(ctx, in)).get(t).JobId)
	if again := aws.ToString(try(e.root.StartPolicyGeneration(ctx, in)).get(t).JobId); again != job || len(job) != 36 {
		t.Errorf("StartPolicyGeneration with the same client token = %q, first %q: want the same job id (a UUID)", again, job)
	}

	// Another node over the same store answers for the job.
	other := startNode(t, st)
	got := try(other.root.GetGeneratedPolicy(ctx, &aa.GetGeneratedPolicyInput{JobId: aws.String(job), IncludeResourcePlaceholders: aws.Bool(true)})).get(t)
	d, res := got.JobDetails, got.GeneratedPolicyResult
	if d.Status != aatypes.JobStatusSucceeded || aws.ToString(d.JobId) != job || d.StartedOn == nil || d.CompletedOn == nil || d.JobError != nil {
		t.Fatalf("GetGeneratedPolicy job details = %+v", d)
	}
	p := res.Properties
	if aws.ToString(p.PrincipalArn) != userARN || !aws.ToBool(p.IsComplete) || !aws.ToTime(p.CloudTrailProperties.StartTime).Equal(from) ||
		len(p.CloudTrailProperties.TrailProperties) != 1 || aws.ToString(p.CloudTrailProperties.TrailProperties[0].CloudTrailArn) != aws.ToString(trail.CloudTrailArn) {
		t.Errorf("GetGeneratedPolicy properties = %+v, trail %+v", p, p.CloudTrailProperties)
	}
	if len(res.GeneratedPolicies) != 1 {
		t.Fatalf("GetGeneratedPolicy = %d policies, want 1", len(res.GeneratedPolicies))
	}
	policy := aws.ToString(res.GeneratedPolicies[0].Policy)
	for _, a := range []string{"iam:GetUser", "iam:ListUsers", "iam:ListRoles", "iam:ListGroups", "iam:GetAccountSummary"} {
		if !strings.Contains(policy, a) {
			t.Errorf("the generated policy lacks %s:\n%s", a, policy)
		}
	}

	// The generated policy in place of the user's: the five calls pass, a
	// sixth is denied.
	try(e.iam.DeleteUserPolicy(ctx, &awsiam.DeleteUserPolicyInput{UserName: aws.String("app"), PolicyName: aws.String("five")})).get(t)
	try(e.iam.PutUserPolicy(ctx, &awsiam.PutUserPolicyInput{UserName: aws.String("app"), PolicyName: aws.String("generated"), PolicyDocument: aws.String(policy)})).get(t)
	if err := appCalls(ctx, app); err != nil {
		t.Errorf("the user's calls under the generated policy: %v", err)
	}
	if _, err := app.ListPolicies(ctx, &awsiam.ListPoliciesInput{}); err == nil || !strings.Contains(err.Error(), "AccessDenied") {
		t.Errorf("ListPolicies under the generated policy = %v, want AccessDenied", err)
	}

	checkListAndCancel(t, e, userARN, job)
	checkGenerationErrors(t, e, e.client(aws.ToString(key.AccessKeyId), aws.ToString(key.SecretAccessKey)), userARN)
}

func checkListAndCancel(t *testing.T, e *env, userARN, job string) {
	ctx := context.Background()
	second := aws.ToString(try(e.root.StartPolicyGeneration(ctx, &aa.StartPolicyGenerationInput{
		PolicyGenerationDetails: &aatypes.PolicyGenerationDetails{PrincipalArn: aws.String(userARN)}})).get(t).JobId)
	var ids []string
	var token *string
	for range 3 {
		page := try(e.root.ListPolicyGenerations(ctx, &aa.ListPolicyGenerationsInput{PrincipalArn: aws.String(userARN), MaxResults: aws.Int32(1), NextToken: token})).get(t)
		for _, g := range page.PolicyGenerations {
			if g.Status != aatypes.JobStatusSucceeded || aws.ToString(g.PrincipalArn) != userARN || g.StartedOn == nil {
				t.Errorf("ListPolicyGenerations entry = %+v", g)
			}
			ids = append(ids, aws.ToString(g.JobId))
		}
		if token = page.NextToken; token == nil {
			break
		}
	}
	if len(ids) != 2 || ids[0] != second || ids[1] != job {
		t.Errorf("ListPolicyGenerations pages = %v, want [%s %s] (newest first)", ids, second, job)
	}
	if out := try(e.root.ListPolicyGenerations(ctx, &aa.ListPolicyGenerationsInput{PrincipalArn: aws.String("arn:aws:iam::" + account + ":role/none")})).get(t); len(out.PolicyGenerations) != 0 {
		t.Errorf("ListPolicyGenerations(another principal) = %d jobs, want none", len(out.PolicyGenerations))
	}
	try(e.root.CancelPolicyGeneration(ctx, &aa.CancelPolicyGenerationInput{JobId: aws.String(job)})).get(t)
	if got := try(e.root.GetGeneratedPolicy(ctx, &aa.GetGeneratedPolicyInput{JobId: aws.String(job)})).get(t); got.JobDetails.Status != aatypes.JobStatusSucceeded {
		t.Errorf("after CancelPolicyGeneration of a finished job: status %s, want SUCCEEDED", got.JobDetails.Status)
	}
}

func checkGenerationErrors(t *testing.T, e *env, app *aa.Client, userARN string) {
	ctx := context.Background()
	var invalid *aatypes.ValidationException
	if _, err := e.root.GetGeneratedPolicy(ctx, &aa.GetGeneratedPolicyInput{JobId: aws.String("no-such-job")}); !errors.As(err, &invalid) {
		t.Errorf("GetGeneratedPolicy(unknown job) = %v, want ValidationException", err)
	}
	if _, err := e.root.CancelPolicyGeneration(ctx, &aa.CancelPolicyGenerationInput{JobId: aws.String("no-such-job")}); !errors.As(err, &invalid) {
		t.Errorf("CancelPolicyGeneration(unknown job) = %v, want ValidationException", err)
	}
	for _, principal := range []string{"arn:aws:iam::444455556666:user/app", "arn:aws:sts::" + account + ":assumed-role/r/s", "app"} {
		_, err := e.root.StartPolicyGeneration(ctx, &aa.StartPolicyGenerationInput{PolicyGenerationDetails: &aatypes.PolicyGenerationDetails{PrincipalArn: aws.String(principal)}})
		if !errors.As(err, &invalid) {
			t.Errorf("StartPolicyGeneration(%s) = %v, want ValidationException", principal, err)
		}
	}
	now := time.Now()
	_, err := e.root.StartPolicyGeneration(ctx, &aa.StartPolicyGenerationInput{PolicyGenerationDetails: &aatypes.PolicyGenerationDetails{PrincipalArn: aws.String(userARN)},
		CloudTrailDetails: &aatypes.CloudTrailDetails{StartTime: aws.Time(now), EndTime: aws.Time(now.Add(-time.Hour)), AccessRole: aws.String("r"), Trails: []aatypes.Trail{}}})
	if !errors.As(err, &invalid) {
		t.Errorf("StartPolicyGeneration(end before start) = %v, want ValidationException", err)
	}
	_, err = e.root.StartPolicyGeneration(ctx, &aa.StartPolicyGenerationInput{ClientToken: aws.String("token-1"),
		PolicyGenerationDetails: &aatypes.PolicyGenerationDetails{PrincipalArn: aws.String("arn:aws:iam::" + account + ":role/other")}})
	var conflict *aatypes.ConflictException
	if !errors.As(err, &conflict) {
		t.Errorf("StartPolicyGeneration(a client token of another principal's job) = %v, want ConflictException", err)
	}
	// The user's own policy does not allow Access Analyzer.
	var denied *aatypes.AccessDeniedException
	_, err = app.StartPolicyGeneration(ctx, &aa.StartPolicyGenerationInput{PolicyGenerationDetails: &aatypes.PolicyGenerationDetails{PrincipalArn: aws.String(userARN)}})
	if !errors.As(err, &denied) || !strings.Contains(err.Error(), "access-analyzer:StartPolicyGeneration") {
		t.Errorf("StartPolicyGeneration by a user without permission = %v, want AccessDeniedException", err)
	}
}

// result is a call's value and error, for try(call).get(t).
type result[T any] struct {
	v   T
	err error
}

func try[T any](v T, err error) result[T] { return result[T]{v, err} }

// get fails the test on the call's error and returns its value.
func (r result[T]) get(t *testing.T) T {
	t.Helper()
	if r.err != nil {
		t.Fatal(r.err)
	}
	return r.v
}
