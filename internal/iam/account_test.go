package iam

import (
	"context"
	"errors"
	"testing"

	"github.com/iamq/iamq/internal/store"
)

func TestAccessKeys(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	if _, err := s.CreateUser(ctx, testAccount, CreateUserInput{UserName: "ci"}); err != nil {
		t.Fatal(err)
	}
	owner, err := KeyOwner("", "ci", false)
	if err != nil || owner != (store.EntityRef{Kind: store.KindUser, Name: "ci"}) {
		t.Fatalf("KeyOwner(calling user) = %+v, %v", owner, err)
	}
	if _, err := KeyOwner("", "", false); err == nil {
		t.Error("KeyOwner(role session) succeeded, want ValidationError")
	}
	k, err := s.CreateAccessKey(ctx, testAccount, owner)
	if err != nil || k.Secret == "" || k.Status != store.KeyActive {
		t.Fatalf("CreateAccessKey = %+v, %v", k, err)
	}
	if _, err := s.CreateAccessKey(ctx, testAccount, owner); err != nil {
		t.Fatal(err)
	}
	_, err = s.CreateAccessKey(ctx, testAccount, owner)
	wantIDErr(t, "CreateAccessKey(third)", err, store.ErrLimitExceeded, "Cannot exceed quota for AccessKeysPerUser: 2")
	p, err := s.ListAccessKeys(ctx, testAccount, owner, ListInput{MaxItems: 1})
	if err != nil || len(p.Items) != 1 || !p.IsTruncated {
		t.Fatalf("ListAccessKeys page 1 = %+v, %v", p, err)
	}
	p2, err := s.ListAccessKeys(ctx, testAccount, owner, ListInput{MaxItems: 1, Marker: p.Marker})
	if err != nil || len(p2.Items) != 1 || p2.IsTruncated || p2.Items[0].ID == p.Items[0].ID {
		t.Fatalf("ListAccessKeys page 2 = %+v, %v", p2, err)
	}
	if err := s.UpdateAccessKey(ctx, testAccount, owner, k.ID, store.KeyInactive); err != nil {
		t.Fatal(err)
	}
	err = s.UpdateAccessKey(ctx, testAccount, owner, k.ID, "Sleeping")
	wantIDErr(t, "UpdateAccessKey(bad status)", err, ErrValidation, "")
	root := store.EntityRef{Kind: store.KindAccount}
	err = s.DeleteAccessKey(ctx, testAccount, root, k.ID)
	wantIDErr(t, "DeleteAccessKey(another owner's key)", err, store.ErrNotFound, "The Access Key with id "+k.ID+" cannot be found.")
	used, err := s.GetAccessKeyLastUsed(ctx, testAccount, k.ID)
	if err != nil || used.UserName != "ci" || used.Used.Service != NotApplicable || !used.Used.Time.IsZero() {
		t.Errorf("GetAccessKeyLastUsed(never used) = %+v, %v", used, err)
	}
	_, err = s.GetAccessKeyLastUsed(ctx, "999999999999", k.ID)
	wantIDErr(t, "GetAccessKeyLastUsed(other account)", err, store.ErrNotFound, "")
	if err := s.DeleteAccessKey(ctx, testAccount, owner, k.ID); err != nil {
		t.Fatal(err)
	}
}

func TestAccountSummaryAndAliases(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	if _, err := s.CreateUser(ctx, testAccount, CreateUserInput{UserName: "u"}); err != nil {
		t.Fatal(err)
	}
	m, err := s.GetAccountSummary(ctx, testAccount)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"Users": 1, "Groups": 0, "UsersQuota": 5000, "PolicySizeQuota": 6144, "UserPolicySizeQuota": 2048,
		"RolePolicySizeQuota": 10240, "GroupPolicySizeQuota": 5120, "AssumeRolePolicySizeQuota": 2048, "VersionsPerPolicyQuota": 5,
		"AttachedPoliciesPerUserQuota": 10, "AttachedPoliciesPerRoleQuota": 10, "AttachedPoliciesPerGroupQuota": 10,
		"GroupsPerUserQuota": 10, "PoliciesQuota": 1500, "GroupsQuota": 300, "RolesQuota": 1000, "InstanceProfilesQuota": 1000,
		"PolicyVersionsInUseQuota": 10000}
	for k, v := range want {
		if got, ok := m[k]; !ok || got != v {
			t.Errorf("GetAccountSummary[%s] = %d (present %v), want %d", k, got, ok, v)
		}
	}
	tests := []struct {
		alias string
		ok    bool
	}{{"my-team", true}, {"ab", false}, {"-team", false}, {"team-", false}, {"my--team", false}, {"MyTeam", false}, {"a1b", true}}
	for _, tt := range tests {
		t.Run(tt.alias, func(t *testing.T) {
			if err := checkAlias(tt.alias); (err == nil) != tt.ok {
				t.Errorf("checkAlias(%q) = %v, want ok %v", tt.alias, err, tt.ok)
			}
		})
	}
	if err := s.CreateAccountAlias(ctx, testAccount, "my-team"); err != nil {
		t.Fatal(err)
	}
	p, err := s.ListAccountAliases(ctx, testAccount, ListInput{})
	if err != nil || len(p.Items) != 1 || p.Items[0] != "my-team" {
		t.Fatalf("ListAccountAliases = %+v, %v", p, err)
	}
	if err := s.DeleteAccountAlias(ctx, testAccount, "my-team"); err != nil {
		t.Fatal(err)
	}
	wantIDErr(t, "DeleteAccountAlias(again)", s.DeleteAccountAlias(ctx, testAccount, "my-team"), store.ErrNotFound, "")
	_, err = s.GetLoginProfile(ctx, testAccount, "u")
	wantIDErr(t, "GetLoginProfile", err, store.ErrNotFound, "Login Profile for User u cannot be found.")
	_, err = s.GetLoginProfile(ctx, testAccount, "nobody")
	wantIDErr(t, "GetLoginProfile(nobody)", err, store.ErrNotFound, "The user with name nobody cannot be found.")
}

// TestAccessKeyQuotaRace creates keys for one user from many goroutines at
// once: exactly two succeed, the others are LimitExceeded.
func TestAccessKeyQuotaRace(t *testing.T) { forEachBackend(t, testAccessKeyQuotaRace) }

func testAccessKeyQuotaRace(t *testing.T, s *Service, _ store.Store) {
	ctx := context.Background()
	if _, err := s.CreateUser(ctx, testAccount, CreateUserInput{UserName: "racer"}); err != nil {
		t.Fatal(err)
	}
	owner := store.EntityRef{Kind: store.KindUser, Name: "racer"}
	const n = 8
	errs := make(chan error, n)
	for range n {
		go func() {
			_, err := s.CreateAccessKey(ctx, testAccount, owner)
			errs <- err
		}()
	}
	created, refused := 0, 0
	for range n {
		switch err := <-errs; {
		case err == nil:
			created++
		case errors.Is(err, store.ErrLimitExceeded):
			refused++
		default:
			t.Errorf("CreateAccessKey = %v", err)
		}
	}
	if created != 2 || refused != n-2 {
		t.Errorf("racing CreateAccessKey: %d created, %d refused; want 2 and %d", created, refused, n-2)
	}
}
