package storetest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/iamq/iamq/internal/store"
)

func testPolicies(t *testing.T, s store.Store) {
	a := newAccount(t, s)
	arn := store.PolicyARN(a, "/team/", "Read")
	update(t, s, a, func(tx store.Tx) error {
		p, err := tx.CreatePolicy(store.Policy{Name: "Read", Path: "/team/", Description: "reads"}, doc)
		wantErr(t, "CreatePolicy", err, nil)
		if !strings.HasPrefix(p.ID, "ANPA") || len(p.ID) != 21 || p.DefaultVersionID != "v1" {
			t.Fatalf("CreatePolicy = %+v", p)
		}
		_, err = tx.CreatePolicy(store.Policy{Name: "read"}, doc)
		wantErr(t, "CreatePolicy(again)", err, store.ErrAlreadyExists)
		if _, err := tx.CreatePolicy(store.Policy{Name: "Other"}, doc); err != nil {
			return err
		}
		if _, err := tx.CreatePolicy(store.Policy{Name: "Bound"}, doc); err != nil {
			return err
		}
		if _, err := tx.CreateUser(store.User{Name: "u", PermissionsBoundary: store.PolicyARN(a, "/", "Bound")}); err != nil {
			return err
		}
		return tx.AttachPolicy(user("u"), arn)
	})
	view(t, s, a, func(tx store.Tx) error {
		p, err := tx.Policy("READ")
		wantErr(t, "Policy", err, nil)
		if p.AttachmentCount != 1 || p.BoundaryUsageCount != 0 || p.Description != "reads" || p.Path != "/team/" {
			t.Fatalf("Policy = %+v", p)
		}
		b, _ := tx.Policy("Bound")
		if b.BoundaryUsageCount != 1 || b.AttachmentCount != 0 {
			t.Fatalf("Policy(Bound) = %+v", b)
		}
		cases := []struct {
			name string
			o    store.PolicyListOptions
			want []string
		}{
			{"all", store.PolicyListOptions{}, []string{"Bound", "Other", "Read"}},
			{"attached", store.PolicyListOptions{Usage: store.UsageAttached}, []string{"Read"}},
			{"boundary", store.PolicyListOptions{Usage: store.UsageBoundary}, []string{"Bound"}},
			{"path", store.PolicyListOptions{ListOptions: store.ListOptions{PathPrefix: "/team"}}, []string{"Read"}},
		}
		for _, c := range cases {
			page, err := tx.Policies(c.o)
			wantErr(t, "Policies("+c.name+")", err, nil)
			var got []string
			for _, p := range page.Items {
				got = append(got, p.Name)
			}
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("Policies(%s) = %v, want %v", c.name, got, c.want)
			}
		}
		return nil
	})
	update(t, s, a, func(tx store.Tx) error {
		err := tx.DeletePolicy("Read")
		wantErr(t, "DeletePolicy(attached)", err, store.ErrDeleteConflict)
		wantMessage(t, "DeletePolicy(attached)", err, "Cannot delete a policy attached to entities.")
		wantErr(t, "DeletePolicy(boundary)", tx.DeletePolicy("Bound"), store.ErrDeleteConflict)
		wantErr(t, "DeletePolicy(Other)", tx.DeletePolicy("Other"), nil)
		wantErr(t, "DeletePolicy(Other again)", tx.DeletePolicy("Other"), store.ErrNotFound)
		return nil
	})
	testPolicyCounts(t, s, a)
}

// testPolicyCounts follows a policy's live counts through attach, detach,
// boundaries set, moved and dropped, and entities deleted.
func testPolicyCounts(t *testing.T, s store.Store, a string) {
	later := store.PolicyARN(a, "/", "Later")
	bound := store.PolicyARN(a, "/", "Bound")
	counts := func(tx store.Tx, name string) (int, int) {
		t.Helper()
		p, err := tx.Policy(name)
		wantErr(t, "Policy("+name+")", err, nil)
		return p.AttachmentCount, p.BoundaryUsageCount
	}
	update(t, s, a, func(tx store.Tx) error {
		// References made before the policy exists count once it does.
		if _, err := tx.CreateRole(store.Role{Name: "r", AssumeRolePolicy: trust, PermissionsBoundary: later}); err != nil {
			return err
		}
		wantErr(t, "AttachPolicy(Later, before)", tx.AttachPolicy(group("g0"), later), store.ErrNotFound)
		wantErr(t, "AttachPolicy(role, Later)", tx.AttachPolicy(role("r"), later), nil)
		if _, err := tx.CreatePolicy(store.Policy{Name: "Later"}, doc); err != nil {
			return err
		}
		if at, bd := counts(tx, "Later"); at != 1 || bd != 1 {
			t.Errorf("Later counts = %d, %d; want 1, 1", at, bd)
		}
		wantErr(t, "DetachPolicy(role, Later)", tx.DetachPolicy(role("r"), later), nil)
		r, _ := tx.Role("r")
		r.PermissionsBoundary = bound
		if _, err := tx.UpdateRole("r", r); err != nil {
			return err
		}
		if at, bd := counts(tx, "Later"); at != 0 || bd != 0 {
			t.Errorf("Later counts after detach and boundary move = %d, %d; want 0, 0", at, bd)
		}
		if _, bd := counts(tx, "Bound"); bd != 2 {
			t.Errorf("Bound boundary count = %d, want 2", bd)
		}
		bounded := listAll(t, 1, func(o store.ListOptions) (store.Page[store.EntityRef], error) {
			return tx.EntitiesWithBoundary(bound, o)
		})
		if want := []store.EntityRef{role("r"), user("u")}; fmt.Sprint(bounded) != fmt.Sprint(want) {
			t.Errorf("EntitiesWithBoundary = %v, want %v", bounded, want)
		}
		wantErr(t, "DeleteRole", tx.DeleteRole("r"), nil)
		wantErr(t, "DetachPolicy(u)", tx.DetachPolicy(user("u"), store.PolicyARN(a, "/team/", "Read")), nil)
		wantErr(t, "DeleteUser", tx.DeleteUser("u"), nil)
		if _, bd := counts(tx, "Bound"); bd != 0 {
			t.Errorf("Bound boundary count after deletes = %d, want 0", bd)
		}
		if at, _ := counts(tx, "Read"); at != 0 {
			t.Errorf("Read attachment count after detach = %d, want 0", at)
		}
		for _, name := range []string{"Read", "Bound", "Later"} {
			wantErr(t, "DeletePolicy("+name+")", tx.DeletePolicy(name), nil)
		}
		return nil
	})
}

func testPolicyVersions(t *testing.T, s store.Store) {
	a := newAccount(t, s)
	update(t, s, a, func(tx store.Tx) error {
		if _, err := tx.CreatePolicy(store.Policy{Name: "p"}, doc); err != nil {
			return err
		}
		for i := 2; i <= 5; i++ {
			v, err := tx.CreatePolicyVersion("p", fmt.Sprintf(`{"n":%d}`, i), i == 3)
			wantErr(t, "CreatePolicyVersion", err, nil)
			if v.ID != fmt.Sprintf("v%d", i) {
				t.Fatalf("CreatePolicyVersion = %+v, want v%d", v, i)
			}
		}
		_, err := tx.CreatePolicyVersion("p", doc, false)
		wantErr(t, "CreatePolicyVersion(6th)", err, store.ErrLimitExceeded)
		wantMessage(t, "CreatePolicyVersion(6th)", err,
			"A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.")
		p, _ := tx.Policy("p")
		if p.DefaultVersionID != "v3" {
			t.Fatalf("default = %s, want v3", p.DefaultVersionID)
		}
		vs, err := tx.PolicyVersions("p")
		wantErr(t, "PolicyVersions", err, nil)
		if len(vs) != 5 || vs[0].ID != "v5" || vs[4].ID != "v1" || !vs[2].IsDefault || vs[0].IsDefault {
			t.Fatalf("PolicyVersions = %+v", vs)
		}
		err = tx.DeletePolicyVersion("p", "v3")
		wantErr(t, "DeletePolicyVersion(default)", err, store.ErrDeleteConflict)
		wantMessage(t, "DeletePolicyVersion(default)", err, "Cannot delete the default version of a policy.")
		wantErr(t, "DeletePolicyVersion(v2)", tx.DeletePolicyVersion("p", "v2"), nil)
		wantErr(t, "DeletePolicyVersion(v2 again)", tx.DeletePolicyVersion("p", "v2"), store.ErrNotFound)
		_, err = tx.PolicyVersion("p", "bogus")
		wantErr(t, "PolicyVersion(bogus)", err, store.ErrNotFound)
		// Version ids are never reused.
		v, err := tx.CreatePolicyVersion("p", doc, false)
		wantErr(t, "CreatePolicyVersion(after delete)", err, nil)
		if v.ID != "v6" {
			t.Fatalf("CreatePolicyVersion after delete = %s, want v6", v.ID)
		}
		wantErr(t, "SetDefaultPolicyVersion", tx.SetDefaultPolicyVersion("p", "v6"), nil)
		wantErr(t, "SetDefaultPolicyVersion(v2)", tx.SetDefaultPolicyVersion("p", "v2"), store.ErrNotFound)
		got, err := tx.PolicyVersion("p", "v6")
		wantErr(t, "PolicyVersion", err, nil)
		if !got.IsDefault || got.Document != doc {
			t.Fatalf("PolicyVersion(v6) = %+v", got)
		}
		err = tx.DeletePolicy("p")
		wantErr(t, "DeletePolicy(versions)", err, store.ErrDeleteConflict)
		for _, id := range []string{"v1", "v3", "v4", "v5"} {
			wantErr(t, "DeletePolicyVersion("+id+")", tx.DeletePolicyVersion("p", id), nil)
		}
		wantErr(t, "DeletePolicy", tx.DeletePolicy("p"), nil)
		return nil
	})
}

func testAttachments(t *testing.T, s store.Store) {
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
	cases := []struct {
		ref   store.EntityRef
		limit int
		msg   string
	}{
		{user("u"), 10, "Cannot exceed quota for PoliciesPerUser: 10"},
		{group("g"), 10, "Cannot exceed quota for PoliciesPerGroup: 10"},
		{role("r"), 10, "Cannot exceed quota for PoliciesPerRole: 10"},
	}
	for _, c := range cases {
		t.Run(string(c.ref.Kind), func(t *testing.T) {
			update(t, s, a, func(tx store.Tx) error {
				for i := range c.limit {
					wantErr(t, "AttachPolicy", tx.AttachPolicy(c.ref, awsPolicy(fmt.Sprintf("P%02d", i))), nil)
				}
				wantErr(t, "AttachPolicy(again)", tx.AttachPolicy(c.ref, awsPolicy("P00")), nil)
				err := tx.AttachPolicy(c.ref, awsPolicy("Extra"))
				wantErr(t, "AttachPolicy(over)", err, store.ErrLimitExceeded)
				wantMessage(t, "AttachPolicy(over)", err, c.msg)
				got := listAll(t, 3, func(o store.ListOptions) (store.Page[store.AttachedPolicy], error) {
					return tx.AttachedPolicies(c.ref, o)
				})
				if len(got) != c.limit || got[0].Name != "P00" || got[0].ARN != awsPolicy("P00") {
					t.Fatalf("AttachedPolicies = %+v", got)
				}
				return nil
			})
		})
	}
	view(t, s, a, func(tx store.Tx) error {
		es := listAll(t, 2, func(o store.ListOptions) (store.Page[store.EntityRef], error) {
			return tx.EntitiesForPolicy(awsPolicy("P03"), "", o)
		})
		want := []store.EntityRef{group("g"), role("r"), user("u")}
		if fmt.Sprint(es) != fmt.Sprint(want) {
			t.Fatalf("EntitiesForPolicy = %v, want %v", es, want)
		}
		roles, err := tx.EntitiesForPolicy(awsPolicy("P03"), store.KindRole, store.ListOptions{})
		wantErr(t, "EntitiesForPolicy(role)", err, nil)
		if len(roles.Items) != 1 || roles.Items[0] != role("r") {
			t.Fatalf("EntitiesForPolicy(role) = %v", roles.Items)
		}
		counts, err := tx.AttachmentCounts()
		wantErr(t, "AttachmentCounts", err, nil)
		if len(counts) != 10 || counts[awsPolicy("P09")] != 3 {
			t.Fatalf("AttachmentCounts = %v", counts)
		}
		return nil
	})
	testAttachSettings(t, s, a)
}

// testAttachSettings: the account's quota setting, detaching, refusals, and
// the path filter of attached lists (on the entities testAttachments made).
func testAttachSettings(t *testing.T, s store.Store, a string) {
	// The account's quota setting applies at once (up to 20).
	update(t, s, a, func(tx store.Tx) error {
		wantErr(t, "SetAccountQuotas", tx.SetAccountQuotas(12, 0), nil)
		wantErr(t, "AttachPolicy(11th user)", tx.AttachPolicy(user("u"), awsPolicy("Extra")), nil)
		wantErr(t, "AttachPolicy(11th role)", tx.AttachPolicy(role("r"), awsPolicy("Extra")), store.ErrLimitExceeded)
		wantErr(t, "SetAccountQuotas(21)", tx.SetAccountQuotas(21, 0), store.ErrInvalid)
		wantErr(t, "DetachPolicy", tx.DetachPolicy(user("u"), awsPolicy("Extra")), nil)
		wantErr(t, "DetachPolicy(again)", tx.DetachPolicy(user("u"), awsPolicy("Extra")), store.ErrNotFound)
		wantErr(t, "AttachPolicy(no such user)", tx.AttachPolicy(user("x"), awsPolicy("A")), store.ErrNotFound)
		wantErr(t, "AttachPolicy(policy kind)", tx.AttachPolicy(store.EntityRef{Kind: store.KindPolicy, Name: "p"}, awsPolicy("A")),
			store.ErrInvalid)
		return nil
	})
	// A customer policy's path filters attached lists.
	update(t, s, a, func(tx store.Tx) error {
		wantErr(t, "DetachPolicy(P00)", tx.DetachPolicy(group("g"), awsPolicy("P00")), nil)
		wantErr(t, "AttachPolicy(customer)", tx.AttachPolicy(group("g"), store.PolicyARN(a, "/x_y/", "Mine")), nil)
		page, err := tx.AttachedPolicies(group("g"), store.ListOptions{PathPrefix: "/x_y/"})
		wantErr(t, "AttachedPolicies(path)", err, nil)
		if len(page.Items) != 1 || page.Items[0].Name != "Mine" {
			t.Fatalf("AttachedPolicies(/x_y/) = %+v", page.Items)
		}
		return nil
	})
}

func testInlinePolicies(t *testing.T, s store.Store) {
	a := newAccount(t, s)
	update(t, s, a, func(tx store.Tx) error {
		if _, err := tx.CreateUser(store.User{Name: "u"}); err != nil {
			return err
		}
		if _, err := tx.CreateGroup(store.Group{Name: "g"}); err != nil {
			return err
		}
		_, err := tx.CreateRole(store.Role{Name: "r", AssumeRolePolicy: trust})
		return err
	})
	cases := []struct {
		ref   store.EntityRef
		limit int
	}{{user("u"), 2048}, {group("g"), 5120}, {role("r"), 10240}}
	for _, c := range cases {
		t.Run(string(c.ref.Kind), func(t *testing.T) {
			update(t, s, a, func(tx store.Tx) error {
				half := c.limit / 2
				wantErr(t, "Put(a)", tx.PutInlinePolicy(c.ref, store.InlinePolicy{Name: "a", Document: doc, Size: half}), nil)
				wantErr(t, "Put(b)", tx.PutInlinePolicy(c.ref, store.InlinePolicy{Name: "b", Document: doc, Size: c.limit - half}), nil)
				err := tx.PutInlinePolicy(c.ref, store.InlinePolicy{Name: "c", Document: doc, Size: 1})
				wantErr(t, "Put(c, over)", err, store.ErrLimitExceeded)
				wantMessage(t, "Put(c, over)", err, fmt.Sprintf("Maximum policy size of %d bytes exceeded for %s %s",
					c.limit, c.ref.Kind, c.ref.Name))
				// Replacing counts the new size instead of the old one.
				wantErr(t, "Put(A, smaller)", tx.PutInlinePolicy(c.ref, store.InlinePolicy{Name: "A", Document: "{}", Size: half - 1}), nil)
				wantErr(t, "Put(c, fits)", tx.PutInlinePolicy(c.ref, store.InlinePolicy{Name: "c", Document: doc, Size: 1}), nil)
				got, err := tx.InlinePolicy(c.ref, "a")
				wantErr(t, "InlinePolicy", err, nil)
				if got.Name != "A" || got.Document != "{}" || got.Size != half-1 {
					t.Fatalf("InlinePolicy = %+v", got)
				}
				names := listAll(t, 2, func(o store.ListOptions) (store.Page[store.InlinePolicy], error) {
					return tx.InlinePolicies(c.ref, o)
				})
				if len(names) != 3 || names[0].Name != "A" || names[2].Name != "c" {
					t.Fatalf("InlinePolicies = %+v", names)
				}
				for _, n := range []string{"a", "b", "c"} {
					wantErr(t, "DeleteInlinePolicy", tx.DeleteInlinePolicy(c.ref, n), nil)
				}
				wantErr(t, "DeleteInlinePolicy(again)", tx.DeleteInlinePolicy(c.ref, "a"), store.ErrNotFound)
				_, err = tx.InlinePolicy(c.ref, "a")
				wantErr(t, "InlinePolicy(deleted)", err, store.ErrNotFound)
				return nil
			})
		})
	}
}
