package iamapi

import (
	"fmt"
	"testing"

	"github.com/iamq/iamq/internal/store"
)

// The account of the identity benchmarks: IAM's quota of users, and a tenth
// of that in roles, each user in a group.
const (
	benchUsers  = 5000
	benchRoles  = 500
	benchGroups = 50
)

// BenchmarkIdentitiesHTTP measures identity operations through HTTP on
// loopback (signed and verified requests, the SQLite store, XML) over an
// account of 5,000 users, 50 groups and 500 roles. It reports the p50 and
// p99 latency per call as the client sees it, and the CPU time per call of
// client and server together.
//
//	go test ./internal/server -run '^$' -bench IdentitiesHTTP -benchtime 500x
func BenchmarkIdentitiesHTTP(b *testing.B) {
	srv, keyID, secret := newBenchServer(b, fillIdentityBench)
	scenarios := []struct{ name, body string }{
		{"ListUsers/first-page", "Action=ListUsers&Version=2010-05-08&MaxItems=100"},
		{"ListUsers/path-prefix", "Action=ListUsers&Version=2010-05-08&MaxItems=100&PathPrefix=/team-07/"},
		{"GetUser", "Action=GetUser&Version=2010-05-08&UserName=user-02500"},
		{"GetRole", "Action=GetRole&Version=2010-05-08&RoleName=role-0250"},
		{"ListGroupsForUser", "Action=ListGroupsForUser&Version=2010-05-08&UserName=user-02500"},
		{"GetAccountAuthorizationDetails/page-of-100", "Action=GetAccountAuthorizationDetails&Version=2010-05-08&MaxItems=100"},
	}
	for _, sc := range scenarios {
		b.Run(sc.name, func(b *testing.B) { benchCall(b, srv, keyID, secret, sc.body, "Result>") })
	}
}

// fillIdentityBench fills the benchmark's account: 50 groups, 5,000 users
// (each in a group, on a path per group) and 500 roles.
func fillIdentityBench(tx store.Tx) error {
	for i := range benchGroups {
		if _, err := tx.CreateGroup(store.Group{Name: fmt.Sprintf("group-%02d", i)}); err != nil {
			return err
		}
	}
	for i := range benchUsers {
		name := fmt.Sprintf("user-%05d", i)
		if _, err := tx.CreateUser(store.User{Name: name, Path: fmt.Sprintf("/team-%02d/", i%benchGroups)}); err != nil {
			return err
		}
		if err := tx.AddUserToGroup(fmt.Sprintf("group-%02d", i%benchGroups), name); err != nil {
			return err
		}
	}
	for i := range benchRoles {
		if _, err := tx.CreateRole(store.Role{Name: fmt.Sprintf("role-%04d", i), AssumeRolePolicy: idTrust}); err != nil {
			return err
		}
	}
	return nil
}
