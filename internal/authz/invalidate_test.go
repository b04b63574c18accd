package authz

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/iamq/iamq/internal/managed"
	"github.com/iamq/iamq/internal/store"
)

const otherAccount = "444455556666"

// cacheFixture is a real SQLite store with two accounts, an Authorizer and
// Credentials over it, and one access key per principal whose caches the
// test watches: alice and bob (users of account), a session of role ops,
// the root of account, and carol (a user of otherAccount).
type cacheFixture struct {
	t     *testing.T
	ctx   context.Context
	authz *Authorizer
	creds *Credentials
	keys  map[string]string // principal's name → its access key id
}

// watched are the principals a case names, in the order cases list them.
var watched = []string{"alice", "bob", "ops", "root", "carol"}

func newCacheFixture(t *testing.T) *cacheFixture {
	t.Helper()
	ctx := context.Background()
	st := openStore(t)
	f := &cacheFixture{t: t, ctx: ctx, authz: New(st, managed.Builtin(), Options{}), creds: NewCredentials(st, CredentialsOptions{}), keys: map[string]string{}}
	for _, acct := range []string{account, otherAccount} {
		if _, err := st.CreateAccount(ctx, store.Account{ID: acct}); err != nil {
			t.Fatal(err)
		}
	}
	key := func(tx store.Tx, name string, k store.AccessKey) error {
		k, err := tx.CreateAccessKey(k)
		f.keys[name] = k.ID
		return err
	}
	err := st.Update(ctx, account, func(tx store.Tx) error {
		if _, err := tx.CreateGroup(store.Group{Name: "devs", Path: "/"}); err != nil {
			return err
		}
		for _, name := range []string{"alice", "bob"} {
			if _, err := tx.CreateUser(store.User{Name: name, Path: "/", Tags: []store.Tag{{Key: "team", Value: "blue"}}}); err != nil {
				return err
			}
			if err := tx.PutInlinePolicy(store.EntityRef{Kind: store.KindUser, Name: name}, store.InlinePolicy{Name: "all", Document: allowAll, Size: 60}); err != nil {
				return err
			}
			if err := key(tx, name, store.AccessKey{Owner: store.EntityRef{Kind: store.KindUser, Name: name}}); err != nil {
				return err
			}
		}
		if err := tx.AddUserToGroup("devs", "alice"); err != nil {
			return err
		}
		if _, err := tx.CreatePolicy(store.Policy{Name: "Bobs", Path: "/"}, iamOnly); err != nil {
			return err
		}
		if err := tx.AttachPolicy(store.EntityRef{Kind: store.KindUser, Name: "bob"}, "arn:aws:iam::"+account+":policy/Bobs"); err != nil {
			return err
		}
		// ops's boundary is a policy yet to be created: its creation
		// changes ops's set.
		if _, err := tx.CreateRole(store.Role{Name: "ops", Path: "/", AssumeRolePolicy: `{"Version":"2012-10-17","Statement":[]}`,
			PermissionsBoundary: "arn:aws:iam::" + account + ":policy/later"}); err != nil {
			return err
		}
		if err := tx.AttachPolicy(store.EntityRef{Kind: store.KindRole, Name: "ops"}, mqRead); err != nil {
			return err
		}
		if err := key(tx, "ops", store.AccessKey{Owner: store.EntityRef{Kind: store.KindRole, Name: "ops"}, Expires: time.Now().Add(time.Hour),
			SessionToken: "token", Session: []byte(`{"name":"s1"}`)}); err != nil {
			return err
		}
		return key(tx, "root", store.AccessKey{Owner: store.EntityRef{Kind: store.KindAccount}})
	})
	if err != nil {
		t.Fatal(err)
	}
	err = st.Update(ctx, otherAccount, func(tx store.Tx) error {
		if _, err := tx.CreateUser(store.User{Name: "carol", Path: "/"}); err != nil {
			return err
		}
		return key(tx, "carol", store.AccessKey{Owner: store.EntityRef{Kind: store.KindUser, Name: "carol"}})
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// snapshot is what the caches hold for each watched principal: its cached
// key and its compiled set (nil for the root, which has none). A cache hit
// returns the very same pointers; a reload returns new ones.
type snapshot map[string][2]any

func (f *cacheFixture) snapshot() snapshot {
	f.t.Helper()
	s := snapshot{}
	for _, name := range watched {
		k, err := f.creds.Lookup(f.ctx, f.keys[name])
		if err != nil {
			f.t.Fatalf("Lookup(%s) = %v", name, err)
		}
		var set any
		if name != "root" {
			if set, _, err = f.authz.Set(f.ctx, k.Principal); err != nil {
				f.t.Fatalf("Set(%s) = %v", name, err)
			}
		}
		s[name] = [2]any{k.Principal, set}
	}
	return s
}

// TestApplyDropsWhatChanged: after each kind of change, the credential
// cache and the compiled sets drop exactly what the change can alter, and
// keep everything else (one case per kind of store.Change).
func TestApplyDropsWhatChanged(t *testing.T) {
	all := watched
	tests := []struct {
		name   string
		change store.Change
		// keys and sets are the principals whose cached key and
		// compiled set are dropped.
		keys, sets []string
	}{
		{"ssh key, signing certificate, service credential", store.Change{Kind: store.KindCredential, Op: store.OpCreate, Name: "APKAEXAMPLE"}, nil, nil},
		{"server certificate", store.Change{Kind: store.KindServerCertificate, Op: store.OpCreate, Name: "web"}, nil, nil},
		{"login profile", store.Change{Kind: store.KindLoginProfile, Op: store.OpCreate, Name: "alice"}, nil, nil},
		{"password policy", store.Change{Kind: store.KindPasswordPolicy, Op: store.OpUpdate, Name: account}, nil, nil},
		{"MFA device", store.Change{Kind: store.KindMFADevice, Op: store.OpUpdate, Name: "arn:aws:iam::" + account + ":mfa/alice"}, nil, nil},
		{"account setting", store.Change{Kind: store.KindAccountSetting, Op: store.OpUpdate, Name: "sts-global-endpoint"}, nil, nil},
		{"identity provider", store.Change{Kind: store.KindProvider, Op: store.OpCreate, Name: "token.actions.githubusercontent.com"}, nil, nil},
		{"instance profile", store.Change{Kind: store.KindInstanceProfile, Op: store.OpUpdate, Name: "web"}, nil, nil},
		{"account alias", store.Change{Kind: store.KindAccountAlias, Op: store.OpCreate, Name: "example"}, nil, nil},
		{"account quotas", store.Change{Kind: store.KindAccount, Op: store.OpUpdate, Name: account}, nil, nil},
		{"alice's key deactivated", store.Change{Kind: store.KindAccessKey, Op: store.OpUpdate, Name: "alice"}, []string{"alice"}, nil},
		{"the root's key deleted", store.Change{Kind: store.KindAccessKey, Op: store.OpDelete, Name: "root"}, []string{"root"}, nil},
		{"the session's key gone", store.Change{Kind: store.KindAccessKey, Op: store.OpDelete, Name: "ops"}, []string{"ops"}, nil},
		{"alice tagged, attached, bounded, renamed", store.Change{Kind: store.KindUser, Op: store.OpUpdate, Name: "alice"}, []string{"alice"}, []string{"alice"}},
		{"alice deleted", store.Change{Kind: store.KindUser, Op: store.OpDelete, Name: "alice"}, []string{"alice"}, []string{"alice"}},
		{"role ops's trust, tags or policies", store.Change{Kind: store.KindRole, Op: store.OpUpdate, Name: "ops"}, nil, []string{"ops"}},
		{"role ops deleted, with its sessions", store.Change{Kind: store.KindRole, Op: store.OpDelete, Name: "ops"}, []string{"ops"}, []string{"ops"}},
		{"alice spelled ALICE", store.Change{Kind: store.KindUser, Op: store.OpUpdate, Name: "ALICE"}, []string{"alice"}, []string{"alice"}},
		{"alice's group's policies", store.Change{Kind: store.KindGroup, Op: store.OpUpdate, Name: "devs"}, nil, []string{"alice"}},
		{"a group of nobody watched", store.Change{Kind: store.KindGroup, Op: store.OpUpdate, Name: "admins"}, nil, nil},
		{"bob's customer managed policy", store.Change{Kind: store.KindPolicy, Op: store.OpUpdate, Name: "bobs"}, nil, []string{"bob"}},
		{"ops's boundary policy created", store.Change{Kind: store.KindPolicy, Op: store.OpCreate, Name: "later"}, nil, []string{"ops"}},
		{"a policy nobody holds", store.Change{Kind: store.KindPolicy, Op: store.OpUpdate, Name: "unused"}, nil, nil},
		{"another account's user", store.Change{AccountID: otherAccount, Kind: store.KindUser, Op: store.OpUpdate, Name: "carol"}, []string{"carol"}, []string{"carol"}},
		{"AWS managed policy published", store.Change{AccountID: "-", Kind: store.KindAWSPolicy, Op: store.OpCreate, Name: mqRead}, nil, []string{"alice", "bob", "ops", "carol"}},
		{"reset", store.Change{AccountID: "-", Kind: store.KindAll, Op: store.OpDelete}, all, []string{"alice", "bob", "ops", "carol"}},
		{"account deleted", store.Change{Kind: store.KindAll, Op: store.OpDelete, Name: account}, all, []string{"alice", "bob", "ops", "carol"}},
		{"a kind of change not known", store.Change{Kind: "future-kind", Op: store.OpUpdate, Name: "x"}, all, []string{"alice", "bob", "ops"}},
	}
	f := newCacheFixture(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.change
			switch c.AccountID {
			case "":
				c.AccountID = account
			case "-":
				c.AccountID = "" // a change that names no account
			}
			if id, ok := f.keys[c.Name]; ok && c.Kind == store.KindAccessKey {
				c.Name = id
			}
			before := f.snapshot()
			if after := f.snapshot(); !equalSnapshots(before, after) {
				t.Fatal("the caches dropped something without a change")
			}
			f.creds.Apply([]store.Change{c})
			f.authz.Apply([]store.Change{c})
			after := f.snapshot()
			for _, name := range watched {
				if got, want := before[name][0] != after[name][0], slices.Contains(tt.keys, name); got != want {
					t.Errorf("Apply(%s %s %s): %s's cached key dropped = %v, want %v", c.Kind, c.Op, c.Name, name, got, want)
				}
				if got, want := before[name][1] != after[name][1], slices.Contains(tt.sets, name); got != want {
					t.Errorf("Apply(%s %s %s): %s's compiled set dropped = %v, want %v", c.Kind, c.Op, c.Name, name, got, want)
				}
			}
		})
	}
}

func equalSnapshots(a, b snapshot) bool {
	for name, v := range a {
		if b[name] != v {
			return false
		}
	}
	return true
}

// TestApplyConcurrent: lookups and compiled sets read while changes of
// every kind are applied (run with -race).
func TestApplyConcurrent(t *testing.T) {
	f := newCacheFixture(t)
	changes := []store.Change{
		{AccountID: account, Kind: store.KindCredential, Op: store.OpCreate, Name: "x"},
		{AccountID: account, Kind: store.KindUser, Op: store.OpUpdate, Name: "alice"},
		{AccountID: account, Kind: store.KindGroup, Op: store.OpUpdate, Name: "devs"},
		{AccountID: account, Kind: store.KindPolicy, Op: store.OpUpdate, Name: "Bobs"},
		{AccountID: account, Kind: store.KindRole, Op: store.OpDelete, Name: "ops"},
		{AccountID: account, Kind: store.KindAccessKey, Op: store.OpUpdate, Name: f.keys["bob"]},
		{AccountID: account, Kind: "future-kind"},
		{Kind: store.KindAll},
	}
	done := make(chan error)
	for _, name := range watched {
		go func() {
			var err error
			for range 50 {
				var k Key
				if k, err = f.creds.Lookup(f.ctx, f.keys[name]); err != nil {
					break
				}
				if name != "root" {
					if _, _, err = f.authz.Set(f.ctx, k.Principal); err != nil {
						break
					}
				}
			}
			done <- err
		}()
	}
	for i := range 200 {
		c := changes[i%len(changes)]
		f.creds.Apply([]store.Change{c})
		f.authz.Apply([]store.Change{c})
	}
	for range watched {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

// TestHoldersIndex: the index of the sets made with each group and policy
// names exactly the cached sets, through reloads, drops and a full cache.
func TestHoldersIndex(t *testing.T) {
	f := newCacheFixture(t)
	check := func(when string) {
		t.Helper()
		n := 0
		for h, keys := range f.authz.holders {
			for k := range keys {
				n++
				if c, ok := f.authz.sets[k]; !ok || c.acct != h.account || !slices.Contains(c.deps, h.dep) {
					t.Errorf("%s: the index names %q for %v, which is not among its cached sets", when, k, h)
				}
			}
		}
		want := 0
		for _, c := range f.authz.sets {
			want += len(c.deps)
		}
		if n != want {
			t.Errorf("%s: the index has %d entries, want %d (one per dep of each cached set)", when, n, want)
		}
	}
	f.snapshot()
	check("loaded")
	for range 3 {
		f.authz.Apply([]store.Change{{AccountID: account, Kind: store.KindUser, Name: "alice"}})
		f.snapshot()
	}
	check("alice reloaded")
	f.authz.Apply([]store.Change{{AccountID: account, Kind: store.KindGroup, Name: "devs"}, {AccountID: account, Kind: store.KindPolicy, Name: "later"}})
	check("devs and later changed")
	f.snapshot()
	f.authz.maxSets = 2 // the next keeps evict
	f.authz.Apply([]store.Change{{AccountID: account, Kind: store.KindAll}})
	f.snapshot()
	check("evicted")
	if len(f.authz.sets) > 2 {
		t.Errorf("%d sets cached, want at most 2", len(f.authz.sets))
	}
}
