package authz

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/iamq/iamq/eval"
	"github.com/iamq/iamq/internal/managed"
	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/internal/store/sqlite"
)

const account = "111122223333"

// fixture is an account in a real SQLite store with an Authorizer over it.
type fixture struct {
	t     *testing.T
	ctx   context.Context
	store store.Store
	authz *Authorizer
	// changes is the process's follower of the change sequence, which the
	// authorizer subscribes to.
	changes *store.Follower
}

// openStore opens a SQLite store in a temporary directory, closed when
// the test ends.
func openStore(t *testing.T) *sqlite.Store {
	t.Helper()
	dir := t.TempDir()
	st, err := sqlite.Open(context.Background(), filepath.Join(dir, "iamq.db"), store.Options{KeyFile: filepath.Join(dir, "key")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	st := openStore(t)
	if _, err := st.CreateAccount(ctx, store.Account{ID: account}); err != nil {
		t.Fatal(err)
	}
	a := New(st, managed.Builtin(), Options{})
	runCtx, cancel := context.WithCancel(ctx)
	t.Cleanup(cancel)
	follower := store.NewFollower(st)
	follower.Subscribe(a.Apply)
	if err := follower.Start(runCtx, nil); err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, ctx: ctx, store: st, authz: a, changes: follower}
}

// update changes the account and syncs the authorizer, as the endpoint does
// after each write it serves.
func (f *fixture) update(fn func(tx store.Tx) error) {
	f.t.Helper()
	if err := f.store.Update(f.ctx, account, fn); err != nil {
		f.t.Fatal(err)
	}
	if err := f.changes.Sync(f.ctx); err != nil {
		f.t.Fatal(err)
	}
}

func user(name string) *Principal {
	return &Principal{Kind: eval.PrincipalUser, Account: account, ARN: "arn:aws:iam::" + account + ":user/" + name, Name: name, UserID: "AIDAEXAMPLE" + name}
}

func (f *fixture) decide(p *Principal, action, resource string) error {
	return f.authz.Authorize(f.ctx, p, &Request{Action: action, Resource: resource,
		Info: RequestInfo{Time: time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC), Region: "us-east-1", SourceIP: netip.MustParseAddr("203.0.113.7")}})
}

func (f *fixture) wantAllowed(p *Principal, action, resource string) {
	f.t.Helper()
	if err := f.decide(p, action, resource); err != nil {
		f.t.Errorf("Authorize(%s, %s, %s) = %v, want allowed", p.Name, action, resource, err)
	}
}

func (f *fixture) wantDenied(p *Principal, action, resource, because string) {
	f.t.Helper()
	err := f.decide(p, action, resource)
	if !errors.Is(err, ErrAccessDenied) {
		f.t.Errorf("Authorize(%s, %s, %s) = %v, want AccessDenied", p.Name, action, resource, err)
		return
	}
	if !strings.HasSuffix(err.Error(), because) {
		f.t.Errorf("Authorize(%s, %s, %s) = %q, want it to end %q", p.Name, action, resource, err, because)
	}
}

const (
	allowAll  = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	denyUsers = `{"Version":"2012-10-17","Statement":[{"Sid":"NoUsers","Effect":"Deny","Action":"iam:*User","Resource":"*"}]}`
	iamOnly   = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*","Resource":"*"}]}`
	mqRead    = "arn:aws:iam::aws:policy/AmazonMQReadOnlyAccess"
	broker    = "arn:aws:mq:us-east-1:" + account + ":broker:b1:b-1234"
)

func TestUserPolicies(t *testing.T) {
	f := newFixture(t)
	alice := user("alice")
	f.update(func(tx store.Tx) error { _, err := tx.CreateUser(store.User{Name: "alice", Path: "/"}); return err })
	f.wantDenied(alice, "iam:ListUsers", "arn:aws:iam::"+account+":user/",
		"because no identity-based policy allows the iam:ListUsers action")

	// An AWS managed policy, by reference.
	f.update(func(tx store.Tx) error {
		return tx.AttachPolicy(store.EntityRef{Kind: store.KindUser, Name: "alice"}, mqRead)
	})
	f.wantAllowed(alice, "mq:DescribeBroker", broker)
	f.wantDenied(alice, "mq:CreateBroker", broker, "because no identity-based policy allows the mq:CreateBroker action")

	// A group's inline policy applies to its members; an explicit deny wins.
	f.update(func(tx store.Tx) error {
		if _, err := tx.CreateGroup(store.Group{Name: "admins", Path: "/"}); err != nil {
			return err
		}
		if err := tx.AddUserToGroup("admins", "alice"); err != nil {
			return err
		}
		return tx.PutInlinePolicy(store.EntityRef{Kind: store.KindGroup, Name: "admins"}, store.InlinePolicy{Name: "all", Document: allowAll, Size: 60})
	})
	f.wantAllowed(alice, "mq:CreateBroker", broker)
	f.update(func(tx store.Tx) error {
		return tx.PutInlinePolicy(store.EntityRef{Kind: store.KindUser, Name: "alice"}, store.InlinePolicy{Name: "deny", Document: denyUsers, Size: 60})
	})
	f.wantDenied(alice, "iam:CreateUser", "arn:aws:iam::"+account+":user/bob", "with an explicit deny in an identity-based policy")
	f.wantAllowed(alice, "iam:CreateGroup", "arn:aws:iam::"+account+":group/g")

	// Leaving the group takes its policy away on the next request.
	f.update(func(tx store.Tx) error { return tx.RemoveUserFromGroup("admins", "alice") })
	f.wantDenied(alice, "mq:CreateBroker", broker, "because no identity-based policy allows the mq:CreateBroker action")
}

func TestBoundary(t *testing.T) {
	f := newFixture(t)
	bob := user("bob")
	f.update(func(tx store.Tx) error {
		if _, err := tx.CreateUser(store.User{Name: "bob", Path: "/", PermissionsBoundary: mqRead}); err != nil {
			return err
		}
		return tx.PutInlinePolicy(store.EntityRef{Kind: store.KindUser, Name: "bob"}, store.InlinePolicy{Name: "all", Document: allowAll, Size: 60})
	})
	f.wantAllowed(bob, "mq:ListBrokers", "*")
	f.wantDenied(bob, "iam:ListUsers", "*", "because no permissions boundary allows the iam:ListUsers action")
}

func TestCustomerPolicyVersions(t *testing.T) {
	f := newFixture(t)
	carol := user("carol")
	arn := "arn:aws:iam::" + account + ":policy/team/iam-only"
	f.update(func(tx store.Tx) error {
		if _, err := tx.CreateUser(store.User{Name: "carol", Path: "/"}); err != nil {
			return err
		}
		if _, err := tx.CreatePolicy(store.Policy{Name: "iam-only", Path: "/team/"}, iamOnly); err != nil {
			return err
		}
		return tx.AttachPolicy(store.EntityRef{Kind: store.KindUser, Name: "carol"}, arn)
	})
	f.wantAllowed(carol, "iam:GetUser", "*")
	f.wantDenied(carol, "mq:ListBrokers", "*", "because no identity-based policy allows the mq:ListBrokers action")
	// A new default version changes the decision at once.
	f.update(func(tx store.Tx) error { _, err := tx.CreatePolicyVersion("iam-only", allowAll, true); return err })
	f.wantAllowed(carol, "mq:ListBrokers", "*")
}

func TestRootAndSessions(t *testing.T) {
	f := newFixture(t)
	root := &Principal{Kind: eval.PrincipalRoot, Account: account, ARN: "arn:aws:iam::" + account + ":root"}
	f.wantAllowed(root, "iam:CreateUser", "*")
	f.update(func(tx store.Tx) error {
		if _, err := tx.CreateRole(store.Role{Name: "ops", Path: "/", AssumeRolePolicy: `{"Version":"2012-10-17","Statement":[]}`}); err != nil {
			return err
		}
		return tx.PutInlinePolicy(store.EntityRef{Kind: store.KindRole, Name: "ops"}, store.InlinePolicy{Name: "all", Document: allowAll, Size: 60})
	})
	free := &Principal{Kind: eval.PrincipalRoleSession, Account: account, Name: "ops",
		ARN: "arn:aws:sts::" + account + ":assumed-role/ops/s1", Key: &store.AccessKey{ID: "ASIAFREE"}, Session: &Session{Name: "s1"}}
	f.wantAllowed(free, "iam:CreateUser", "*")
	narrowed := &Principal{Kind: eval.PrincipalRoleSession, Account: account, Name: "ops",
		ARN: "arn:aws:sts::" + account + ":assumed-role/ops/s2", Key: &store.AccessKey{ID: "ASIANARROW"}, Session: &Session{Name: "s2", PolicyARNs: []string{mqRead}}}
	f.wantAllowed(narrowed, "mq:DescribeBroker", broker)
	f.wantDenied(narrowed, "iam:CreateUser", "*", "because no session policy allows the iam:CreateUser action")
}

func TestRequestContext(t *testing.T) {
	f := newFixture(t)
	dave := user("dave")
	const fromOffice = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:Get*","Resource":"*",
		"Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"},"StringEquals":{"aws:RequestedRegion":"us-east-1","aws:PrincipalTag/team":"${aws:username}"}}}]}`
	f.update(func(tx store.Tx) error {
		if _, err := tx.CreateUser(store.User{Name: "dave", Path: "/", Tags: []store.Tag{{Key: "team", Value: "dave"}}}); err != nil {
			return err
		}
		return tx.PutInlinePolicy(store.EntityRef{Kind: store.KindUser, Name: "dave"}, store.InlinePolicy{Name: "office", Document: fromOffice, Size: 100})
	})
	f.wantAllowed(dave, "iam:GetUser", "*")
	err := f.authz.Authorize(f.ctx, dave, &Request{Action: "iam:GetUser", Resource: "*",
		Info: RequestInfo{Region: "us-east-1", SourceIP: netip.MustParseAddr("198.51.100.1")}})
	if !errors.Is(err, ErrAccessDenied) {
		t.Errorf("Authorize from outside the office = %v, want AccessDenied", err)
	}
	err = f.authz.Authorize(f.ctx, dave, &Request{Action: "iam:GetUser", Resource: "*",
		Info: RequestInfo{Region: "eu-west-1", SourceIP: netip.MustParseAddr("203.0.113.9")}})
	if !errors.Is(err, ErrAccessDenied) {
		t.Errorf("Authorize in eu-west-1 = %v, want AccessDenied", err)
	}
}

func TestSplitPolicyARN(t *testing.T) {
	tests := []struct {
		arn, account, path, name string
		ok                       bool
	}{
		{"arn:aws:iam::aws:policy/AmazonMQFullAccess", "aws", "/", "AmazonMQFullAccess", true},
		{"arn:aws:iam::aws:policy/job-function/ViewOnlyAccess", "aws", "/job-function/", "ViewOnlyAccess", true},
		{"arn:aws:iam::111122223333:policy/a/b/p", "111122223333", "/a/b/", "p", true},
		{"arn:aws:iam::111122223333:user/p", "", "", "", false},
		{"arn:aws:iam::111122223333:policy/a/", "", "", "", false},
	}
	for _, tt := range tests {
		account, path, name, ok := splitPolicyARN(tt.arn)
		if ok != tt.ok || (ok && (account != tt.account || path != tt.path || name != tt.name)) {
			t.Errorf("splitPolicyARN(%s) = %s %s %s %v", tt.arn, account, path, name, ok)
		}
	}
}

// TestCacheBounded: role sessions, each a principal of its own, do not grow
// the cache past its bound; out-of-date sets go first, and every session is
// still decided right.
func TestCacheBounded(t *testing.T) {
	f := newFixture(t)
	f.authz.maxSets = 8
	f.update(func(tx store.Tx) error {
		if _, err := tx.CreateRole(store.Role{Name: "ops", Path: "/", AssumeRolePolicy: `{"Version":"2012-10-17","Statement":[]}`}); err != nil {
			return err
		}
		return tx.PutInlinePolicy(store.EntityRef{Kind: store.KindRole, Name: "ops"}, store.InlinePolicy{Name: "iam", Document: iamOnly, Size: 60})
	})
	session := func(i int) *Principal {
		return &Principal{Kind: eval.PrincipalRoleSession, Account: account, Name: "ops",
			ARN: fmt.Sprintf("arn:aws:sts::%s:assumed-role/ops/s%d", account, i), Key: &store.AccessKey{ID: fmt.Sprintf("ASIA%016d", i)}, Session: &Session{Name: "s"}}
	}
	for i := range 30 {
		f.wantAllowed(session(i), "iam:GetRole", "*")
		f.wantDenied(session(i), "mq:DescribeBroker", broker, "because no identity-based policy allows the mq:DescribeBroker action")
		if n := len(f.authz.sets); n > 8 {
			t.Fatalf("after %d sessions the cache holds %d sets, want at most 8", i+1, n)
		}
	}
	// A change makes every cached set of the account out of date: once the
	// cache is full, the next set stored evicts those and keeps the sets of
	// other accounts.
	const other = "444455556666"
	if _, err := f.store.CreateAccount(f.ctx, store.Account{ID: other}); err != nil {
		t.Fatal(err)
	}
	if err := f.store.Update(f.ctx, other, func(tx store.Tx) error {
		if _, err := tx.CreateUser(store.User{Name: "bob"}); err != nil {
			return err
		}
		return tx.PutInlinePolicy(store.EntityRef{Kind: store.KindUser, Name: "bob"}, store.InlinePolicy{Name: "iam", Document: iamOnly, Size: 60})
	}); err != nil {
		t.Fatal(err)
	}
	if err := f.changes.Sync(f.ctx); err != nil {
		t.Fatal(err)
	}
	bob := &Principal{Kind: eval.PrincipalUser, Account: other, ARN: "arn:aws:iam::" + other + ":user/bob", Name: "bob", UserID: "AIDAEXAMPLEBOB"}
	f.wantAllowed(bob, "iam:GetUser", "*")
	for i := 30; len(f.authz.sets) < 8; i++ {
		f.wantAllowed(session(i), "iam:GetRole", "*")
	}
	f.update(func(tx store.Tx) error {
		return tx.PutInlinePolicy(store.EntityRef{Kind: store.KindRole, Name: "ops"}, store.InlinePolicy{Name: "all", Document: allowAll, Size: 60})
	})
	f.wantAllowed(session(99), "mq:DescribeBroker", broker)
	if _, ok := f.authz.sets[bob.cacheKey()]; !ok || len(f.authz.sets) != 2 {
		t.Errorf("after a change and one new session the cache holds %d sets (bob's kept: %v), want bob's and the new one", len(f.authz.sets), ok)
	}
}
