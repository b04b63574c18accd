package managed

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestLibraryCounts(t *testing.T) {
	lib := Builtin()
	all, err := lib.Policies()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1594 {
		t.Errorf("Policies() has %d policies, want 1594", len(all))
	}
	versions, generated := 0, 0
	ids := map[string]string{}
	for i, p := range all {
		versions += len(p.Versions)
		if p.IDGenerated {
			generated++
		}
		if len(p.ID) != 21 || !strings.HasPrefix(p.ID, "ANPA") {
			t.Errorf("%s: id %q is not ANPA + 17 characters", p.Name, p.ID)
		}
		if other, dup := ids[p.ID]; dup {
			t.Errorf("%s and %s share the id %s", p.Name, other, p.ID)
		}
		ids[p.ID] = p.Name
		if i > 0 && all[i-1].Name >= p.Name {
			t.Errorf("Policies() not sorted at %s", p.Name)
		}
		if _, ok := p.Version(p.DefaultVersion); !ok {
			t.Errorf("%s: default version %s not recovered", p.Name, p.DefaultVersion)
		}
	}
	if versions != 6194 {
		t.Errorf("recovered versions = %d, want 6194", versions)
	}
	if generated != 280 {
		t.Errorf("generated ids = %d, want 280", generated)
	}
}

func TestAmazonMQFullAccessHistory(t *testing.T) {
	lib := Builtin()
	p, ok := lib.Lookup("arn:aws:iam::aws:policy/AmazonMQFullAccess")
	if !ok {
		t.Fatal("AmazonMQFullAccess not found")
	}
	want := []struct{ id, date string }{
		{"v1", "2017-11-28"}, {"v2", "2018-01-11"}, {"v3", "2018-07-31"}, {"v4", "2018-12-18"}, {"v5", "2020-11-04"},
	}
	if len(p.Versions) != len(want) {
		t.Fatalf("AmazonMQFullAccess has %d versions, want 5", len(p.Versions))
	}
	for i, w := range want {
		v := p.Versions[i]
		if v.ID != w.id || v.CreateDate.Format(time.DateOnly) != w.date || v.DateUnknown {
			t.Errorf("version %d = %s %s (unknown %v), want %s %s", i, v.ID, v.CreateDate, v.DateUnknown, w.id, w.date)
		}
	}
	if p.ID != "ANPAJLKBROJNQYDDXOOGG" || p.DefaultVersion != "v5" || p.Description == "" {
		t.Errorf("AmazonMQFullAccess = %s %s %q", p.ID, p.DefaultVersion, p.Description)
	}
	doc, err := lib.Document(p, "v5")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(doc, "iam:CreateServiceLinkedRole") {
		t.Errorf("v5 lacks iam:CreateServiceLinkedRole: %s", doc)
	}
	v4, _ := lib.Document(p, "v4")
	if strings.Contains(v4, "iam:CreateServiceLinkedRole") {
		t.Errorf("v4 already has iam:CreateServiceLinkedRole")
	}
}

func TestDocumentsMatchSources(t *testing.T) {
	lib := Builtin()
	for _, name := range []string{"AmazonMQFullAccess", "AmazonMQServiceRolePolicy", "ViewOnlyAccess"} {
		raw, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "data", "managed-policies", name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var src struct {
			Arn      string
			Versions []struct {
				VersionId string
				Document  json.RawMessage
			}
		}
		if err := json.Unmarshal(raw, &src); err != nil {
			t.Fatal(err)
		}
		p, ok := lib.Lookup(src.Arn)
		if !ok {
			t.Fatalf("%s not in the library", src.Arn)
		}
		for _, v := range src.Versions {
			got, err := lib.Document(p, v.VersionId)
			if err != nil {
				t.Fatal(err)
			}
			var want bytes.Buffer
			json.Compact(&want, v.Document)
			if got != want.String() {
				t.Errorf("Document(%s, %s) differs from the source", name, v.VersionId)
			}
		}
	}
}

func TestGaps(t *testing.T) {
	lib := Builtin()
	view, _ := lib.Lookup("arn:aws:iam::aws:policy/job-function/ViewOnlyAccess")
	if _, err := lib.Document(view, "v30"); !errors.Is(err, ErrNoVersion) {
		t.Errorf("Document(ViewOnlyAccess, v30) error = %v, want ErrNoVersion", err)
	}
	if len(view.Versions) != 33 || view.VersionCount != 45 {
		t.Errorf("ViewOnlyAccess: %d recovered of %d, want 33 of 45", len(view.Versions), view.VersionCount)
	}
	// v36, v43 and v44 have unknown dates: they take v45's, the next known.
	v45, _ := view.Version("v45")
	for _, id := range []string{"v36", "v43", "v44"} {
		v, _ := view.Version(id)
		if !v.DateUnknown || !v.CreateDate.Equal(v45.CreateDate) {
			t.Errorf("%s: date %s unknown=%v, want %s and unknown", id, v.CreateDate, v.DateUnknown, v45.CreateDate)
		}
	}
	slr, _ := lib.Lookup("arn:aws:iam::aws:policy/aws-service-role/AmazonMQServiceRolePolicy")
	if !slr.ServiceRole() || !slr.Attachable {
		t.Errorf("AmazonMQServiceRolePolicy: ServiceRole=%v Attachable=%v, want both true", slr.ServiceRole(), slr.Attachable)
	}
}

func TestEveryDocumentDecodes(t *testing.T) {
	lib := Builtin()
	all, _ := lib.Policies()
	for _, p := range all {
		for _, v := range p.Versions {
			doc, err := lib.Document(p, v.ID)
			if err != nil {
				t.Fatalf("Document(%s, %s): %v", p.Name, v.ID, err)
			}
			if !json.Valid([]byte(doc)) {
				t.Fatalf("Document(%s, %s) is not JSON", p.Name, v.ID)
			}
		}
	}
}
