package storetest

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/iamq/iamq/internal/store"
)

func testAccounts(t *testing.T, s store.Store) {
	a := newAccount(t, s)
	_, err := s.CreateAccount(ctx, store.Account{ID: a})
	wantErr(t, "CreateAccount(again)", err, store.ErrAlreadyExists)
	for _, bad := range []string{"", "12345", "12345678901a", "1234567890123"} {
		_, err := s.CreateAccount(ctx, store.Account{ID: bad})
		wantErr(t, fmt.Sprintf("CreateAccount(%q)", bad), err, store.ErrInvalid)
	}
	got, err := s.Account(ctx, a)
	wantErr(t, "Account", err, nil)
	if got.ID != a || got.Name != "test" || got.Created.IsZero() {
		t.Fatalf("Account(%s) = %+v", a, got)
	}
	_, err = s.Account(ctx, "000000000000")
	wantErr(t, "Account(missing)", err, store.ErrNotFound)
	wantErr(t, "Update(missing)", s.Update(ctx, "000000000000", func(store.Tx) error { return nil }), store.ErrNotFound)

	got.AttachedPoliciesPerUser = 20
	_, err = s.UpdateAccount(ctx, got)
	wantErr(t, "UpdateAccount", err, nil)
	got.AttachedPoliciesPerRole = 21
	_, err = s.UpdateAccount(ctx, got)
	wantErr(t, "UpdateAccount(21)", err, store.ErrInvalid)

	b := newAccount(t, s)
	accts, err := s.Accounts(ctx)
	wantErr(t, "Accounts", err, nil)
	if len(accts) != 2 {
		t.Fatalf("Accounts = %d accounts, want 2", len(accts))
	}
	update(t, s, b, func(tx store.Tx) error { _, err := tx.CreateUser(store.User{Name: "alice"}); return err })
	wantErr(t, "DeleteAccount", s.DeleteAccount(ctx, b), nil)
	_, err = s.Account(ctx, b)
	wantErr(t, "Account(deleted)", err, store.ErrNotFound)
	// The same id starts empty.
	if _, err := s.CreateAccount(ctx, store.Account{ID: b}); err != nil {
		t.Fatal(err)
	}
	view(t, s, b, func(tx store.Tx) error {
		_, err := tx.User("alice")
		wantErr(t, "User(after DeleteAccount)", err, store.ErrNotFound)
		return nil
	})

	wantErr(t, "Reset", s.Reset(ctx), nil)
	accts, _ = s.Accounts(ctx)
	if len(accts) != 0 {
		t.Fatalf("Accounts after Reset = %v", accts)
	}
}

func testUsers(t *testing.T, s store.Store) {
	a := newAccount(t, s)
	var alice store.User
	update(t, s, a, func(tx store.Tx) error {
		var err error
		alice, err = tx.CreateUser(store.User{Name: "Alice", Path: "/eng/", Tags: []store.Tag{{Key: "team", Value: "x"}}})
		return err
	})
	if len(alice.ID) != 21 || !strings.HasPrefix(alice.ID, "AIDA") || alice.AccountID != a || alice.Created.IsZero() {
		t.Fatalf("CreateUser = %+v", alice)
	}
	update(t, s, a, func(tx store.Tx) error {
		_, err := tx.CreateUser(store.User{Name: "alice"})
		wantErr(t, "CreateUser(alice, differently cased)", err, store.ErrAlreadyExists)
		_, err = tx.CreateUser(store.User{Name: "bob"})
		return err
	})
	// Another account may use the same name.
	b := newAccount(t, s)
	update(t, s, b, func(tx store.Tx) error { _, err := tx.CreateUser(store.User{Name: "alice"}); return err })

	view(t, s, a, func(tx store.Tx) error {
		got, err := tx.User("ALICE")
		wantErr(t, "User(ALICE)", err, nil)
		if got.ID != alice.ID || got.Name != "Alice" || got.Path != "/eng/" || len(got.Tags) != 1 {
			t.Fatalf("User(ALICE) = %+v, want %+v", got, alice)
		}
		byID, err := tx.UserByID(alice.ID)
		wantErr(t, "UserByID", err, nil)
		if byID.Name != "Alice" {
			t.Fatalf("UserByID = %+v", byID)
		}
		_, err = tx.User("carol")
		wantErr(t, "User(carol)", err, store.ErrNotFound)
		p, err := tx.Users(store.ListOptions{PathPrefix: "/eng/"})
		wantErr(t, "Users(/eng/)", err, nil)
		if len(p.Items) != 1 || p.Items[0].Name != "Alice" || p.Truncated() {
			t.Fatalf("Users(/eng/) = %+v", p)
		}
		return nil
	})
	update(t, s, a, func(tx store.Tx) error {
		_, err := tx.UpdateUser("alice", store.User{Name: "bob"})
		wantErr(t, "UpdateUser(to bob)", err, store.ErrAlreadyExists)
		u, err := tx.UpdateUser("alice", store.User{Name: "alicia", Path: "/ops/", PermissionsBoundary: awsPolicy("ReadOnlyAccess")})
		wantErr(t, "UpdateUser", err, nil)
		if u.ID != alice.ID || u.Name != "alicia" || u.Path != "/ops/" {
			t.Fatalf("UpdateUser = %+v", u)
		}
		_, err = tx.User("alice")
		wantErr(t, "User(old name)", err, store.ErrNotFound)
		wantErr(t, "DeleteUser(bob)", tx.DeleteUser("bob"), nil)
		wantErr(t, "DeleteUser(bob again)", tx.DeleteUser("bob"), store.ErrNotFound)
		return nil
	})
	wantErr(t, "CreateUser in View", s.View(ctx, a, func(tx store.Tx) error {
		_, err := tx.CreateUser(store.User{Name: "zed"})
		return err
	}), store.ErrInvalid)
}

func testGroups(t *testing.T, s store.Store) {
	a := newAccount(t, s)
	update(t, s, a, func(tx store.Tx) error {
		g, err := tx.CreateGroup(store.Group{Name: "Admins"})
		wantErr(t, "CreateGroup", err, nil)
		if !strings.HasPrefix(g.ID, "AGPA") || len(g.ID) != 21 || g.Path != "/" {
			t.Fatalf("CreateGroup = %+v", g)
		}
		_, err = tx.CreateGroup(store.Group{Name: "admins"})
		wantErr(t, "CreateGroup(again)", err, store.ErrAlreadyExists)
		for _, n := range []string{"alice", "bob"} {
			if _, err := tx.CreateUser(store.User{Name: n}); err != nil {
				return err
			}
		}
		wantErr(t, "AddUserToGroup", tx.AddUserToGroup("admins", "alice"), nil)
		wantErr(t, "AddUserToGroup(again)", tx.AddUserToGroup("Admins", "ALICE"), nil)
		wantErr(t, "AddUserToGroup(bob)", tx.AddUserToGroup("admins", "bob"), nil)
		wantErr(t, "AddUserToGroup(nobody)", tx.AddUserToGroup("admins", "nobody"), store.ErrNotFound)
		wantErr(t, "AddUserToGroup(no group)", tx.AddUserToGroup("nogroup", "bob"), store.ErrNotFound)
		return nil
	})
	view(t, s, a, func(tx store.Tx) error {
		members := listAll(t, 1, func(o store.ListOptions) (store.Page[store.User], error) { return tx.GroupMembers("admins", o) })
		if len(members) != 2 || members[0].Name != "alice" || members[1].Name != "bob" {
			t.Fatalf("GroupMembers = %+v", members)
		}
		gs, err := tx.GroupsForUser("alice", store.ListOptions{})
		wantErr(t, "GroupsForUser", err, nil)
		if len(gs.Items) != 1 || gs.Items[0].Name != "Admins" {
			t.Fatalf("GroupsForUser = %+v", gs)
		}
		return nil
	})
	update(t, s, a, func(tx store.Tx) error {
		for i := range 9 {
			name := fmt.Sprintf("g%d", i)
			if _, err := tx.CreateGroup(store.Group{Name: name}); err != nil {
				return err
			}
			wantErr(t, "AddUserToGroup("+name+")", tx.AddUserToGroup(name, "alice"), nil)
		}
		if _, err := tx.CreateGroup(store.Group{Name: "g9"}); err != nil {
			return err
		}
		err := tx.AddUserToGroup("g9", "alice")
		wantErr(t, "AddUserToGroup(11th)", err, store.ErrLimitExceeded)
		wantMessage(t, "AddUserToGroup(11th)", err, "Cannot exceed quota for GroupsPerUser: 10")
		wantErr(t, "RemoveUserFromGroup", tx.RemoveUserFromGroup("admins", "bob"), nil)
		wantErr(t, "RemoveUserFromGroup(again)", tx.RemoveUserFromGroup("admins", "bob"), store.ErrNotFound)
		g, err := tx.UpdateGroup("admins", store.Group{Name: "Operators", Path: "/ops/"})
		wantErr(t, "UpdateGroup", err, nil)
		if g.Name != "Operators" || g.Path != "/ops/" {
			t.Fatalf("UpdateGroup = %+v", g)
		}
		// Membership follows the renamed group.
		ms, err := tx.GroupMembers("operators", store.ListOptions{})
		wantErr(t, "GroupMembers(renamed)", err, nil)
		if len(ms.Items) != 1 || ms.Items[0].Name != "alice" {
			t.Fatalf("GroupMembers(renamed) = %+v", ms)
		}
		return nil
	})
}

func testRoles(t *testing.T, s store.Store) {
	a := newAccount(t, s)
	update(t, s, a, func(tx store.Tx) error {
		r, err := tx.CreateRole(store.Role{Name: "Deploy", AssumeRolePolicy: trust, Description: "d", MaxSessionDuration: 7200})
		wantErr(t, "CreateRole", err, nil)
		if !strings.HasPrefix(r.ID, "AROA") || len(r.ID) != 21 {
			t.Fatalf("CreateRole = %+v", r)
		}
		_, err = tx.CreateRole(store.Role{Name: "deploy", AssumeRolePolicy: trust})
		wantErr(t, "CreateRole(again)", err, store.ErrAlreadyExists)
		_, err = tx.CreateRole(store.Role{Name: "AWSServiceRoleForAmazonMQ", Path: "/aws-service-role/mq.amazonaws.com/",
			AssumeRolePolicy: trust, ServiceLinked: true})
		return err
	})
	update(t, s, a, func(tx store.Tx) error {
		r, err := tx.Role("DEPLOY")
		wantErr(t, "Role", err, nil)
		if r.AssumeRolePolicy != trust || r.Description != "d" || r.MaxSessionDuration != 7200 || r.ServiceLinked {
			t.Fatalf("Role = %+v", r)
		}
		slr, err := tx.Role("awsservicerolefor" + "amazonmq")
		wantErr(t, "Role(SLR)", err, nil)
		if !slr.ServiceLinked || slr.Path != "/aws-service-role/mq.amazonaws.com/" {
			t.Fatalf("Role(SLR) = %+v", slr)
		}
		r.Description, r.MaxSessionDuration, r.PermissionsBoundary = "new", 3600, awsPolicy("PowerUserAccess")
		got, err := tx.UpdateRole("deploy", r)
		wantErr(t, "UpdateRole", err, nil)
		if got.Description != "new" || got.MaxSessionDuration != 3600 || got.PermissionsBoundary != awsPolicy("PowerUserAccess") {
			t.Fatalf("UpdateRole = %+v", got)
		}
		byID, err := tx.RoleByID(r.ID)
		wantErr(t, "RoleByID", err, nil)
		if byID.Description != "new" {
			t.Fatalf("RoleByID = %+v", byID)
		}
		p, err := tx.Roles(store.ListOptions{PathPrefix: "/aws-service-role/"})
		wantErr(t, "Roles(prefix)", err, nil)
		if len(p.Items) != 1 || !p.Items[0].ServiceLinked {
			t.Fatalf("Roles(/aws-service-role/) = %+v", p.Items)
		}
		wantErr(t, "DeleteRole", tx.DeleteRole("deploy"), nil)
		_, err = tx.Role("deploy")
		wantErr(t, "Role(deleted)", err, store.ErrNotFound)
		return nil
	})
}

func testInstanceProfiles(t *testing.T, s store.Store) {
	a := newAccount(t, s)
	update(t, s, a, func(tx store.Tx) error {
		p, err := tx.CreateInstanceProfile(store.InstanceProfile{Name: "web"})
		wantErr(t, "CreateInstanceProfile", err, nil)
		if !strings.HasPrefix(p.ID, "AIPA") || len(p.ID) != 21 {
			t.Fatalf("CreateInstanceProfile = %+v", p)
		}
		_, err = tx.CreateInstanceProfile(store.InstanceProfile{Name: "WEB"})
		wantErr(t, "CreateInstanceProfile(again)", err, store.ErrAlreadyExists)
		for _, n := range []string{"r1", "r2"} {
			if _, err := tx.CreateRole(store.Role{Name: n, AssumeRolePolicy: trust}); err != nil {
				return err
			}
		}
		wantErr(t, "AddRoleToInstanceProfile", tx.AddRoleToInstanceProfile("web", "r1"), nil)
		wantErr(t, "AddRoleToInstanceProfile(again)", tx.AddRoleToInstanceProfile("web", "r1"), store.ErrAlreadyExists)
		err = tx.AddRoleToInstanceProfile("web", "r2")
		wantErr(t, "AddRoleToInstanceProfile(second)", err, store.ErrLimitExceeded)
		wantMessage(t, "AddRoleToInstanceProfile(second)", err, "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1")
		got, err := tx.InstanceProfile("Web")
		wantErr(t, "InstanceProfile", err, nil)
		if len(got.Roles) != 1 || got.Roles[0] != "r1" {
			t.Fatalf("InstanceProfile = %+v", got)
		}
		ps, err := tx.InstanceProfilesForRole("r1", store.ListOptions{})
		wantErr(t, "InstanceProfilesForRole", err, nil)
		if len(ps.Items) != 1 || ps.Items[0].Name != "web" || len(ps.Items[0].Roles) != 1 {
			t.Fatalf("InstanceProfilesForRole = %+v", ps)
		}
		all, err := tx.InstanceProfiles(store.ListOptions{})
		wantErr(t, "InstanceProfiles", err, nil)
		if len(all.Items) != 1 {
			t.Fatalf("InstanceProfiles = %+v", all)
		}
		wantErr(t, "DeleteRole(in profile)", tx.DeleteRole("r1"), store.ErrDeleteConflict)
		wantErr(t, "DeleteInstanceProfile(with role)", tx.DeleteInstanceProfile("web"), store.ErrDeleteConflict)
		wantErr(t, "RemoveRoleFromInstanceProfile", tx.RemoveRoleFromInstanceProfile("web", "r1"), nil)
		wantErr(t, "RemoveRoleFromInstanceProfile(again)", tx.RemoveRoleFromInstanceProfile("web", "r1"), store.ErrNotFound)
		wantErr(t, "DeleteInstanceProfile", tx.DeleteInstanceProfile("web"), nil)
		wantErr(t, "DeleteRole", tx.DeleteRole("r1"), nil)
		return nil
	})
}

func testTags(t *testing.T, s store.Store) {
	a := newAccount(t, s)
	update(t, s, a, func(tx store.Tx) error {
		if _, err := tx.CreateRole(store.Role{Name: "r", AssumeRolePolicy: trust,
			Tags: []store.Tag{{Key: "Env", Value: "dev"}}}); err != nil {
			return err
		}
		if _, err := tx.CreatePolicy(store.Policy{Name: "p"}, doc); err != nil {
			return err
		}
		wantErr(t, "TagEntity(ENV)", tx.TagEntity(role("r"), []store.Tag{{Key: "ENV", Value: "prod"}, {Key: "b", Value: "1"}}), nil)
		got, err := tx.Tags(role("R"))
		wantErr(t, "Tags", err, nil)
		if len(got) != 2 || got[0] != (store.Tag{Key: "b", Value: "1"}) || got[1] != (store.Tag{Key: "ENV", Value: "prod"}) {
			t.Fatalf("Tags = %+v", got)
		}
		wantErr(t, "UntagEntity", tx.UntagEntity(role("r"), []string{"env", "missing"}), nil)
		if got, _ := tx.Tags(role("r")); len(got) != 1 {
			t.Fatalf("Tags after Untag = %+v", got)
		}
		many := make([]store.Tag, 50)
		for i := range many {
			many[i] = store.Tag{Key: fmt.Sprintf("k%02d", i), Value: "v"}
		}
		err = tx.TagEntity(role("r"), many)
		wantErr(t, "TagEntity(51 tags)", err, store.ErrLimitExceeded)
		wantErr(t, "TagEntity(policy, 50)", tx.TagEntity(store.EntityRef{Kind: store.KindPolicy, Name: "p"}, many), nil)
		wantErr(t, "TagEntity(group)", tx.TagEntity(group("g"), many[:1]), store.ErrInvalid)
		return nil
	})
}

func testAliases(t *testing.T, s store.Store) {
	a, b := newAccount(t, s), newAccount(t, s)
	update(t, s, a, func(tx store.Tx) error {
		wantErr(t, "CreateAccountAlias", tx.CreateAccountAlias("acme"), nil)
		wantErr(t, "CreateAccountAlias(same)", tx.CreateAccountAlias("acme"), nil)
		err := tx.CreateAccountAlias("acme2")
		wantErr(t, "CreateAccountAlias(second)", err, store.ErrLimitExceeded)
		return nil
	})
	update(t, s, b, func(tx store.Tx) error {
		wantErr(t, "CreateAccountAlias(taken)", tx.CreateAccountAlias("acme"), store.ErrAlreadyExists)
		wantErr(t, "DeleteAccountAlias(other's)", tx.DeleteAccountAlias("acme"), store.ErrNotFound)
		return nil
	})
	update(t, s, a, func(tx store.Tx) error {
		got, err := tx.AccountAliases()
		if err != nil || len(got) != 1 || got[0] != "acme" {
			t.Fatalf("AccountAliases = %v, %v", got, err)
		}
		return tx.DeleteAccountAlias("acme")
	})
}

func testDeleteConflicts(t *testing.T, s store.Store) {
	a := newAccount(t, s)
	update(t, s, a, func(tx store.Tx) error {
		if _, err := tx.CreateUser(store.User{Name: "u"}); err != nil {
			return err
		}
		if _, err := tx.CreateGroup(store.Group{Name: "g"}); err != nil {
			return err
		}
		if _, err := tx.CreateRole(store.Role{Name: "r", AssumeRolePolicy: trust}); err != nil {
			return err
		}
		return nil
	})
	type step struct {
		name  string
		setup func(tx store.Tx) error
		del   func(tx store.Tx) error
		undo  func(tx store.Tx) error
		msg   string
	}
	inline := store.InlinePolicy{Name: "i", Document: doc, Size: 10}
	steps := []step{
		{"user with key", func(tx store.Tx) error {
			_, err := tx.CreateAccessKey(store.AccessKey{Owner: user("u")})
			return err
		}, func(tx store.Tx) error { return tx.DeleteUser("u") }, func(tx store.Tx) error {
			ks, _ := tx.AccessKeys(user("u"))
			return tx.DeleteAccessKey(ks[0].ID)
		}, "Cannot delete entity, must delete access keys first."},
		{"user with policy", func(tx store.Tx) error { return tx.AttachPolicy(user("u"), awsPolicy("X")) },
			func(tx store.Tx) error { return tx.DeleteUser("u") },
			func(tx store.Tx) error { return tx.DetachPolicy(user("u"), awsPolicy("X")) },
			"Cannot delete entity, must detach all policies first."},
		{"user with inline", func(tx store.Tx) error { return tx.PutInlinePolicy(user("u"), inline) },
			func(tx store.Tx) error { return tx.DeleteUser("u") },
			func(tx store.Tx) error { return tx.DeleteInlinePolicy(user("u"), "i") },
			"Cannot delete entity, must delete policies first."},
		{"group with member", func(tx store.Tx) error { return tx.AddUserToGroup("g", "u") },
			func(tx store.Tx) error { return tx.DeleteGroup("g") },
			func(tx store.Tx) error { return tx.RemoveUserFromGroup("g", "u") },
			"Cannot delete entity, must remove users from group first."},
		{"role with policy", func(tx store.Tx) error { return tx.AttachPolicy(role("r"), awsPolicy("X")) },
			func(tx store.Tx) error { return tx.DeleteRole("r") },
			func(tx store.Tx) error { return tx.DetachPolicy(role("r"), awsPolicy("X")) },
			"Cannot delete entity, must detach all policies first."},
		{"role with inline", func(tx store.Tx) error { return tx.PutInlinePolicy(role("r"), inline) },
			func(tx store.Tx) error { return tx.DeleteRole("r") },
			func(tx store.Tx) error { return tx.DeleteInlinePolicy(role("r"), "i") },
			"Cannot delete entity, must delete policies first."},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			update(t, s, a, st.setup)
			err := s.Update(ctx, a, st.del)
			var dc *store.DeleteConflictError
			if !errors.Is(err, store.ErrDeleteConflict) || !errors.As(err, &dc) {
				t.Fatalf("delete = %v, want ErrDeleteConflict", err)
			}
			wantMessage(t, "delete", err, st.msg)
			update(t, s, a, st.undo)
		})
	}
	update(t, s, a, func(tx store.Tx) error {
		wantErr(t, "DeleteUser", tx.DeleteUser("u"), nil)
		wantErr(t, "DeleteGroup", tx.DeleteGroup("g"), nil)
		wantErr(t, "DeleteRole", tx.DeleteRole("r"), nil)
		return nil
	})
}
