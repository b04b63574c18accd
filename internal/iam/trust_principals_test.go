package iam

import (
	"context"
	"testing"

	"github.com/iamq/iamq/internal/store"
)

// TestTrustPrincipalsExist: a trust policy that names a user or role of an
// account iamq holds must name one that exists, as IAM requires ("Invalid
// principal in policy"); roots, services, wildcards and accounts iamq does
// not hold are accepted.
func TestTrustPrincipalsExist(t *testing.T) { forEachBackend(t, testTrustPrincipalsExist) }

func testTrustPrincipalsExist(t *testing.T, s *Service, _ store.Store) {
	ctx := context.Background()
	if _, err := s.CreateUser(ctx, testAccount, CreateUserInput{UserName: "alice", Path: "/team/"}); err != nil {
		t.Fatal(err)
	}
	trust := func(principal string) string {
		return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + principal + `"},"Action":"sts:AssumeRole"}]}`
	}
	own := "arn:aws:iam::" + testAccount + ":"
	tests := []struct {
		name, principal, msg string
	}{
		{"user", own + "user/team/alice", ""},
		{"root", own + "root", ""},
		{"account id", testAccount, ""},
		{"wildcard", own + "user/*", ""},
		{"other account", "arn:aws:iam::999988887777:user/nobody", ""},
		{"missing user", own + "user/bob", `Invalid principal in policy: "AWS":"` + own + `user/bob"`},
		{"wrong path", own + "user/alice", `Invalid principal in policy: "AWS":"` + own + `user/alice"`},
		{"missing role", own + "role/nope", `Invalid principal in policy: "AWS":"` + own + `role/nope"`},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := "r" + string(rune('a'+i))
			_, err := s.CreateRole(ctx, testAccount, CreateRoleInput{RoleName: name, AssumeRolePolicyDocument: trust(tt.principal)})
			if tt.msg == "" {
				if err != nil {
					t.Fatalf("CreateRole(trusting %s) = %v, want the role", tt.principal, err)
				}
				return
			}
			wantIDErr(t, "CreateRole", err, ErrMalformedPolicy, tt.msg)
			if _, err := s.GetRole(ctx, testAccount, name); err == nil {
				t.Errorf("role %s was created although its trust policy was refused", name)
			}
		})
	}
	// UpdateAssumeRolePolicy checks the same, and a role may then trust a
	// role that exists.
	err := s.UpdateAssumeRolePolicy(ctx, testAccount, "ra", trust(own+"role/nope"))
	wantIDErr(t, "UpdateAssumeRolePolicy", err, ErrMalformedPolicy, `Invalid principal in policy: "AWS":"`+own+`role/nope"`)
	if err := s.UpdateAssumeRolePolicy(ctx, testAccount, "ra", trust(own+"role/rb")); err != nil {
		t.Errorf("UpdateAssumeRolePolicy(trusting role rb) = %v", err)
	}
}
