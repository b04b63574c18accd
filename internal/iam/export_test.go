package iam

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iamq/iamq/internal/store"
)

const otherAccount = "210987654321"

// seedAccount fills testAccount with one of everything.
func seedAccount(t *testing.T, s *Service, st store.Store) {
	t.Helper()
	ctx := context.Background()
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}`
	doc2 := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
	err := st.Update(ctx, testAccount, func(tx store.Tx) error {
		if _, err := tx.CreatePolicy(store.Policy{Name: "reader", Path: "/team/"}, doc); err != nil {
			return err
		}
		_, err := tx.CreatePolicyVersion("reader", doc2, true)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	steps := []error{
		func() error {
			_, err := s.CreateUser(ctx, testAccount, CreateUserInput{UserName: "alice", Path: "/eng/", Tags: []store.Tag{{Key: "k", Value: "v"}},
				PermissionsBoundary: "arn:aws:iam::" + testAccount + ":policy/team/reader"})
			return err
		}(),
		func() error { _, err := s.CreateGroup(ctx, testAccount, "devs", ""); return err }(),
		s.AddUserToGroup(ctx, testAccount, "devs", "alice"),
		func() error {
			_, err := s.CreateRole(ctx, testAccount, CreateRoleInput{RoleName: "web", AssumeRolePolicyDocument: trust, Description: "d", MaxSessionDuration: 7200})
			return err
		}(),
		func() error { _, err := s.CreateInstanceProfile(ctx, testAccount, "web-ip", "", nil); return err }(),
		s.AddRoleToInstanceProfile(ctx, testAccount, "web-ip", "web"),
	}
	for i, err := range steps {
		if err != nil {
			t.Fatalf("seed step %d: %v", i, err)
		}
	}
	err = st.Update(ctx, testAccount, func(tx store.Tx) error {
		for _, a := range []struct {
			ref store.EntityRef
			arn string
		}{
			{store.EntityRef{Kind: store.KindRole, Name: "web"}, "arn:aws:iam::aws:policy/AmazonMQReadOnlyAccess"},
			{store.EntityRef{Kind: store.KindGroup, Name: "devs"}, "arn:aws:iam::" + testAccount + ":policy/team/reader"},
		} {
			if err := tx.AttachPolicy(a.ref, a.arn); err != nil {
				return err
			}
		}
		return tx.PutInlinePolicy(store.EntityRef{Kind: store.KindUser, Name: "alice"}, store.InlinePolicy{Name: "own", Document: doc, Size: 80})
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestExportImportRoundTrip(t *testing.T) { forEachBackend(t, testExportImportRoundTrip) }

func testExportImportRoundTrip(t *testing.T, s *Service, st store.Store) {
	ctx := context.Background()
	seedAccount(t, s, st)
	d, err := s.ExportAccount(ctx, testAccount)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.UserDetailList) != 1 || len(d.GroupDetailList) != 1 || len(d.RoleDetailList) != 1 || len(d.Policies) != 2 {
		t.Fatalf("ExportAccount = %d users, %d groups, %d roles, %d policies", len(d.UserDetailList), len(d.GroupDetailList), len(d.RoleDetailList), len(d.Policies))
	}
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(d); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"PolicyDocument":{"Version":"2012-10-17"`) {
		t.Errorf("export writes documents as strings, want JSON objects: %.300s", buf.String())
	}
	read, err := ReadDetails(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateAccount(ctx, store.Account{ID: otherAccount}); err != nil {
		t.Fatal(err)
	}
	sum, err := s.ImportAccount(ctx, otherAccount, read)
	if err != nil {
		t.Fatal(err)
	}
	want := ImportSummary{Users: 1, Groups: 1, Roles: 1, InstanceProfiles: 1, Policies: 1, InlinePolicies: 1, Attachments: 2}
	if sum != want {
		t.Errorf("ImportAccount = %+v, want %+v", sum, want)
	}
	again, err := s.ExportAccount(ctx, otherAccount)
	if err != nil {
		t.Fatal(err)
	}
	u := again.UserDetailList[0]
	if u.Arn != "arn:aws:iam::"+otherAccount+":user/eng/alice" || len(u.GroupList) != 1 || len(u.UserPolicyList) != 1 ||
		u.PermissionsBoundary == nil || u.PermissionsBoundary.PermissionsBoundaryArn != "arn:aws:iam::"+otherAccount+":policy/team/reader" {
		t.Errorf("imported user = %+v", u)
	}
	r := again.RoleDetailList[0]
	if r.MaxSessionDuration != 7200 || len(r.InstanceProfileList) != 1 || len(r.AttachedManagedPolicies) != 1 || string(r.AssumeRolePolicyDocument) != trust {
		t.Errorf("imported role = %+v", r)
	}
	for _, p := range again.Policies {
		if p.PolicyName == "reader" && (len(p.PolicyVersionList) != 2 || p.DefaultVersionId != "v2" || p.AttachmentCount != 1) {
			t.Errorf("imported policy = %+v", p)
		}
	}
}

func TestImportRefusals(t *testing.T) {
	s, st := newTestService(t)
	ctx := context.Background()
	seedAccount(t, s, st)
	d, err := s.ExportAccount(ctx, testAccount)
	if err != nil {
		t.Fatal(err)
	}
	// Everything exists already: the first name taken refuses it all.
	if _, err := s.ImportAccount(ctx, testAccount, d); err == nil {
		t.Fatal("ImportAccount into the account it came from succeeded")
	}
	if _, err := st.CreateAccount(ctx, store.Account{ID: otherAccount}); err != nil {
		t.Fatal(err)
	}
	bad := d
	bad.RoleDetailList = []RoleDetail{{RoleSummary: RoleSummary{RoleName: "r", AssumeRolePolicyDocument: `{"Version":"2012-10-17","Statement":[]}`}}}
	if _, err := s.ImportAccount(ctx, otherAccount, bad); err == nil {
		t.Fatal("ImportAccount with a bad trust policy succeeded")
	}
	left, err := s.ExportAccount(ctx, otherAccount)
	if err != nil {
		t.Fatal(err)
	}
	if n := left.Len(); n != 0 {
		t.Errorf("a refused import left %d entries", n)
	}
}

// TestReadDetailsCorpus reads the files under testdata/details: each must
// decode, with documents given as strings or objects, and import.
func TestReadDetailsCorpus(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "details", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			f, err := os.Open(file)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			d, err := ReadDetails(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range d.RoleDetailList {
				if !json.Valid([]byte(r.AssumeRolePolicyDocument)) {
					t.Errorf("role %s: trust policy %q is not JSON", r.RoleName, r.AssumeRolePolicyDocument)
				}
			}
			s, _ := newTestService(t)
			sum, err := s.ImportAccount(context.Background(), testAccount, d)
			if err != nil {
				t.Fatalf("ImportAccount = %v", err)
			}
			if sum.Users != len(d.UserDetailList) || sum.Roles != len(d.RoleDetailList) || sum.Groups != len(d.GroupDetailList) {
				t.Errorf("ImportAccount = %+v", sum)
			}
		})
	}
}

func FuzzReadDetails(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "details", "*.json"))
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := ReadDetails(bytes.NewReader(b))
		if err != nil {
			return
		}
		// What was read writes and reads back to the same thing.
		var buf bytes.Buffer
		if err := json.NewEncoder(&buf).Encode(d); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadDetails(&buf); err != nil {
			t.Fatalf("ReadDetails(encode(ReadDetails(x))) = %v", err)
		}
	})
}
