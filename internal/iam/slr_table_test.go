package iam

import (
	"context"
	"slices"
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
		if slr.ServiceCreated {
			testServiceCreatedRole(t, s, slr, err)
			continue
		}
		if err != nil {
			t.Errorf("CreateServiceLinkedRole(%s) = %v", slr.ServiceName, err)
			continue
		}
		if r.Name != slr.RoleName || r.Path != "/aws-service-role/"+slr.ServiceName+"/" || !r.ServiceLinked ||
			r.AssumeRolePolicy != slr.TrustPolicy() {
			t.Errorf("CreateServiceLinkedRole(%s) = %+v, want role %s", slr.ServiceName, r, slr.RoleName)
		}
		attached, err := s.ListAttachedPolicies(ctx, testAccount, store.EntityRef{Kind: store.KindRole, Name: r.Name}, ListInput{})
		var got []string
		for _, ap := range attached.Items {
			got = append(got, ap.ARN)
		}
		if want := slr.PolicyARNs(); err != nil || !sameSet(got, want) {
			t.Errorf("%s's policies = %v, %v; want %v", r.Name, got, err, want)
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
	// A role with two policies goes with both detached.
	id, err = s.DeleteServiceLinkedRole(ctx, testAccount, "AWSServiceRoleForMonitron")
	if err != nil {
		t.Fatalf("DeleteServiceLinkedRole(AWSServiceRoleForMonitron) = %v", err)
	}
	s.Wait()
	if task, err := s.GetServiceLinkedRoleDeletionStatus(ctx, testAccount, id); err != nil || task.Status != store.TaskSucceeded {
		t.Errorf("Monitron's deletion status = %+v, %v; want SUCCEEDED", task, err)
	}
}

// testServiceCreatedRole checks CreateServiceLinkedRole's refusal of a role
// only its service creates (Outposts, Customer Profiles): InvalidInput, and
// no role under the service's path.
func testServiceCreatedRole(t *testing.T, s *Service, slr managed.ServiceLinkedRole, err error) {
	t.Helper()
	want := "The service-linked role of " + slr.ServiceName + " is created by the service itself (" + slr.RoleName +
		"_<id>); CreateServiceLinkedRole cannot create it."
	wantIDErr(t, "CreateServiceLinkedRole("+slr.ServiceName+")", err, ErrInvalidInput, want)
	roles, err := s.ListRoles(context.Background(), testAccount, ListInput{PathPrefix: slr.Path()})
	if err != nil || len(roles.Items) != 0 {
		t.Errorf("roles under %s after the refusal = %+v, %v; want none", slr.Path(), roles.Items, err)
	}
}

// sameSet reports whether a and b hold the same strings, in any order.
func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// TestServiceLinkedRoleTrustPolicies checks that every row's trust policy,
// one principal or several, is one IAM's own trust-policy checks accept.
func TestServiceLinkedRoleTrustPolicies(t *testing.T) {
	for _, slr := range managed.ServiceLinkedRoles() {
		if err := checkTrustPolicy(slr.TrustPolicy(), FieldAssumeRolePolicyDocument); err != nil {
			t.Errorf("%s: trust policy %s: %v", slr.ServiceName, slr.TrustPolicy(), err)
		}
	}
}
