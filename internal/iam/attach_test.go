package iam

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/iamq/iamq/internal/store"
)

func TestAttachPolicy(t *testing.T) {
	f := newPolicyFixture(t)
	f.createPolicy("Local", "/team/")
	local := "arn:aws:iam::111122223333:policy/team/Local"
	user := f.entity(store.KindUser, "carol")
	group := f.entity(store.KindGroup, "ops")
	role := f.entity(store.KindRole, "deployer")
	slr := store.EntityRef{Kind: store.KindRole, Name: "AWSServiceRoleForAmazonMQ"}
	if err := f.st.Update(f.ctx, polAccount, func(tx store.Tx) error {
		_, err := tx.CreateRole(store.Role{Name: slr.Name, Path: "/aws-service-role/mq.amazonaws.com/", AssumeRolePolicy: "{}", ServiceLinked: true})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		to   store.EntityRef
		arn  string
		kind error
		msg  string
	}{
		{"user aws", user, mqFull, nil, ""},
		{"user local", user, local, nil, ""},
		{"user again", user, mqFull, nil, ""},
		{"group", group, local, nil, ""},
		{"role", role, mqFull, nil, ""},
		{"service role policy to role", role, mqSLRPol, ErrPolicyNotAttachable, "Cannot attach a Service Role Policy to a Customer Role."},
		{"service role policy to user", user, mqSLRPol, ErrPolicyNotAttachable, "Cannot attach a Service Role Policy to a Customer User."},
		{"service role policy to group", group, mqSLRPol, ErrPolicyNotAttachable, "Cannot attach a Service Role Policy to a Customer Group."},
		{"missing aws", user, "arn:aws:iam::aws:policy/AWSLambdaFullAccessX", store.ErrNotFound,
			"Policy arn:aws:iam::aws:policy/AWSLambdaFullAccessX does not exist or is not attachable."},
		{"other account", user, "arn:aws:iam::444455556666:policy/team/Local", store.ErrNotFound, ""},
		{"malformed", user, "arn:aws:iam::aws:policy/arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess", ErrInvalidInput,
			"ARN arn:aws:iam::aws:policy/arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess is not valid."},
		{"missing user", store.EntityRef{Kind: store.KindUser, Name: "nobody"}, mqFull, store.ErrNotFound, "The user with name nobody cannot be found."},
		{"service-linked role", slr, mqFull, ErrUnmodifiable, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := f.s.AttachPolicy(f.ctx, polAccount, tt.to, tt.arn)
			if tt.kind == nil {
				if err != nil {
					t.Fatalf("AttachPolicy = %v", err)
				}
				return
			}
			wantErr(t, err, tt.kind, tt.msg)
		})
	}
	t.Run("listed", func(t *testing.T) {
		p, err := f.s.ListAttachedPolicies(f.ctx, polAccount, user, ListInput{})
		if err != nil || len(p.Items) != 2 || p.Items[0].Name != "AmazonMQFullAccess" || p.Items[1].ARN != local {
			t.Fatalf("ListAttachedPolicies = %+v, %v", p, err)
		}
		p, err = f.s.ListAttachedPolicies(f.ctx, polAccount, user, ListInput{PathPrefix: "/team/"})
		if err != nil || len(p.Items) != 1 {
			t.Fatalf("ListAttachedPolicies(/team/) = %+v, %v", p, err)
		}
	})
	t.Run("counted", func(t *testing.T) {
		p, err := f.s.GetPolicy(f.ctx, polAccount, mqFull)
		if err != nil || p.AttachmentCount != 2 {
			t.Fatalf("GetPolicy = %+v, %v; want AttachmentCount 2", p, err)
		}
	})
	t.Run("entities", func(t *testing.T) {
		p, err := f.s.ListEntitiesForPolicy(f.ctx, polAccount, ListEntitiesForPolicyInput{PolicyARN: mqFull})
		if err != nil || len(p.Items) != 2 || p.Items[0].Name != "deployer" || p.Items[1].Name != "carol" || p.Items[1].ID == "" {
			t.Fatalf("ListEntitiesForPolicy = %+v, %v", p, err)
		}
		p, err = f.s.ListEntitiesForPolicy(f.ctx, polAccount, ListEntitiesForPolicyInput{PolicyARN: local, Filter: FilterGroup})
		if err != nil || len(p.Items) != 1 || p.Items[0].Kind != store.KindGroup {
			t.Fatalf("ListEntitiesForPolicy(Group) = %+v, %v", p, err)
		}
	})
	t.Run("detach", func(t *testing.T) {
		if err := f.s.DetachPolicy(f.ctx, polAccount, user, mqFull); err != nil {
			t.Fatal(err)
		}
		err := f.s.DetachPolicy(f.ctx, polAccount, user, mqFull)
		wantErr(t, err, store.ErrNotFound, "Policy "+mqFull+" was not found.")
		wantErr(t, f.s.DetachPolicy(f.ctx, polAccount, slr, mqSLRPol), ErrUnmodifiable, "")
	})
}

func TestAttachQuota(t *testing.T) {
	tests := []struct {
		name string
		kind store.Kind
		msg  string
	}{
		{"user", store.KindUser, "Cannot exceed quota for PoliciesPerUser: 10"},
		{"group", store.KindGroup, "Cannot exceed quota for PoliciesPerGroup: 10"},
		{"role", store.KindRole, "Cannot exceed quota for PoliciesPerRole: 10"},
	}
	f := newPolicyFixture(t)
	for i := range 11 {
		f.createPolicy(fmt.Sprintf("Q%02d", i), "/")
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := f.entity(tt.kind, "quota-"+tt.name)
			for i := range 10 {
				if err := f.s.AttachPolicy(f.ctx, polAccount, e, localARN(fmt.Sprintf("Q%02d", i))); err != nil {
					t.Fatalf("attach #%d = %v", i+1, err)
				}
			}
			wantErr(t, f.s.AttachPolicy(f.ctx, polAccount, e, localARN("Q10")), store.ErrLimitExceeded, tt.msg)
			p, err := f.s.ListAttachedPolicies(f.ctx, polAccount, e, ListInput{})
			if err != nil || len(p.Items) != 10 {
				t.Fatalf("after the refusal %d attached, %v; want 10", len(p.Items), err)
			}
		})
	}
}

func TestInlinePolicies(t *testing.T) {
	f := newPolicyFixture(t)
	user := f.entity(store.KindUser, "dave")
	role := f.entity(store.KindRole, "runner")
	group := f.entity(store.KindGroup, "devs")
	// A document of about 1,200 characters without white space: one fits a
	// user (2,048), two do not; a role (10,240) takes several.
	bigDoc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":[` +
		strings.TrimSuffix(strings.Repeat(`"arn:aws:s3:::some-bucket-name/some/object/key",`, 25), ",") + `]}]}`
	tests := []struct {
		name string
		of   store.EntityRef
		pol  string
		doc  string
		kind error
		msg  string
	}{
		{"user", user, "first", bigDoc, nil, ""},
		{"user replace", user, "first", bigDoc, nil, ""},
		{"user over quota", user, "second", bigDoc, store.ErrLimitExceeded, "Maximum policy size of 2048 bytes exceeded for user dave"},
		{"role", role, "a", bigDoc, nil, ""},
		{"role 2", role, "b", bigDoc, nil, ""},
		{"group", group, "g", polDoc, nil, ""},
		{"malformed", user, "bad", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3","Resource":"*"}]}`, ErrMalformedPolicy,
			"Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."},
		{"bad name", user, "no/slash", polDoc, ErrValidation, ""},
		{"missing user", store.EntityRef{Kind: store.KindUser, Name: "ghost"}, "p", polDoc, store.ErrNotFound, "The user with name ghost cannot be found."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := f.s.PutInlinePolicy(f.ctx, polAccount, tt.of, tt.pol, tt.doc)
			if tt.kind == nil {
				if err != nil {
					t.Fatalf("PutInlinePolicy = %v", err)
				}
				got, err := f.s.GetInlinePolicy(f.ctx, polAccount, tt.of, tt.pol)
				if err != nil || got.Document != tt.doc {
					t.Fatalf("GetInlinePolicy = %+v, %v", got, err)
				}
				return
			}
			wantErr(t, err, tt.kind, tt.msg)
			if _, err := f.s.GetInlinePolicy(f.ctx, polAccount, tt.of, tt.pol); err == nil {
				t.Fatal("a refused PutInlinePolicy stored the policy")
			}
		})
	}
	t.Run("list and delete", func(t *testing.T) {
		p, err := f.s.ListInlinePolicies(f.ctx, polAccount, role, ListInput{MaxItems: 1})
		if err != nil || len(p.Items) != 1 || p.Items[0] != "a" || !p.IsTruncated {
			t.Fatalf("ListInlinePolicies = %+v, %v", p, err)
		}
		if err := f.s.DeleteInlinePolicy(f.ctx, polAccount, role, "a"); err != nil {
			t.Fatal(err)
		}
		wantErr(t, f.s.DeleteInlinePolicy(f.ctx, polAccount, role, "a"), store.ErrNotFound, "The role policy with name a cannot be found.")
		p, err = f.s.ListInlinePolicies(f.ctx, polAccount, role, ListInput{})
		if err != nil || len(p.Items) != 1 || p.Items[0] != "b" {
			t.Fatalf("ListInlinePolicies after delete = %+v, %v", p, err)
		}
	})
}

func TestPermissionsBoundary(t *testing.T) {
	f := newPolicyFixture(t)
	f.createPolicy("Fence", "/")
	user := f.entity(store.KindUser, "erin")
	role := f.entity(store.KindRole, "worker")
	tests := []struct {
		name string
		of   store.EntityRef
		arn  string
		kind error
		msg  string
	}{
		{"user local", user, localARN("Fence"), nil, ""},
		{"role aws", role, "arn:aws:iam::aws:policy/AmazonMQReadOnlyAccess", nil, ""},
		{"missing", user, localARN("NoFence"), store.ErrNotFound, "Scope ARN: arn:aws:iam::111122223333:policy/NoFence does not exist or is not attachable."},
		{"service role", role, mqSLRPol, ErrPolicyNotAttachable, ""},
		{"malformed", user, "arn:aws:iam::aws:role/whatever", ErrInvalidInput, "ARN arn:aws:iam::aws:role/whatever is not valid."},
		{"missing role", store.EntityRef{Kind: store.KindRole, Name: "ghost"}, localARN("Fence"), store.ErrNotFound, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := f.s.PutPermissionsBoundary(f.ctx, polAccount, tt.of, tt.arn)
			if tt.kind != nil {
				wantErr(t, err, tt.kind, tt.msg)
				return
			}
			if err != nil {
				t.Fatalf("PutPermissionsBoundary = %v", err)
			}
		})
	}
	t.Run("stored and counted", func(t *testing.T) {
		err := f.st.View(f.ctx, polAccount, func(tx store.Tx) error {
			u, err := tx.User("erin")
			if err == nil && u.PermissionsBoundary != localARN("Fence") {
				return fmt.Errorf("user boundary = %q", u.PermissionsBoundary)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		p, err := f.s.GetPolicy(f.ctx, polAccount, "arn:aws:iam::aws:policy/AmazonMQReadOnlyAccess")
		if err != nil || p.BoundaryUsageCount != 1 {
			t.Fatalf("GetPolicy = %+v, %v; want BoundaryUsageCount 1", p, err)
		}
		e, err := f.s.ListEntitiesForPolicy(f.ctx, polAccount, ListEntitiesForPolicyInput{PolicyARN: localARN("Fence"), Usage: store.UsageBoundary})
		if err != nil || len(e.Items) != 1 || e.Items[0].Name != "erin" {
			t.Fatalf("ListEntitiesForPolicy(boundary) = %+v, %v", e, err)
		}
	})
	t.Run("delete", func(t *testing.T) {
		for _, of := range []store.EntityRef{user, role, user} {
			if err := f.s.DeletePermissionsBoundary(f.ctx, polAccount, of); err != nil {
				t.Fatalf("DeletePermissionsBoundary(%v) = %v", of, err)
			}
		}
		if err := f.s.DeletePolicy(f.ctx, polAccount, polCaller, localARN("Fence")); err != nil {
			t.Fatalf("DeletePolicy after the boundary went = %v", err)
		}
	})
}

// TestAttachQuotaRace races 20 attaches of 20 policies to one user: the
// quota check and the write are atomic, so exactly 10 succeed.
func TestAttachQuotaRace(t *testing.T) {
	f := newPolicyFixture(t)
	user := f.entity(store.KindUser, "racer")
	for i := range 20 {
		f.createPolicy(fmt.Sprintf("R%02d", i), "/")
	}
	errs := make(chan error, 20)
	for i := range 20 {
		go func() { errs <- f.s.AttachPolicy(f.ctx, polAccount, user, localARN(fmt.Sprintf("R%02d", i))) }()
	}
	ok, limited := 0, 0
	for range 20 {
		switch err := <-errs; {
		case err == nil:
			ok++
		case errors.Is(err, store.ErrLimitExceeded):
			limited++
		default:
			t.Fatalf("AttachPolicy = %v", err)
		}
	}
	p, err := f.s.ListAttachedPolicies(f.ctx, polAccount, user, ListInput{})
	if ok != 10 || limited != 10 || err != nil || len(p.Items) != 10 {
		t.Fatalf("%d attached, %d refused, %d listed (%v); want 10, 10, 10", ok, limited, len(p.Items), err)
	}
}
