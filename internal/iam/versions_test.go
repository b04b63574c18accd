package iam

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/iamq/iamq/internal/store"
)

func TestPolicyVersionsLifeCycle(t *testing.T) {
	f := newPolicyFixture(t)
	arn := f.createPolicy("Five", "/").ARN
	for i := 2; i <= 5; i++ {
		doc := strings.Replace(polDoc, "mq:Describe*", fmt.Sprintf("mq:List%d", i), 1)
		v, err := f.s.CreatePolicyVersion(f.ctx, polAccount, polCaller, arn, doc, i == 3)
		if err != nil || v.ID != fmt.Sprintf("v%d", i) {
			t.Fatalf("CreatePolicyVersion #%d = %+v, %v", i, v, err)
		}
	}
	steps := []struct {
		name string
		run  func() error
		kind error
		msg  string
	}{
		{"sixth", func() error {
			_, err := f.s.CreatePolicyVersion(f.ctx, polAccount, polCaller, arn, polDoc, true)
			return err
		}, store.ErrLimitExceeded, "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version."},
		{"malformed", func() error {
			_, err := f.s.CreatePolicyVersion(f.ctx, polAccount, polCaller, arn, `{"Statement":[]}`, true)
			return err
		}, ErrMalformedPolicy, ""},
		{"delete default", func() error { return f.s.DeletePolicyVersion(f.ctx, polAccount, polCaller, arn, "v3") },
			store.ErrDeleteConflict, "Cannot delete the default version of a policy."},
		{"bad version id", func() error { return f.s.DeletePolicyVersion(f.ctx, polAccount, polCaller, arn, "3") }, ErrValidation, ""},
		{"missing version", func() error { return f.s.SetDefaultPolicyVersion(f.ctx, polAccount, polCaller, arn, "v9") }, store.ErrNotFound, ""},
		{"delete v1", func() error { return f.s.DeletePolicyVersion(f.ctx, polAccount, polCaller, arn, "v1") }, nil, ""},
		{"set default v5", func() error { return f.s.SetDefaultPolicyVersion(f.ctx, polAccount, polCaller, arn, "v5") }, nil, ""},
		{"sixth after delete", func() error {
			_, err := f.s.CreatePolicyVersion(f.ctx, polAccount, polCaller, arn, polDoc, false)
			return err
		}, nil, ""},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			err := st.run()
			if st.kind == nil {
				if err != nil {
					t.Fatalf("%s = %v", st.name, err)
				}
				return
			}
			wantErr(t, err, st.kind, st.msg)
		})
	}
	p, err := f.s.ListPolicyVersions(f.ctx, polAccount, arn, ListInput{MaxItems: 2})
	if err != nil || len(p.Items) != 2 || p.Items[0].ID != "v6" || p.Items[1].ID != "v5" || !p.Items[1].IsDefault || !p.IsTruncated {
		t.Fatalf("ListPolicyVersions page 1 = %+v, %v", p, err)
	}
	p, err = f.s.ListPolicyVersions(f.ctx, polAccount, arn, ListInput{Marker: p.Marker})
	if err != nil || len(p.Items) != 3 || p.Items[2].ID != "v2" || p.IsTruncated {
		t.Fatalf("ListPolicyVersions page 2 = %+v, %v", p, err)
	}
	v, err := f.s.GetPolicyVersion(f.ctx, polAccount, arn, "v5")
	if err != nil || !v.IsDefault || !strings.Contains(v.Document, "mq:List5") {
		t.Fatalf("GetPolicyVersion(v5) = %+v, %v", v, err)
	}
}

func TestAWSManagedVersions(t *testing.T) {
	f := newPolicyFixture(t)
	day := func(s string) time.Time { t, _ := time.Parse("2006-01-02", s); return t }
	for i, want := range []string{"2017-11-28", "2018-01-11", "2018-07-31", "2018-12-18", "2020-11-04"} {
		id := fmt.Sprintf("v%d", i+1)
		t.Run("AmazonMQFullAccess "+id, func(t *testing.T) {
			v, err := f.s.GetPolicyVersion(f.ctx, polAccount, mqFull, id)
			if err != nil {
				t.Fatal(err)
			}
			if got := v.Created.UTC().Truncate(24 * time.Hour); !got.Equal(day(want)) {
				t.Fatalf("GetPolicyVersion(%s).Created = %v, want %s", id, v.Created, want)
			}
			if v.IsDefault != (id == "v5") || !strings.Contains(v.Document, "mq:") {
				t.Fatalf("GetPolicyVersion(%s) = %+v", id, v)
			}
		})
	}
	t.Run("v5 grants the service-linked role", func(t *testing.T) {
		v, err := f.s.GetPolicyVersion(f.ctx, polAccount, mqFull, "v5")
		if err != nil || !strings.Contains(v.Document, "iam:CreateServiceLinkedRole") {
			t.Fatalf("v5 = %v, %v", v.Document, err)
		}
	})
	t.Run("unrecovered version", func(t *testing.T) {
		_, err := f.s.GetPolicyVersion(f.ctx, polAccount, "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess", "v30")
		wantErr(t, err, store.ErrNotFound, "Policy arn:aws:iam::aws:policy/job-function/ViewOnlyAccess version v30 does not exist or is not attachable.")
	})
	t.Run("ReadOnlyAccess lists its 151 recovered versions", func(t *testing.T) {
		seen := 0
		in := ListInput{MaxItems: 50}
		prev := ""
		for {
			p, err := f.s.ListPolicyVersions(f.ctx, polAccount, "arn:aws:iam::aws:policy/ReadOnlyAccess", in)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range p.Items {
				if seen == 0 && (v.ID != "v188" || !v.IsDefault) {
					t.Fatalf("first version = %+v, want the default v188", v)
				}
				if v.Document != "" {
					t.Fatal("ListPolicyVersions returned a document")
				}
				if prev != "" && versionKey(v) <= prev {
					t.Fatalf("%s out of order", v.ID)
				}
				prev = versionKey(v)
				seen++
			}
			if !p.IsTruncated {
				break
			}
			in.Marker = p.Marker
		}
		if seen != 151 {
			t.Fatalf("listed %d versions, want 151", seen)
		}
	})
	refusals := []struct {
		action string
		run    func() error
	}{
		{"CreatePolicyVersion", func() error {
			_, err := f.s.CreatePolicyVersion(f.ctx, polAccount, polCaller, mqFull, polDoc, true)
			return err
		}},
		{"DeletePolicyVersion", func() error { return f.s.DeletePolicyVersion(f.ctx, polAccount, polCaller, mqFull, "v1") }},
		{"SetDefaultPolicyVersion", func() error { return f.s.SetDefaultPolicyVersion(f.ctx, polAccount, polCaller, mqFull, "v1") }},
	}
	for _, r := range refusals {
		t.Run(r.action+" refused", func(t *testing.T) {
			wantErr(t, r.run(), ErrAccessDenied, "User: "+polCaller+" is not authorized to perform: iam:"+r.action+" on resource: policy "+mqFull)
			p, err := f.s.GetPolicy(f.ctx, polAccount, mqFull)
			if err != nil || p.DefaultVersionID != "v5" {
				t.Fatalf("after a refused %s: %+v, %v", r.action, p, err)
			}
			vs, err := f.s.ListPolicyVersions(f.ctx, polAccount, mqFull, ListInput{})
			if err != nil || len(vs.Items) != 5 {
				t.Fatalf("after a refused %s: %d versions, %v", r.action, len(vs.Items), err)
			}
		})
	}
}
