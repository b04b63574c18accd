package iam

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, to make a schema per test

	"github.com/iamq/iamq/internal/managed"
	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/internal/store/postgres"
	"github.com/iamq/iamq/internal/store/postgres/pgtest"
	"github.com/iamq/iamq/internal/store/sqlite"
)

const testAccount = "123456789012"

// trust is a valid trust policy.
const trust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`

// newTestService returns a Service over a fresh SQLite store with one
// account, and the store.
func newTestService(t *testing.T) (*Service, store.Store) {
	t.Helper()
	return newTestServiceOn(t, openSQLite)
}

// testKey encrypts the test stores' secrets.
func testKey() []byte { return bytes.Repeat([]byte{7}, 32) }

func openSQLite(t *testing.T) store.Store {
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "iamq.db"), store.Options{Key: testKey()})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// forEachBackend runs test on a fresh SQLite store and, when
// IAMQ_TEST_POSTGRES names a server (scripts/test.sh starts one), on a fresh
// PostgreSQL schema.
func forEachBackend(t *testing.T, test func(t *testing.T, s *Service, st store.Store)) {
	backends := []struct {
		name string
		open func(t *testing.T) store.Store
	}{{"sqlite", openSQLite}}
	if pgtest.Available() {
		backends = append(backends, struct {
			name string
			open func(t *testing.T) store.Store
		}{"postgres", openPostgres})
	}
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			s, st := newTestServiceOn(t, b.open)
			test(t, s, st)
		})
	}
}

// openPostgres opens a PostgreSQL store in a fresh schema, dropped when the
// test ends.
func openPostgres(t *testing.T) store.Store {
	st, err := postgres.Open(context.Background(), pgtest.SchemaURL(t), store.Options{Key: testKey()})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// newTestServiceOn returns a Service over the store open returns, with one
// account, and the store.
func newTestServiceOn(t *testing.T, open func(t *testing.T) store.Store) (*Service, store.Store) {
	t.Helper()
	ctx := context.Background()
	st := open(t)
	t.Cleanup(func() { st.Close() })
	if _, err := st.CreateAccount(ctx, store.Account{ID: testAccount}); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 26, 1, 2, 3, 0, time.UTC)
	return New(st, managed.Builtin(), Options{Now: func() time.Time { return now }}), st
}

// wantErr checks that err is of kind with message msg ("" = any message).
func wantIDErr(t *testing.T, op string, err, kind error, msg string) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Fatalf("%s = %v, want %v", op, err, kind)
	}
	if msg != "" && !hasMessage(err, msg) {
		t.Fatalf("%s = %q, want message %q", op, err, msg)
	}
}

// hasMessage reports whether err's text ends with msg (store errors carry
// their sentinel's text in front, which the server strips).
func hasMessage(err error, msg string) bool {
	s := err.Error()
	return len(s) >= len(msg) && s[len(s)-len(msg):] == msg
}

func TestUsers(t *testing.T) { forEachBackend(t, testUsers) }

func testUsers(t *testing.T, s *Service, st store.Store) {
	ctx := context.Background()
	u, err := s.CreateUser(ctx, testAccount, CreateUserInput{UserName: "Alice", Path: "/eng/", Tags: []store.Tag{{Key: "team", Value: "a"}}})
	if err != nil {
		t.Fatal(err)
	}
	if u.Path != "/eng/" || u.ID == "" || len(u.Tags) != 1 || !u.Created.Equal(s.now()) {
		t.Errorf("CreateUser = %+v", u)
	}
	_, err = s.CreateUser(ctx, testAccount, CreateUserInput{UserName: "alice"})
	wantIDErr(t, "CreateUser(alice)", err, store.ErrAlreadyExists, "User with name alice already exists.")
	_, err = s.CreateUser(ctx, testAccount, CreateUserInput{UserName: "bob", Path: "eng"})
	wantIDErr(t, "CreateUser(bad path)", err, ErrValidation, "The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.")
	_, err = s.CreateUser(ctx, testAccount, CreateUserInput{UserName: "bob", PermissionsBoundary: "arn:aws:iam::123456789012:role/x"})
	wantIDErr(t, "CreateUser(bad boundary)", err, ErrInvalidInput, "ARN arn:aws:iam::123456789012:role/x is not valid.")
	_, err = s.CreateUser(ctx, testAccount, CreateUserInput{UserName: "bob", PermissionsBoundary: "arn:aws:iam::123456789012:policy/none"})
	wantIDErr(t, "CreateUser(missing boundary)", err, store.ErrNotFound, "")
	if _, err := s.GetUser(ctx, testAccount, "bob"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a rejected CreateUser created bob: %v", err)
	}
	_, err = s.GetUser(ctx, testAccount, "nobody")
	wantIDErr(t, "GetUser(nobody)", err, store.ErrNotFound, "The user with name nobody cannot be found.")

	if err := s.UpdateUser(ctx, testAccount, UpdateUserInput{UserName: "alice", NewUserName: "Alicia", NewPath: "/ops/"}); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetUser(ctx, testAccount, "ALICIA")
	if err != nil || got.Name != "Alicia" || got.Path != "/ops/" || got.ID != u.ID {
		t.Fatalf("GetUser after UpdateUser = %+v, %v", got, err)
	}
	for _, name := range []string{"b", "c", "d"} {
		if _, err := s.CreateUser(ctx, testAccount, CreateUserInput{UserName: name}); err != nil {
			t.Fatal(err)
		}
	}
	p, err := s.ListUsers(ctx, testAccount, ListInput{MaxItems: 3})
	if err != nil || len(p.Items) != 3 || !p.IsTruncated || p.Items[0].Name != "Alicia" {
		t.Fatalf("ListUsers page 1 = %+v, %v", p, err)
	}
	p, err = s.ListUsers(ctx, testAccount, ListInput{MaxItems: 3, Marker: p.Marker})
	if err != nil || len(p.Items) != 1 || p.IsTruncated || p.Items[0].Name != "d" {
		t.Fatalf("ListUsers page 2 = %+v, %v", p, err)
	}
	p, err = s.ListUsers(ctx, testAccount, ListInput{PathPrefix: "/ops"})
	if err != nil || len(p.Items) != 1 {
		t.Fatalf("ListUsers(/ops) = %+v, %v", p, err)
	}
	_, err = s.ListUsers(ctx, testAccount, ListInput{MaxItems: 1001})
	wantIDErr(t, "ListUsers(1001)", err, ErrValidation, "")

	if err := s.DeleteUser(ctx, testAccount, "d"); err != nil {
		t.Fatal(err)
	}
	err = s.DeleteUser(ctx, testAccount, "d")
	wantIDErr(t, "DeleteUser(d) again", err, store.ErrNotFound, "The user with name d cannot be found.")
}

func TestTags(t *testing.T) { forEachBackend(t, testTags) }

func testTags(t *testing.T, s *Service, st store.Store) {
	ctx := context.Background()
	if _, err := s.CreateUser(ctx, testAccount, CreateUserInput{UserName: "u"}); err != nil {
		t.Fatal(err)
	}
	if err := s.TagUser(ctx, testAccount, "u", []store.Tag{{Key: "b", Value: "2"}, {Key: "a", Value: "1"}, {Key: "c", Value: ""}}); err != nil {
		t.Fatal(err)
	}
	p, err := s.ListUserTags(ctx, testAccount, "u", ListInput{MaxItems: 2})
	if err != nil || len(p.Items) != 2 || !p.IsTruncated || p.Items[0].Key != "a" {
		t.Fatalf("ListUserTags page 1 = %+v, %v", p, err)
	}
	p, err = s.ListUserTags(ctx, testAccount, "u", ListInput{MaxItems: 2, Marker: p.Marker})
	if err != nil || len(p.Items) != 1 || p.IsTruncated || p.Items[0].Key != "c" {
		t.Fatalf("ListUserTags page 2 = %+v, %v", p, err)
	}
	if err := s.UntagUser(ctx, testAccount, "u", []string{"A", "missing"}); err != nil {
		t.Fatal(err)
	}
	if p, _ := s.ListUserTags(ctx, testAccount, "u", ListInput{}); len(p.Items) != 2 {
		t.Errorf("after UntagUser: %+v", p.Items)
	}
	err = s.TagUser(ctx, testAccount, "nobody", []store.Tag{{Key: "a", Value: "b"}})
	wantIDErr(t, "TagUser(nobody)", err, store.ErrNotFound, "The user with name nobody cannot be found.")
	_, err = s.ListUserTags(ctx, testAccount, "u", ListInput{Marker: "bogus"})
	wantIDErr(t, "ListUserTags(bad marker)", err, ErrInvalidInput, "Invalid Marker.")
	many := make([]store.Tag, 49)
	for i := range many {
		many[i] = store.Tag{Key: fmt.Sprintf("k%d", i), Value: "v"}
	}
	err = s.TagUser(ctx, testAccount, "u", many)
	wantIDErr(t, "TagUser(51 in all)", err, store.ErrLimitExceeded, "Cannot exceed quota for TagsPerUser: 50")
	if p, _ := s.ListUserTags(ctx, testAccount, "u", ListInput{}); len(p.Items) != 2 {
		t.Errorf("a refused TagUser changed the tags: %d", len(p.Items))
	}
}

func TestGroups(t *testing.T) { forEachBackend(t, testGroups) }

func testGroups(t *testing.T, s *Service, st store.Store) {
	ctx := context.Background()
	if _, err := s.CreateGroup(ctx, testAccount, "devs", ""); err != nil {
		t.Fatal(err)
	}
	_, err := s.CreateGroup(ctx, testAccount, "DEVS", "/")
	wantIDErr(t, "CreateGroup(DEVS)", err, store.ErrAlreadyExists, "Group with name DEVS already exists.")
	if _, err := s.CreateUser(ctx, testAccount, CreateUserInput{UserName: "u"}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddUserToGroup(ctx, testAccount, "devs", "u"); err != nil {
		t.Fatal(err)
	}
	g, err := s.GetGroup(ctx, testAccount, "devs", ListInput{})
	if err != nil || g.Group.Path != "/" || len(g.Users.Items) != 1 || g.Users.Items[0].Name != "u" {
		t.Fatalf("GetGroup = %+v, %v", g, err)
	}
	err = s.DeleteGroup(ctx, testAccount, "devs")
	wantIDErr(t, "DeleteGroup(with member)", err, store.ErrDeleteConflict, "Cannot delete entity, must remove users from group first.")
	err = s.DeleteUser(ctx, testAccount, "u")
	wantIDErr(t, "DeleteUser(member)", err, store.ErrDeleteConflict, "Cannot delete entity, must remove user from all groups first.")
	gs, err := s.ListGroupsForUser(ctx, testAccount, "u", ListInput{})
	if err != nil || len(gs.Items) != 1 {
		t.Fatalf("ListGroupsForUser = %+v, %v", gs, err)
	}
	if err := s.UpdateGroup(ctx, testAccount, UpdateGroupInput{GroupName: "devs", NewGroupName: "builders"}); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveUserFromGroup(ctx, testAccount, "builders", "u"); err != nil {
		t.Fatal(err)
	}
	err = s.RemoveUserFromGroup(ctx, testAccount, "builders", "u")
	wantIDErr(t, "RemoveUserFromGroup again", err, store.ErrNotFound, "")
	if err := s.DeleteGroup(ctx, testAccount, "builders"); err != nil {
		t.Fatal(err)
	}
	if p, _ := s.ListGroups(ctx, testAccount, ListInput{}); len(p.Items) != 0 {
		t.Errorf("ListGroups after delete = %+v", p.Items)
	}
}

func TestRoles(t *testing.T) { forEachBackend(t, testRoles) }

func testRoles(t *testing.T, s *Service, st store.Store) {
	ctx := context.Background()
	r, err := s.CreateRole(ctx, testAccount, CreateRoleInput{RoleName: "web", AssumeRolePolicyDocument: trust, Description: "d"})
	if err != nil {
		t.Fatal(err)
	}
	if r.MaxSessionDuration != 3600 || r.AssumeRolePolicy != trust {
		t.Errorf("CreateRole = %+v", r)
	}
	tests := []struct {
		name string
		in   CreateRoleInput
		kind error
		msg  string
	}{
		{"identity policy as trust", CreateRoleInput{RoleName: "x", AssumeRolePolicyDocument: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`},
			ErrMalformedPolicy, ""},
		{"not JSON", CreateRoleInput{RoleName: "x", AssumeRolePolicyDocument: `{`}, ErrMalformedPolicy, ""},
		{"session too short", CreateRoleInput{RoleName: "x", AssumeRolePolicyDocument: trust, MaxSessionDuration: 3599}, ErrValidation,
			"1 validation error detected: Value '3599' at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600"},
		{"session too long", CreateRoleInput{RoleName: "x", AssumeRolePolicyDocument: trust, MaxSessionDuration: 43201}, ErrValidation, ""},
		{"name too long", CreateRoleInput{RoleName: string(bytes.Repeat([]byte("r"), 65)), AssumeRolePolicyDocument: trust}, ErrValidation, ""},
		{"taken", CreateRoleInput{RoleName: "WEB", AssumeRolePolicyDocument: trust}, store.ErrAlreadyExists, "Role with name WEB already exists."},
		{"trust too large", CreateRoleInput{RoleName: "x", AssumeRolePolicyDocument: bigTrust()}, store.ErrLimitExceeded, "Cannot exceed quota for ACLSizePerRole: 2048"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.CreateRole(ctx, testAccount, tt.in)
			wantIDErr(t, "CreateRole", err, tt.kind, tt.msg)
		})
	}
	if p, _ := s.ListRoles(ctx, testAccount, ListInput{}); len(p.Items) != 1 {
		t.Fatalf("refused CreateRoles created roles: %+v", p.Items)
	}
	d := 7200
	if r, err = s.UpdateRole(ctx, testAccount, UpdateRoleInput{RoleName: "web", MaxSessionDuration: &d}); err != nil || r.MaxSessionDuration != 7200 || r.Description != "d" {
		t.Fatalf("UpdateRole = %+v, %v", r, err)
	}
	if r, err = s.UpdateRoleDescription(ctx, testAccount, "web", "new"); err != nil || r.Description != "new" {
		t.Fatalf("UpdateRoleDescription = %+v, %v", r, err)
	}
	newTrust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}`
	if err := s.UpdateAssumeRolePolicy(ctx, testAccount, "web", newTrust); err != nil {
		t.Fatal(err)
	}
	if r, _ := s.GetRole(ctx, testAccount, "web"); r.AssumeRolePolicy != newTrust {
		t.Errorf("GetRole after UpdateAssumeRolePolicy = %q", r.AssumeRolePolicy)
	}

	// A service-linked role refuses its trust policy's and its own deletion.
	err = st.Update(ctx, testAccount, func(tx store.Tx) error {
		_, err := tx.CreateRole(store.Role{Name: "AWSServiceRoleForAmazonMQ", Path: "/aws-service-role/mq.amazonaws.com/", AssumeRolePolicy: trust, ServiceLinked: true})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	msg := "Cannot perform the operation on the protected role 'AWSServiceRoleForAmazonMQ' - this role is only modifiable by AWS"
	wantIDErr(t, "UpdateAssumeRolePolicy(SLR)", s.UpdateAssumeRolePolicy(ctx, testAccount, "AWSServiceRoleForAmazonMQ", trust), ErrUnmodifiable, msg)
	wantIDErr(t, "DeleteRole(SLR)", s.DeleteRole(ctx, testAccount, "AWSServiceRoleForAmazonMQ"), ErrUnmodifiable, msg)
	if _, err := s.UpdateRoleDescription(ctx, testAccount, "AWSServiceRoleForAmazonMQ", "ok"); err != nil {
		t.Errorf("UpdateRoleDescription(SLR) = %v, want success", err)
	}

	if err := s.TagRole(ctx, testAccount, "web", []store.Tag{{Key: "k", Value: "v"}}); err != nil {
		t.Fatal(err)
	}
	if p, err := s.ListRoleTags(ctx, testAccount, "web", ListInput{}); err != nil || len(p.Items) != 1 {
		t.Fatalf("ListRoleTags = %+v, %v", p, err)
	}
	if err := s.UntagRole(ctx, testAccount, "web", []string{"k"}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteRole(ctx, testAccount, "web"); err != nil {
		t.Fatal(err)
	}
	_, err = s.GetRole(ctx, testAccount, "web")
	wantIDErr(t, "GetRole(deleted)", err, store.ErrNotFound, "The role with name web cannot be found.")
}

// bigTrust is a valid trust policy of more than 2,048 characters.
func bigTrust() string {
	var b bytes.Buffer
	b.WriteString(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":[`)
	for i := range 60 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"arn:aws:iam::123456789012:user/u` + string(rune('a'+i%26)) + `"`)
	}
	b.WriteString(`]},"Action":"sts:AssumeRole"}]}`)
	return b.String()
}

func TestInstanceProfiles(t *testing.T) { forEachBackend(t, testInstanceProfiles) }

func testInstanceProfiles(t *testing.T, s *Service, st store.Store) {
	ctx := context.Background()
	if _, err := s.CreateRole(ctx, testAccount, CreateRoleInput{RoleName: "web", AssumeRolePolicyDocument: trust}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateInstanceProfile(ctx, testAccount, "web-profile", "/", []store.Tag{{Key: "a", Value: "b"}}); err != nil {
		t.Fatal(err)
	}
	_, err := s.CreateInstanceProfile(ctx, testAccount, "WEB-profile", "", nil)
	wantIDErr(t, "CreateInstanceProfile(taken)", err, store.ErrAlreadyExists, "")
	if err := s.AddRoleToInstanceProfile(ctx, testAccount, "web-profile", "web"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateRole(ctx, testAccount, CreateRoleInput{RoleName: "other", AssumeRolePolicyDocument: trust}); err != nil {
		t.Fatal(err)
	}
	err = s.AddRoleToInstanceProfile(ctx, testAccount, "web-profile", "other")
	wantIDErr(t, "AddRoleToInstanceProfile(second role)", err, store.ErrLimitExceeded, "")
	p, err := s.GetInstanceProfile(ctx, testAccount, "web-profile")
	if err != nil || len(p.Roles) != 1 || p.Roles[0].Name != "web" || p.Roles[0].AssumeRolePolicy != trust {
		t.Fatalf("GetInstanceProfile = %+v, %v", p, err)
	}
	fr, err := s.ListInstanceProfilesForRole(ctx, testAccount, "web", ListInput{})
	if err != nil || len(fr.Items) != 1 {
		t.Fatalf("ListInstanceProfilesForRole = %+v, %v", fr, err)
	}
	wantIDErr(t, "DeleteRole(in profile)", s.DeleteRole(ctx, testAccount, "web"), store.ErrDeleteConflict,
		"Cannot delete entity, must remove roles from instance profile first.")
	wantIDErr(t, "DeleteInstanceProfile(with role)", s.DeleteInstanceProfile(ctx, testAccount, "web-profile"), store.ErrDeleteConflict, "")
	if err := s.RemoveRoleFromInstanceProfile(ctx, testAccount, "web-profile", "web"); err != nil {
		t.Fatal(err)
	}
	if tags, err := s.ListInstanceProfileTags(ctx, testAccount, "web-profile", ListInput{}); err != nil || len(tags.Items) != 1 {
		t.Fatalf("ListInstanceProfileTags = %+v, %v", tags, err)
	}
	if err := s.DeleteInstanceProfile(ctx, testAccount, "web-profile"); err != nil {
		t.Fatal(err)
	}
	if l, _ := s.ListInstanceProfiles(ctx, testAccount, ListInput{}); len(l.Items) != 0 {
		t.Errorf("ListInstanceProfiles = %+v", l.Items)
	}
}

func TestTagWithoutTags(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	if _, err := s.CreateRole(ctx, testAccount, CreateRoleInput{RoleName: "r", AssumeRolePolicyDocument: trust}); err != nil {
		t.Fatal(err)
	}
	err := s.TagRole(ctx, testAccount, "r", nil)
	wantIDErr(t, "TagRole(no tags)", err, ErrValidation, "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null")
}
