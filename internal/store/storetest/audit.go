package storetest

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/internal/store"
)

// testAudit checks the decision log: records come back as written, filtered
// by caller, entity, action (case-insensitively), decision and time, the
// newest past the limit; accesses sum up per entity and action; pruning
// removes the old records only.
func testAudit(t *testing.T, s store.Store) {
	a := newAccount(t, s)
	base := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	user := arn.User(a, "/", "alice").String()
	role := arn.Role(a, "/", "app").String()
	session := arn.AssumedRole(a, "app", "s1").String()
	var recs []store.AuditRecord
	for i := range 6 {
		r := store.AuditRecord{ID: fmt.Sprintf("%s-%d", a, i), Time: base.Add(time.Duration(i) * time.Minute), Account: a,
			Principal: user, Entity: user, Service: "iam", Action: "iam:ListUsers", Region: "us-east-1", Decision: "Allow",
			Event: []byte(fmt.Sprintf(`{"n":%d}`, i))}
		if i%2 == 1 {
			r.Principal, r.Entity, r.Action, r.Region = session, role, "iam:CreateUser", fmt.Sprintf("eu-west-%d", i)
			r.Decision, r.ErrorCode = "ImplicitDeny", "AccessDenied"
		}
		recs = append(recs, r)
	}
	wantErr(t, "AppendAudit", s.AppendAudit(ctx, recs), nil)
	if err := s.AppendAudit(ctx, []store.AuditRecord{{Time: base}}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("AppendAudit(no id) = %v, want ErrInvalid", err)
	}
	for _, tc := range []struct {
		name string
		q    store.AuditQuery
		want []int
	}{
		{"all", store.AuditQuery{Account: a}, []int{0, 1, 2, 3, 4, 5}},
		{"caller", store.AuditQuery{Account: a, Principal: session}, []int{1, 3, 5}},
		{"entity", store.AuditQuery{Account: a, Principal: role}, []int{1, 3, 5}},
		{"action folded", store.AuditQuery{Account: a, Action: "IAM:createuser"}, []int{1, 3, 5}},
		{"decision", store.AuditQuery{Account: a, Decision: "Allow"}, []int{0, 2, 4}},
		{"since until", store.AuditQuery{Account: a, Since: base.Add(2 * time.Minute), Until: base.Add(4 * time.Minute)}, []int{2, 3}},
		{"newest past the limit", store.AuditQuery{Account: a, Limit: 2}, []int{4, 5}},
		{"other account", store.AuditQuery{Account: "000000000000"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.AuditRecords(ctx, tc.q)
			if err != nil {
				t.Fatalf("AuditRecords = %v", err)
			}
			var ids []int
			for _, r := range got {
				var n int
				fmt.Sscanf(string(r.Event), `{"n":%d}`, &n)
				ids = append(ids, n)
				if w := recs[n]; r.ID != w.ID || !r.Time.Equal(w.Time) || r.Principal != w.Principal || r.Entity != w.Entity ||
					r.Action != w.Action || r.Decision != w.Decision || r.ErrorCode != w.ErrorCode || r.Region != w.Region || r.Service != w.Service {
					t.Errorf("AuditRecords: record %d = %+v, want %+v", n, r, w)
				}
			}
			if fmt.Sprint(ids) != fmt.Sprint(tc.want) {
				t.Errorf("AuditRecords(%+v) = records %v, want %v", tc.q, ids, tc.want)
			}
		})
	}
	if _, err := s.AuditRecords(ctx, store.AuditQuery{Limit: store.MaxAuditLimit + 1}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("AuditRecords(limit too big) = %v, want ErrInvalid", err)
	}
	acc, err := s.AuditAccesses(ctx, a, []string{role}, base)
	if err != nil {
		t.Fatalf("AuditAccesses = %v", err)
	}
	want := store.AuditAccess{Entity: role, Service: "iam", Action: "iam:CreateUser", Region: "eu-west-5", Last: base.Add(5 * time.Minute), Count: 3}
	if len(acc) != 1 || acc[0].Entity != want.Entity || acc[0].Action != want.Action || acc[0].Count != want.Count ||
		!acc[0].Last.Equal(want.Last) || acc[0].Region != want.Region {
		t.Errorf("AuditAccesses(role) = %+v, want [%+v]", acc, want)
	}
	if acc, err := s.AuditAccesses(ctx, a, nil, base.Add(5*time.Minute)); err != nil || len(acc) != 1 {
		t.Errorf("AuditAccesses(all, since the last) = %+v, %v, want the role's one", acc, err)
	}
	testAuditBatches(t, s, base.Add(time.Hour))
	testAuditTails(t, s, base.Add(2*time.Hour))
	n, err := s.PruneAudit(ctx, base.Add(3*time.Minute))
	if err != nil || n != 3 {
		t.Errorf("PruneAudit = %d, %v, want 3", n, err)
	}
	if got, _ := s.AuditRecords(ctx, store.AuditQuery{Account: a, Until: base.Add(time.Hour)}); len(got) != 3 {
		t.Errorf("after PruneAudit: %d records, want 3", len(got))
	}
	// Dev mode's reset empties the log: records and sums.
	wantErr(t, "Reset", s.Reset(ctx), nil)
	if got, err := s.AuditRecords(ctx, store.AuditQuery{}); err != nil || len(got) != 0 {
		t.Errorf("after Reset: AuditRecords = %d records, %v, want none", len(got), err)
	}
	if got, err := s.AuditAccesses(ctx, a, nil, time.Time{}); err != nil || len(got) != 0 {
		t.Errorf("after Reset: AuditAccesses = %+v, %v, want none", got, err)
	}
}

// testAuditTails appends events without their last members (WithoutTail)
// among whole ones, and reads every one back whole, with its request id.
func testAuditTails(t *testing.T, s store.Store, base time.Time) {
	a := newAccount(t, s)
	var recs, want []store.AuditRecord
	var tail store.AuditTail
	for i := range 5 {
		r := store.AuditRecord{ID: fmt.Sprintf("0c2f5e8a-6b0f-4f3e-9d7a-%012d", i), Time: base.Add(time.Duration(i*1001) * time.Microsecond),
			Account: a, Service: "iam", Action: "iam:GetUser", Event: []byte(`{"eventVersion":"1.08","eventName":"GetUser"`),
			RequestID: fmt.Sprintf("req-%d", i), WithoutTail: i != 2}
		w := r
		w.Event = tail.Append(append([]byte(nil), r.Event...), r.Time, r.RequestID, r.ID)
		w.WithoutTail = false
		if i == 2 { // a whole event, as other writers hand theirs over
			r.Event, r.RequestID = w.Event, ""
		}
		recs, want = append(recs, r), append(want, w)
	}
	wantErr(t, "AppendAudit(without tails)", s.AppendAudit(ctx, recs), nil)
	got, err := s.AuditRecords(ctx, store.AuditQuery{Account: a})
	if err != nil || len(got) != len(want) {
		t.Fatalf("AuditRecords(without tails) = %d records, %v, want %d", len(got), err, len(want))
	}
	for i, r := range got {
		if string(r.Event) != string(want[i].Event) || r.RequestID != want[i].RequestID || r.WithoutTail {
			t.Errorf("record %d read back: event %s, request id %q, without tail %v; want %s, %q, false",
				i, r.Event, r.RequestID, r.WithoutTail, want[i].Event, want[i].RequestID)
		}
	}
}

// testAuditBatches appends records in several batches whose times
// interleave, as several nodes' writers make them, and checks that a
// limited search returns the newest across batches, oldest first.
func testAuditBatches(t *testing.T, s store.Store, base time.Time) {
	a := newAccount(t, s)
	for b := range 3 {
		var recs []store.AuditRecord
		for i := range 4 {
			n := i*3 + b // batch b holds minutes b, b+3, b+6, b+9
			recs = append(recs, store.AuditRecord{ID: fmt.Sprintf("%s-batch-%02d", a, n), Time: base.Add(time.Duration(n) * time.Minute),
				Account: a, Principal: "p", Entity: "p", Service: "iam", Action: "iam:GetUser", Decision: "Allow", Event: []byte("{}")})
		}
		wantErr(t, "AppendAudit(batch)", s.AppendAudit(ctx, recs), nil)
	}
	got, err := s.AuditRecords(ctx, store.AuditQuery{Account: a, Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range got {
		ids = append(ids, r.ID[len(a)+1:])
	}
	if want := "[batch-07 batch-08 batch-09 batch-10 batch-11]"; fmt.Sprint(ids) != want {
		t.Errorf("AuditRecords(limit 5) over three batches = %v, want %s", ids, want)
	}
	acc, err := s.AuditAccesses(ctx, a, []string{"p"}, time.Time{})
	if err != nil || len(acc) != 1 || acc[0].Count != 12 || !acc[0].Last.Equal(base.Add(11*time.Minute)) {
		t.Errorf("AuditAccesses over three batches = %+v, %v, want 12 calls, the last at minute 11", acc, err)
	}
}

// testPolicyGenerations checks Access Analyzer's policy generation jobs:
// created once per id and client token, found by either, replaced, listed
// newest first and by principal, and gone with the account.
func testPolicyGenerations(t *testing.T, s store.Store) {
	a, b := newAccount(t, s), newAccount(t, s)
	base := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	role, user := arn.Role(a, "/", "app").String(), arn.User(a, "/", "alice").String()
	jobs := []store.PolicyGeneration{
		{Account: a, ID: "j1", Principal: role, ClientToken: "t1", Started: base, Data: []byte(`{"status":"IN_PROGRESS"}`)},
		{Account: a, ID: "j2", Principal: user, Started: base.Add(time.Minute), Data: []byte(`{}`)},
		{Account: a, ID: "j3", Principal: role, Started: base.Add(2 * time.Minute), Data: []byte(`{}`)},
		{Account: b, ID: "j1", Principal: role, ClientToken: "t1", Started: base, Data: []byte(`{}`)}, // another account's
	}
	for _, g := range jobs {
		wantErr(t, "PutPolicyGeneration(create)", s.PutPolicyGeneration(ctx, g, true), nil)
	}
	dup := jobs[1]
	dup.ClientToken = "t1"
	dup.ID = "j9"
	wantErr(t, "PutPolicyGeneration(same client token)", s.PutPolicyGeneration(ctx, dup, true), store.ErrAlreadyExists)
	wantErr(t, "PutPolicyGeneration(same id)", s.PutPolicyGeneration(ctx, jobs[0], true), store.ErrAlreadyExists)
	wantErr(t, "PutPolicyGeneration(no id)", s.PutPolicyGeneration(ctx, store.PolicyGeneration{Account: a}, true), store.ErrInvalid)
	done := jobs[0]
	done.Data = []byte(`{"status":"SUCCEEDED"}`)
	wantErr(t, "PutPolicyGeneration(replace)", s.PutPolicyGeneration(ctx, done, false), nil)
	missing := done
	missing.ID = "nope"
	wantErr(t, "PutPolicyGeneration(replace missing)", s.PutPolicyGeneration(ctx, missing, false), store.ErrNotFound)
	g, err := s.PolicyGeneration(ctx, a, "j1", "")
	if err != nil || string(g.Data) != `{"status":"SUCCEEDED"}` || g.Principal != role || g.ClientToken != "t1" || !g.Started.Equal(base) {
		t.Errorf("PolicyGeneration(j1) = %+v, %v", g, err)
	}
	if g, err := s.PolicyGeneration(ctx, a, "", "t1"); err != nil || g.ID != "j1" {
		t.Errorf("PolicyGeneration(client token t1) = %+v, %v", g, err)
	}
	_, err = s.PolicyGeneration(ctx, a, "j4", "")
	wantErr(t, "PolicyGeneration(missing)", err, store.ErrNotFound)
	for _, tc := range []struct {
		principal string
		want      string
	}{{"", "[j3 j2 j1]"}, {role, "[j3 j1]"}, {arn.Role(a, "/", "other").String(), "[]"}} {
		list, err := s.PolicyGenerations(ctx, a, tc.principal)
		var ids []string
		for _, g := range list {
			ids = append(ids, g.ID)
		}
		if err != nil || fmt.Sprint(ids) != tc.want {
			t.Errorf("PolicyGenerations(%q) = %v, %v, want %s", tc.principal, ids, err, tc.want)
		}
	}
	wantErr(t, "DeleteAccount", s.DeleteAccount(ctx, a), nil)
	if list, err := s.PolicyGenerations(ctx, a, ""); err != nil || len(list) != 0 {
		t.Errorf("PolicyGenerations after DeleteAccount = %d jobs, %v", len(list), err)
	}
	if list, err := s.PolicyGenerations(ctx, b, ""); err != nil || len(list) != 1 {
		t.Errorf("PolicyGenerations(other account) after DeleteAccount = %d jobs, %v, want 1", len(list), err)
	}
}
