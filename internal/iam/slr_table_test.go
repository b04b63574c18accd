package iam

import (
	"context"
	"testing"

	"github.com/iamq/iamq/internal/managed"
	"github.com/iamq/iamq/internal/store"
)

// TestEveryServiceLinkedRole creates the service-linked role of every
// service in the table: its name, path, trust and one policy, a protected
// role like Amazon MQ's; a custom suffix where AWS allows one, AWS's
// refusal where it does not.
func TestEveryServiceLinkedRole(t *testing.T) { forEachBackend(t, testEveryServiceLinkedRole) }

func testEveryServiceLinkedRole(t *testing.T, s *Service, _ store.Store) {
	ctx := context.Background()
	for _, slr := range managed.ServiceLinkedRoles() {
		r, err := s.CreateServiceLinkedRole(ctx, testAccount, CreateServiceLinkedRoleInput{AWSServiceName: slr.ServiceName})
		if err != nil {
			t.Errorf("CreateServiceLinkedRole(%s) = %v", slr.ServiceName, err)
			continue
		}
		if r.Name != slr.RoleName || r.Path != "/aws-service-role/"+slr.ServiceName+"/" || !r.ServiceLinked ||
			r.AssumeRolePolicy != slr.TrustPolicy() {
			t.Errorf("CreateServiceLinkedRole(%s) = %+v, want role %s", slr.ServiceName, r, slr.RoleName)
		}
		attached, err := s.ListAttachedPolicies(ctx, testAccount, store.EntityRef{Kind: store.KindRole, Name: r.Name}, ListInput{})
		if err != nil || len(attached.Items) != 1 || attached.Items[0].ARN != slr.PolicyARN {
			t.Errorf("%s's policies = %+v, %v; want only %s", r.Name, attached.Items, err, slr.PolicyARN)
		}
		_, err = s.CreateServiceLinkedRole(ctx, testAccount, CreateServiceLinkedRoleInput{AWSServiceName: slr.ServiceName, CustomSuffix: "dev"})
		switch {
		case slr.CustomSuffix && err != nil:
			t.Errorf("CreateServiceLinkedRole(%s, suffix dev) = %v, want %s_dev", slr.ServiceName, err, slr.RoleName)
		case !slr.CustomSuffix:
			wantIDErr(t, "CreateServiceLinkedRole("+slr.ServiceName+", suffix)", err, ErrInvalidInput, "Custom suffix is not allowed for "+slr.ServiceName)
		}
	}
	if _, err := s.GetRole(ctx, testAccount, "AWSServiceRoleForAutoScaling_dev"); err != nil {
		t.Errorf("GetRole(AWSServiceRoleForAutoScaling_dev) = %v, want the suffixed role", err)
	}
	// Protected like Amazon MQ's: only the service may change it.
	err := s.AttachPolicy(ctx, testAccount, store.EntityRef{Kind: store.KindRole, Name: "AWSServiceRoleForECS"}, "arn:aws:iam::aws:policy/AmazonMQFullAccess")
	wantIDErr(t, "AttachRolePolicy(AWSServiceRoleForECS)", err, ErrUnmodifiable, "")
	// Deleted by a deletion task, as Amazon MQ's: no service uses it.
	id, err := s.DeleteServiceLinkedRole(ctx, testAccount, "AWSServiceRoleForECS")
	if err != nil {
		t.Fatalf("DeleteServiceLinkedRole(AWSServiceRoleForECS) = %v", err)
	}
	s.Wait()
	if task, err := s.GetServiceLinkedRoleDeletionStatus(ctx, testAccount, id); err != nil || task.Status != store.TaskSucceeded {
		t.Errorf("deletion status = %+v, %v; want SUCCEEDED", task, err)
	}
	if _, err := s.GetRole(ctx, testAccount, "AWSServiceRoleForECS"); err == nil {
		t.Error("AWSServiceRoleForECS is still there after its deletion succeeded")
	}
}
