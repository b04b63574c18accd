package iam

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/iamq/iamq/internal/store"
)

const (
	mqService  = "mq.amazonaws.com"
	mqSLR      = "AWSServiceRoleForAmazonMQ"
	mqSLRPath  = "/aws-service-role/mq.amazonaws.com/"
	mqSLRTrust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"mq.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	mqSLRARN   = "arn:aws:iam::aws:policy/aws-service-role/AmazonMQServiceRolePolicy"
)

var taskIDPattern = regexp.MustCompile(`^task/aws-service-role/mq\.amazonaws\.com/AWSServiceRoleForAmazonMQ/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestServiceLinkedRole(t *testing.T) { forEachBackend(t, testServiceLinkedRole) }

func testServiceLinkedRole(t *testing.T, s *Service, st store.Store) {
	ctx := context.Background()
	r, err := s.CreateServiceLinkedRole(ctx, testAccount, CreateServiceLinkedRoleInput{AWSServiceName: mqService, Description: "for brokers"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Name != mqSLR || r.Path != mqSLRPath || r.AssumeRolePolicy != mqSLRTrust || !r.ServiceLinked || r.Description != "for brokers" {
		t.Fatalf("CreateServiceLinkedRole = %+v", r)
	}
	attached, err := s.ListAttachedPolicies(ctx, testAccount, store.EntityRef{Kind: store.KindRole, Name: mqSLR}, ListInput{})
	if err != nil || len(attached.Items) != 1 || attached.Items[0].ARN != mqSLRARN {
		t.Fatalf("the role's policies = %+v, %v; want only %s", attached.Items, err, mqSLRARN)
	}
	t.Run("refusals", func(t *testing.T) { testSLRRefusals(t, s) })
	t.Run("protected", func(t *testing.T) { testSLRProtected(t, s) })
	t.Run("deletion", func(t *testing.T) { testSLRDeletion(t, s) })
}

func testSLRRefusals(t *testing.T, s *Service) {
	ctx := context.Background()
	refusals := []struct {
		name string
		in   CreateServiceLinkedRoleInput
		kind error
		msg  string
	}{
		{"again", CreateServiceLinkedRoleInput{AWSServiceName: mqService}, ErrInvalidInput,
			"Service role name AWSServiceRoleForAmazonMQ has been taken in this account, please try a different suffix."},
		{"custom suffix", CreateServiceLinkedRoleInput{AWSServiceName: mqService, CustomSuffix: "x"}, ErrInvalidInput,
			"Custom suffix is not allowed for mq.amazonaws.com"},
		{"unknown service", CreateServiceLinkedRoleInput{AWSServiceName: "nosuch.amazonaws.com"}, ErrInvalidInput,
			"The service principal nosuch.amazonaws.com has no service-linked role."},
		{"case differs", CreateServiceLinkedRoleInput{AWSServiceName: "MQ.amazonaws.com"}, ErrInvalidInput, ""},
		{"bad characters", CreateServiceLinkedRoleInput{AWSServiceName: "mq amazonaws"}, ErrValidation, ""},
		{"no service", CreateServiceLinkedRoleInput{}, ErrValidation, ""},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.CreateServiceLinkedRole(ctx, testAccount, tt.in)
			wantIDErr(t, "CreateServiceLinkedRole", err, tt.kind, tt.msg)
		})
	}
}

func testSLRProtected(t *testing.T, s *Service) {
	ctx := context.Background()
	// Only the description may change.
	if _, err := s.UpdateRoleDescription(ctx, testAccount, mqSLR, "new words"); err != nil {
		t.Fatalf("UpdateRoleDescription = %v", err)
	}
	wantIDErr(t, "DeleteRole", s.DeleteRole(ctx, testAccount, mqSLR), ErrUnmodifiable, "")
	wantIDErr(t, "UpdateAssumeRolePolicy", s.UpdateAssumeRolePolicy(ctx, testAccount, mqSLR, trust), ErrUnmodifiable, "")

	// A customer role is not deleted this way.
	if _, err := s.CreateRole(ctx, testAccount, CreateRoleInput{RoleName: "plain", AssumeRolePolicyDocument: trust}); err != nil {
		t.Fatal(err)
	}
	_, err := s.DeleteServiceLinkedRole(ctx, testAccount, "plain")
	wantIDErr(t, "DeleteServiceLinkedRole(customer role)", err, ErrInvalidInput, "The role plain is not a service-linked role.")
	_, err = s.DeleteServiceLinkedRole(ctx, testAccount, "nosuch")
	wantIDErr(t, "DeleteServiceLinkedRole(no role)", err, store.ErrNotFound, "")
}

func testSLRDeletion(t *testing.T, s *Service) {
	ctx := context.Background()

	// While the service uses the role, deletion fails and says where.
	usage := []store.RoleUsage{{Region: "us-east-1", Resources: []string{"arn:aws:mq:us-east-1:" + testAccount + ":broker:b1:b-1"}}}
	s.SetRoleInUse(mqService, func(context.Context, string, store.Role) ([]store.RoleUsage, error) { return usage, nil })
	id, err := s.DeleteServiceLinkedRole(ctx, testAccount, mqSLR)
	if err != nil || !taskIDPattern.MatchString(id) {
		t.Fatalf("DeleteServiceLinkedRole = %q, %v; want a task id of the documented form", id, err)
	}
	s.Wait()
	task, err := s.GetServiceLinkedRoleDeletionStatus(ctx, testAccount, id)
	if err != nil || task.Status != store.TaskFailed || task.Reason == "" || len(task.Usage) != 1 || task.Usage[0].Resources[0] != usage[0].Resources[0] {
		t.Fatalf("status while in use = %+v, %v; want FAILED with the broker", task, err)
	}
	if _, err := s.GetRole(ctx, testAccount, mqSLR); err != nil {
		t.Fatalf("the role after a failed deletion: %v", err)
	}

	// Once unused, it goes with its policy.
	s.SetRoleInUse(mqService, nil)
	id, err = s.DeleteServiceLinkedRole(ctx, testAccount, mqSLR)
	if err != nil {
		t.Fatal(err)
	}
	s.Wait()
	if task, err := s.GetServiceLinkedRoleDeletionStatus(ctx, testAccount, id); err != nil || task.Status != store.TaskSucceeded {
		t.Fatalf("status = %+v, %v; want SUCCEEDED", task, err)
	}
	_, err = s.GetRole(ctx, testAccount, mqSLR)
	wantIDErr(t, "GetRole after deletion", err, store.ErrNotFound, "")
	_, err = s.GetServiceLinkedRoleDeletionStatus(ctx, testAccount, id+"0")
	wantIDErr(t, "GetServiceLinkedRoleDeletionStatus(unknown)", err, store.ErrNotFound, "")
	// No customer may take the deleted role's ARN with a trust policy of its
	// own: the path is the services' (issue 14, item 4).
	const reserved = "Path prefix '/aws-service-role/' can only be used for AWS Service linked Roles"
	_, err = s.CreateRole(ctx, testAccount, CreateRoleInput{RoleName: mqSLR, Path: mqSLRPath,
		AssumeRolePolicyDocument: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}`})
	wantIDErr(t, "CreateRole under /aws-service-role/", err, ErrInvalidInput, reserved)
	_, err = s.CreateUser(ctx, testAccount, CreateUserInput{UserName: "u", Path: "/aws-service-role/"})
	wantIDErr(t, "CreateUser under /aws-service-role/", err, ErrInvalidInput, reserved)
	_, err = s.CreateGroup(ctx, testAccount, "g", "/aws-service-role/x/")
	wantIDErr(t, "CreateGroup under /aws-service-role/", err, ErrInvalidInput, reserved)
	_, err = s.CreateInstanceProfile(ctx, testAccount, "p", "/aws-service-role/", nil)
	wantIDErr(t, "CreateInstanceProfile under /aws-service-role/", err, ErrInvalidInput, reserved)
	_, err = s.CreatePolicy(ctx, testAccount, CreatePolicyInput{Name: "p", Path: "/aws-service-role/", Document: mqSLRTrust})
	wantIDErr(t, "CreatePolicy under /aws-service-role/", err, ErrInvalidInput, reserved)
	// And may be created again.
	if _, err := s.CreateServiceLinkedRole(ctx, testAccount, CreateServiceLinkedRoleInput{AWSServiceName: mqService}); err != nil {
		t.Fatalf("CreateServiceLinkedRole after deletion = %v", err)
	}
}

// TestServiceLinkedRoleDeletionInProgress: while the service is asked
// whether it uses the role, the task reports IN_PROGRESS; a failed check
// fails the task and keeps the role.
func TestServiceLinkedRoleDeletionInProgress(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestService(t)
	if _, err := s.CreateServiceLinkedRole(ctx, testAccount, CreateServiceLinkedRoleInput{AWSServiceName: mqService}); err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	s.SetRoleInUse(mqService, func(context.Context, string, store.Role) ([]store.RoleUsage, error) {
		<-release
		return nil, errors.New("control plane unavailable")
	})
	id, err := s.DeleteServiceLinkedRole(ctx, testAccount, mqSLR)
	if err != nil {
		t.Fatal(err)
	}
	task, err := s.GetServiceLinkedRoleDeletionStatus(ctx, testAccount, id)
	if err != nil || task.Status != store.TaskInProgress {
		t.Fatalf("status while the service is asked = %+v, %v; want IN_PROGRESS", task, err)
	}
	close(release)
	s.Wait()
	task, err = s.GetServiceLinkedRoleDeletionStatus(ctx, testAccount, id)
	if err != nil || task.Status != store.TaskFailed || task.Reason == "" {
		t.Fatalf("status after a failed check = %+v, %v; want FAILED with a reason", task, err)
	}
	if _, err := s.GetRole(ctx, testAccount, mqSLR); err != nil {
		t.Fatalf("the role after a failed check: %v", err)
	}
}

func TestDeletionTaskRole(t *testing.T) {
	tests := []struct{ name, id, want string }{
		{"amazon mq", "task/aws-service-role/mq.amazonaws.com/AWSServiceRoleForAmazonMQ/0b6f5c2e-8a4e-4c1e-9d35-5a8f6b1c2d3e",
			"arn:aws:iam::" + testAccount + ":role/aws-service-role/mq.amazonaws.com/AWSServiceRoleForAmazonMQ"},
		{"no uuid", "task/aws-service-role/mq.amazonaws.com/AWSServiceRoleForAmazonMQ", ""},
		{"no service", "task/aws-service-role//AWSServiceRoleForAmazonMQ/u", ""},
		{"extra segment", "task/aws-service-role/mq.amazonaws.com/a/b/u", ""},
		{"other prefix", "task/service-role/mq.amazonaws.com/AWSServiceRoleForAmazonMQ/u", ""},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DeletionTaskRole(testAccount, tt.id); got != tt.want {
				t.Errorf("DeletionTaskRole(%q) = %q, want %q", tt.id, got, tt.want)
			}
		})
	}
}

// FuzzDeletionTaskRole: a task id from a client never panics the parser, and
// what it accepts names a role under /aws-service-role/ of the account.
func FuzzDeletionTaskRole(f *testing.F) {
	f.Add("task/aws-service-role/mq.amazonaws.com/AWSServiceRoleForAmazonMQ/0b6f5c2e-8a4e-4c1e-9d35-5a8f6b1c2d3e")
	f.Add("task/aws-service-role/a/b/c")
	f.Add("task/aws-service-role////")
	f.Fuzz(func(t *testing.T, id string) {
		arn := DeletionTaskRole(testAccount, id)
		if arn == "" {
			return
		}
		prefix := "arn:aws:iam::" + testAccount + ":role/aws-service-role/"
		rest, ok := strings.CutPrefix(arn, prefix)
		if !ok || strings.Count(rest, "/") != 1 || strings.HasPrefix(rest, "/") || strings.HasSuffix(rest, "/") {
			t.Fatalf("DeletionTaskRole(%q) = %q, not a role under /aws-service-role/<service>/", id, arn)
		}
	})
}

// TestServiceLinkedRoleExportImport: an exported service-linked role comes
// back from an import still protected, with its policy.
func TestServiceLinkedRoleExportImport(t *testing.T) {
	ctx := context.Background()
	s, st := newTestService(t)
	if _, err := s.CreateServiceLinkedRole(ctx, testAccount, CreateServiceLinkedRoleInput{AWSServiceName: mqService}); err != nil {
		t.Fatal(err)
	}
	d, err := s.ExportAccount(ctx, testAccount)
	if err != nil {
		t.Fatal(err)
	}
	const other = "210987654321"
	if _, err := st.CreateAccount(ctx, store.Account{ID: other}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportAccount(ctx, other, d); err != nil {
		t.Fatal(err)
	}
	r, err := s.GetRole(ctx, other, mqSLR)
	if err != nil || !r.ServiceLinked || r.Path != mqSLRPath {
		t.Fatalf("imported role = %+v, %v; want service-linked at %s", r, err, mqSLRPath)
	}
	wantIDErr(t, "DeleteRole(imported)", s.DeleteRole(ctx, other, mqSLR), ErrUnmodifiable, "")
	attached, err := s.ListAttachedPolicies(ctx, other, store.EntityRef{Kind: store.KindRole, Name: mqSLR}, ListInput{})
	if err != nil || len(attached.Items) != 1 || attached.Items[0].ARN != mqSLRARN {
		t.Fatalf("imported role's policies = %+v, %v", attached.Items, err)
	}
}
