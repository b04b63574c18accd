package iam

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/iamq/iamq/internal/managed"
	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/internal/store/sqlite"
)

const (
	polAccount = "111122223333"
	polOther   = "444455556666"
	polCaller  = "arn:aws:iam::111122223333:root"
	polDoc     = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"mq:Describe*","Resource":"*"}]}`
	mqFull     = "arn:aws:iam::aws:policy/AmazonMQFullAccess"
	mqSLRPol   = "arn:aws:iam::aws:policy/aws-service-role/AmazonMQServiceRolePolicy"
)

// library is shared by every test: decoding the index once keeps them fast.
var library = managed.Builtin()

// policyFixture is a Service over a fresh SQLite store with two accounts.
type policyFixture struct {
	t   *testing.T
	ctx context.Context
	st  store.Store
	s   *Service
}

func newPolicyFixture(t *testing.T) *policyFixture {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "iamq.db"), store.Options{Key: make([]byte, store.KeySize)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	for _, id := range []string{polAccount, polOther} {
		if _, err := st.CreateAccount(ctx, store.Account{ID: id}); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Date(2026, 11, 26, 1, 0, 0, 0, time.UTC)
	return &policyFixture{t: t, ctx: ctx, st: st, s: New(st, library, Options{Now: func() time.Time { return now }})}
}

// arn is the ARN of the fixture account's policy at path "/".
func localARN(name string) string { return "arn:aws:iam::" + polAccount + ":policy/" + name }

// createPolicy creates a customer managed policy or fails the test.
func (f *policyFixture) createPolicy(name, path string) ManagedPolicy {
	f.t.Helper()
	p, err := f.s.CreatePolicy(f.ctx, polAccount, CreatePolicyInput{Name: name, Path: path, Document: polDoc})
	if err != nil {
		f.t.Fatalf("CreatePolicy(%s) = %v", name, err)
	}
	return p
}

// entity creates a user, group or role directly in the store.
func (f *policyFixture) entity(kind store.Kind, name string) store.EntityRef {
	f.t.Helper()
	err := f.st.Update(f.ctx, polAccount, func(tx store.Tx) error {
		var err error
		switch kind {
		case store.KindUser:
			_, err = tx.CreateUser(store.User{Name: name})
		case store.KindGroup:
			_, err = tx.CreateGroup(store.Group{Name: name})
		case store.KindRole:
			_, err = tx.CreateRole(store.Role{Name: name, AssumeRolePolicy: `{}`})
		}
		return err
	})
	if err != nil {
		f.t.Fatalf("creating %s %s: %v", kind, name, err)
	}
	return store.EntityRef{Kind: kind, Name: name}
}

// wantErr checks that err is of kind with message msg ("" = any message).
func wantErr(t *testing.T, err, kind error, msg string) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Fatalf("err = %v, want kind %v", err, kind)
	}
	if msg != "" && err.Error() != msg && !strings.HasSuffix(err.Error(), ": "+msg) {
		t.Fatalf("err = %q, want message %q", err.Error(), msg)
	}
}

func TestCreatePolicy(t *testing.T) {
	big := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":[` +
		strings.TrimSuffix(strings.Repeat(`"arn:aws:s3:::bucket-with-a-rather-long-name/object-key-0001",`, 110), ",") + `]}]}`
	tests := []struct {
		name string
		in   CreatePolicyInput
		kind error
		msg  string
	}{
		{"ok", CreatePolicyInput{Name: "Readers", Path: "/team/", Description: "read", Document: polDoc}, nil, ""},
		{"bad name", CreatePolicyInput{Name: "no spaces", Document: polDoc}, ErrValidation, ""},
		{"bad path", CreatePolicyInput{Name: "P", Path: "team", Document: polDoc}, ErrValidation, ""},
		{"not json", CreatePolicyInput{Name: "P", Document: "{"}, ErrMalformedPolicy, "Syntax errors in policy."},
		{"no resource", CreatePolicyInput{Name: "P", Document: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*"}]}`},
			ErrMalformedPolicy, "Policy statement must contain resources."},
		{"principal", CreatePolicyInput{Name: "P", Document: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}`},
			ErrMalformedPolicy, "Policy document should not specify a principal."},
		{"too large", CreatePolicyInput{Name: "P", Document: big}, store.ErrLimitExceeded, "Cannot exceed quota for PolicySize: 6144"},
		{"bad tag", CreatePolicyInput{Name: "P", Document: polDoc, Tags: []store.Tag{{Key: "", Value: "x"}}}, ErrValidation, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newPolicyFixture(t)
			p, err := f.s.CreatePolicy(f.ctx, polAccount, tt.in)
			if tt.kind != nil {
				wantErr(t, err, tt.kind, tt.msg)
				page, _ := f.s.ListPolicies(f.ctx, polAccount, ListPoliciesInput{Scope: ScopeLocal})
				if len(page.Items) != 0 {
					t.Fatalf("a refused CreatePolicy left %d policies", len(page.Items))
				}
				return
			}
			if err != nil {
				t.Fatalf("CreatePolicy = %v", err)
			}
			if p.ARN != "arn:aws:iam::111122223333:policy/team/Readers" || p.DefaultVersionID != "v1" || !p.Attachable || !strings.HasPrefix(p.ID, "ANPA") {
				t.Fatalf("CreatePolicy = %+v", p)
			}
		})
	}
}

func TestCreatePolicyDuplicate(t *testing.T) {
	f := newPolicyFixture(t)
	f.createPolicy("Dup", "/")
	_, err := f.s.CreatePolicy(f.ctx, polAccount, CreatePolicyInput{Name: "dup", Document: polDoc})
	wantErr(t, err, store.ErrAlreadyExists, "A policy called dup already exists. Duplicate names are not allowed.")
}

func TestGetPolicy(t *testing.T) {
	f := newPolicyFixture(t)
	f.createPolicy("Mine", "/a/")
	tests := []struct {
		name, arn string
		kind      error
		msg       string
		want      string // DefaultVersionID
	}{
		{"local", "arn:aws:iam::111122223333:policy/a/Mine", nil, "", "v1"},
		{"aws", mqFull, nil, "", "v5"},
		{"aws service role", mqSLRPol, nil, "", "v1"},
		{"wrong path", "arn:aws:iam::111122223333:policy/Mine", store.ErrNotFound, "Policy arn:aws:iam::111122223333:policy/Mine was not found.", ""},
		{"other account", "arn:aws:iam::444455556666:policy/a/Mine", store.ErrNotFound, "", ""},
		{"missing aws", "arn:aws:iam::aws:policy/NoSuchPolicy", store.ErrNotFound, "Policy arn:aws:iam::aws:policy/NoSuchPolicy was not found.", ""},
		{"malformed", "arn:aws:iam::aws:policy/arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess", ErrInvalidInput,
			"ARN arn:aws:iam::aws:policy/arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess is not valid.", ""},
		{"short", "arn:aws", ErrValidation, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := f.s.GetPolicy(f.ctx, polAccount, tt.arn)
			if tt.kind != nil {
				wantErr(t, err, tt.kind, tt.msg)
				return
			}
			if err != nil || p.DefaultVersionID != tt.want || p.ARN != tt.arn || !p.Attachable {
				t.Fatalf("GetPolicy(%s) = %+v, %v", tt.arn, p, err)
			}
		})
	}
}

func TestListPoliciesScopes(t *testing.T) {
	f := newPolicyFixture(t)
	for i := range 25 {
		f.createPolicy(fmt.Sprintf("P%02d", i), "/")
	}
	f.createPolicy("Deep", "/x/y/")
	all, err := library.Policies()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		in    ListPoliciesInput
		page  int
		count int
	}{
		{"local", ListPoliciesInput{Scope: ScopeLocal}, 7, 26},
		{"local prefix", ListPoliciesInput{Scope: ScopeLocal, ListInput: ListInput{PathPrefix: "/x/"}}, 7, 1},
		{"aws", ListPoliciesInput{Scope: ScopeAWS}, 1000, len(all)},
		{"aws job functions", ListPoliciesInput{Scope: ScopeAWS, ListInput: ListInput{PathPrefix: "/job-function/"}}, 4, 11},
		{"all", ListPoliciesInput{}, 1000, len(all) + 26},
		{"all small pages", ListPoliciesInput{Scope: ScopeAll}, 97, len(all) + 26},
		{"all exact", ListPoliciesInput{Scope: ScopeAll}, len(all) / 2, len(all) + 26},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seen := map[string]bool{}
			in := tt.in
			in.MaxItems = tt.page
			for pages := 0; ; pages++ {
				if pages > 100 {
					t.Fatal("no end of pages")
				}
				p, err := f.s.ListPolicies(f.ctx, polAccount, in)
				if err != nil {
					t.Fatalf("ListPolicies = %v", err)
				}
				if len(p.Items) > tt.page {
					t.Fatalf("page of %d items, want at most %d", len(p.Items), tt.page)
				}
				for _, it := range p.Items {
					if seen[it.ARN] {
						t.Fatalf("%s listed twice", it.ARN)
					}
					seen[it.ARN] = true
				}
				if !p.IsTruncated {
					break
				}
				in.Marker = p.Marker
			}
			if len(seen) != tt.count {
				t.Fatalf("listed %d policies, want %d", len(seen), tt.count)
			}
		})
	}
}

func TestListPoliciesFilters(t *testing.T) {
	f := newPolicyFixture(t)
	f.createPolicy("Attached", "/")
	f.createPolicy("Bound", "/")
	f.createPolicy("Idle", "/")
	u := f.entity(store.KindUser, "alice")
	r := f.entity(store.KindRole, "builder")
	for _, step := range []error{
		f.s.AttachPolicy(f.ctx, polAccount, u, localARN("Attached")),
		f.s.AttachPolicy(f.ctx, polAccount, r, mqFull),
		f.s.PutPermissionsBoundary(f.ctx, polAccount, u, localARN("Bound")),
		f.s.PutPermissionsBoundary(f.ctx, polAccount, r, "arn:aws:iam::aws:policy/AmazonMQReadOnlyAccess"),
	} {
		if step != nil {
			t.Fatal(step)
		}
	}
	tests := []struct {
		name string
		in   ListPoliciesInput
		want string
	}{
		{"only attached", ListPoliciesInput{OnlyAttached: true}, "AmazonMQFullAccess:1:0 Attached:1:0"},
		{"permissions policy", ListPoliciesInput{Usage: store.UsageAttached, Scope: ScopeLocal}, "Attached:1:0"},
		{"boundary", ListPoliciesInput{Usage: store.UsageBoundary}, "AmazonMQReadOnlyAccess:0:1 Bound:0:1"},
		{"attached and boundary", ListPoliciesInput{Usage: store.UsageBoundary, OnlyAttached: true}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := f.s.ListPolicies(f.ctx, polAccount, tt.in)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, it := range p.Items {
				got = append(got, fmt.Sprintf("%s:%d:%d", it.Name, it.AttachmentCount, it.BoundaryUsageCount))
			}
			if strings.Join(got, " ") != tt.want {
				t.Fatalf("ListPolicies(%+v) = %q, want %q", tt.in, strings.Join(got, " "), tt.want)
			}
		})
	}
	t.Run("other account sees no counts", func(t *testing.T) {
		p, err := f.s.GetPolicy(f.ctx, polOther, mqFull)
		if err != nil || p.AttachmentCount != 0 {
			t.Fatalf("GetPolicy in another account = %+v, %v", p, err)
		}
		p, err = f.s.GetPolicy(f.ctx, polAccount, mqFull)
		if err != nil || p.AttachmentCount != 1 {
			t.Fatalf("GetPolicy = %+v, %v; want AttachmentCount 1", p, err)
		}
	})
}

func TestListPoliciesInvalid(t *testing.T) {
	f := newPolicyFixture(t)
	tests := []struct {
		name string
		in   ListPoliciesInput
		kind error
	}{
		{"scope", ListPoliciesInput{Scope: "Mine"}, ErrValidation},
		{"usage", ListPoliciesInput{Usage: "Everything"}, ErrValidation},
		{"max items", ListPoliciesInput{ListInput: ListInput{MaxItems: 1001}}, ErrValidation},
		{"forged marker", ListPoliciesInput{ListInput: ListInput{Marker: "bm90LWEtbWFya2Vy"}}, ErrInvalidInput},
		{"forged store marker", ListPoliciesInput{ListInput: ListInput{Marker: policyMarker{Phase: phaseLocal, After: "junk"}.encode()}}, ErrInvalidInput},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.s.ListPolicies(f.ctx, polAccount, tt.in)
			wantErr(t, err, tt.kind, "")
		})
	}
}

func TestDeletePolicy(t *testing.T) {
	f := newPolicyFixture(t)
	f.createPolicy("Used", "/")
	f.createPolicy("Versioned", "/")
	f.createPolicy("Bounding", "/")
	f.createPolicy("Free", "/")
	u := f.entity(store.KindUser, "bob")
	if err := f.s.AttachPolicy(f.ctx, polAccount, u, localARN("Used")); err != nil {
		t.Fatal(err)
	}
	if err := f.s.PutPermissionsBoundary(f.ctx, polAccount, u, localARN("Bounding")); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.CreatePolicyVersion(f.ctx, polAccount, polCaller, localARN("Versioned"), polDoc, false); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, arn string
		kind      error
		msg       string
	}{
		{"attached", localARN("Used"), store.ErrDeleteConflict, "Cannot delete a policy attached to entities."},
		{"boundary", localARN("Bounding"), store.ErrDeleteConflict, ""},
		{"versions", localARN("Versioned"), store.ErrDeleteConflict, "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy."},
		{"aws", mqFull, ErrAccessDenied, "User: arn:aws:iam::111122223333:root is not authorized to perform: iam:DeletePolicy on resource: policy arn:aws:iam::aws:policy/AmazonMQFullAccess"},
		{"missing", localARN("Nope"), store.ErrNotFound, "Policy arn:aws:iam::111122223333:policy/Nope was not found."},
		{"free", localARN("Free"), nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := f.s.DeletePolicy(f.ctx, polAccount, polCaller, tt.arn)
			_, getErr := f.s.GetPolicy(f.ctx, polAccount, tt.arn)
			if tt.kind == nil {
				if err != nil || !errors.Is(getErr, store.ErrNotFound) {
					t.Fatalf("DeletePolicy = %v; GetPolicy after = %v", err, getErr)
				}
				return
			}
			wantErr(t, err, tt.kind, tt.msg)
			if tt.kind != store.ErrNotFound && getErr != nil {
				t.Fatalf("a refused DeletePolicy changed something: GetPolicy = %v", getErr)
			}
		})
	}
}

func TestPolicyTags(t *testing.T) {
	f := newPolicyFixture(t)
	arn := f.createPolicy("Tagged", "/").ARN
	tags := []store.Tag{{Key: "team", Value: "mq"}, {Key: "env", Value: "dev"}, {Key: "cost", Value: "1"}}
	if err := f.s.TagPolicy(f.ctx, polAccount, polCaller, arn, tags); err != nil {
		t.Fatal(err)
	}
	if err := f.s.UntagPolicy(f.ctx, polAccount, polCaller, arn, []string{"ENV", "absent"}); err != nil {
		t.Fatal(err)
	}
	p, err := f.s.ListPolicyTags(f.ctx, polAccount, arn, ListInput{MaxItems: 1})
	if err != nil || len(p.Items) != 1 || p.Items[0].Key != "cost" || !p.IsTruncated {
		t.Fatalf("ListPolicyTags page 1 = %+v, %v", p, err)
	}
	p, err = f.s.ListPolicyTags(f.ctx, polAccount, arn, ListInput{Marker: p.Marker})
	if err != nil || len(p.Items) != 1 || p.Items[0].Key != "team" || p.IsTruncated {
		t.Fatalf("ListPolicyTags page 2 = %+v, %v", p, err)
	}
	for _, op := range []struct {
		name string
		err  error
	}{
		{"TagPolicy", f.s.TagPolicy(f.ctx, polAccount, polCaller, mqFull, tags)},
		{"UntagPolicy", f.s.UntagPolicy(f.ctx, polAccount, polCaller, mqFull, []string{"team"})},
	} {
		t.Run(op.name+" aws", func(t *testing.T) {
			wantErr(t, op.err, ErrAccessDenied, "User: "+polCaller+" is not authorized to perform: iam:"+op.name+" on resource: policy "+mqFull)
		})
	}
	t.Run("aws has no tags", func(t *testing.T) {
		p, err := f.s.ListPolicyTags(f.ctx, polAccount, mqFull, ListInput{})
		if err != nil || len(p.Items) != 0 {
			t.Fatalf("ListPolicyTags(aws) = %+v, %v", p, err)
		}
	})
}
