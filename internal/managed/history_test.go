package managed

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/iamq/iamq/internal/catalog"
	"github.com/iamq/iamq/internal/history"
)

// seedOf builds the history of one policy of the embedded library.
func seedOf(t *testing.T, name string) map[string]history.Entry {
	t.Helper()
	lib, cat := Builtin(), catalog.Embedded()
	ps, err := lib.Policies()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if p.Name == name {
			es, err := policyHistory(lib, newExpander(cat), p, NewServiceIndex(cat).Of(p.Name))
			if err != nil {
				t.Fatal(err)
			}
			byVersion := map[string]history.Entry{}
			for _, e := range es {
				byVersion[e.VersionText()] = e
			}
			return byVersion
		}
	}
	t.Fatalf("no policy %s", name)
	return nil
}

func TestHistoryAmazonMQFullAccess(t *testing.T) {
	es := seedOf(t, "AmazonMQFullAccess")
	if len(es) != 5 {
		t.Fatalf("%d entries, want its 5 versions: %v", len(es), es)
	}
	v1, v5 := es["v1"], es["v5"]
	if v1.Kind != history.NewPolicy || v1.Service != "mq" || !v1.DateKnown() || !v1.Counted || v1.Actions == 0 {
		t.Errorf("v1 = %+v, want a dated New policy of mq", v1)
	}
	if v5.Kind != history.AddedPermissions || v5.Since != "v4" || v5.Date.Format("2006-01-02") != "2020-11-04" ||
		v5.Diff == nil || !slices.Contains(v5.Diff.Added, "iam:CreateServiceLinkedRole") || v5.Removed != 0 {
		t.Errorf("v5 = %+v, want iam:CreateServiceLinkedRole added since v4 on 2020-11-04", v5)
	}
	if v5.ID != "arn:aws:iam::aws:policy/AmazonMQFullAccess#v5" {
		t.Errorf("v5's id = %q", v5.ID)
	}
}

// TestHistoryReadOnlyAccess checks the facts shared/data's README states:
// the 2020 dip, the gaps, and dates that are unknown staying unknown.
func TestHistoryReadOnlyAccess(t *testing.T) {
	es := seedOf(t, "ReadOnlyAccess")
	v68, v69, v72 := es["v68"], es["v69"], es["v72"]
	if v69.Kind != history.RemovedPermissions || !v69.Kind.Breaking() || v69.Removed < 4000 {
		t.Errorf("v69 = %s, removed %d; want a breaking change removing about 4,400 actions", v69.Kind, v69.Removed)
	}
	if !(v69.Actions < v68.Actions && v69.Actions < v72.Actions) {
		t.Errorf("actions v68 %d, v69 %d, v72 %d: want v69 below both", v68.Actions, v69.Actions, v72.Actions)
	}
	for _, g := range []string{"v141–v158", "v160–v177", "v180"} {
		if e, ok := es[g]; !ok || e.Kind != history.Gap || e.Counted || !e.NotBefore.Before(e.NotAfter) {
			t.Errorf("gap %s = %+v, want a gap entry between two bounds", g, e)
		}
	}
	// v141–v158 lies after v140 (date unknown, after v128's date) and
	// before v159 (date unknown, before the next known date).
	if g := es["v141–v158"]; !g.NotBefore.Equal(es["v140"].NotBefore) || !g.NotAfter.Equal(es["v159"].NotAfter) {
		t.Errorf("gap v141–v158 between %v and %v, want %v and %v", g.NotBefore, g.NotAfter, es["v140"].NotBefore, es["v159"].NotAfter)
	}
	for _, v := range []string{"v129", "v140", "v159", "v178", "v181", "v187"} {
		e := es[v]
		if e.DateKnown() || e.NotAfter.IsZero() || e.NotBefore.IsZero() || !strings.HasPrefix(e.DateText(), "date unknown (between ") {
			t.Errorf("%s: date %v, bounds %v–%v: want no date and both bounds", v, e.Date, e.NotBefore, e.NotAfter)
		}
		if e.NotAfter.Before(e.NotBefore) {
			t.Errorf("%s: bounds %v after %v", v, e.NotBefore, e.NotAfter)
		}
	}
	if e := es["v188"]; !e.DateKnown() || e.Date.Format("2006-01-02") != "2026-07-21" {
		t.Errorf("v188 = %v, want 2026-07-21", e.Date)
	}
	if e := es["v159"]; !strings.Contains(e.Description, "not recovered") {
		t.Errorf("v159 follows a gap; its description should say so: %q", e.Description)
	}
}

func TestHistoryViewOnlyAccessGaps(t *testing.T) {
	es := seedOf(t, "ViewOnlyAccess")
	for _, g := range []string{"v30–v35", "v37–v42"} {
		if es[g].Kind != history.Gap || !strings.Contains(es[g].Description, "6 versions") || !es[g].NotBefore.Before(es[g].NotAfter) {
			t.Errorf("gap %s = %+v", g, es[g])
		}
	}
	if es["v36"].Since != "v29" {
		t.Errorf("v36 compared with %q, want v29 (the last recovered before it)", es["v36"].Since)
	}
}

func TestServiceOf(t *testing.T) {
	x := NewServiceIndex(catalog.Embedded())
	for name, want := range map[string]string{
		"AmazonMQFullAccess": "mq", "AmazonMQServiceRolePolicy": "mq", "AmazonMQApiReadOnlyAccess": "mq",
		"ReadOnlyAccess": "", "ViewOnlyAccess": "", "AmazonEC2FullAccess": "ec2", "AWSLambda_FullAccess": "lambda",
	} {
		if got := x.Of(name); got != want {
			t.Errorf("service of %s = %q, want %q", name, got, want)
		}
	}
}

func TestDiffActions(t *testing.T) {
	for _, tc := range []struct{ old, new, added, removed string }{
		{"", "a b", "a b", ""},
		{"a b", "", "", "a b"},
		{"a c e", "b c d", "b d", "a e"},
		{"a b", "a b", "", ""},
	} {
		added, removed := DiffActions(strings.Fields(tc.old), strings.Fields(tc.new))
		if strings.Join(added, " ") != tc.added || strings.Join(removed, " ") != tc.removed {
			t.Errorf("DiffActions(%q, %q) = %v, %v; want %q, %q", tc.old, tc.new, added, removed, tc.added, tc.removed)
		}
	}
}

func TestGrantedActions(t *testing.T) {
	cat := catalog.Embedded()
	for _, tc := range []struct {
		doc  string
		want []string
	}{
		{`{"Statement":{"Effect":"Allow","Action":"mq:DescribeBroker","Resource":"*"}}`, []string{"mq:DescribeBroker"}},
		{`{"Statement":[{"Effect":"Allow","Action":["mq:describebroker","mq:DescribeBroker"]},{"Effect":"Deny","Action":"mq:*"}]}`,
			[]string{"mq:DescribeBroker"}},
		{`{"Statement":[{"Effect":"Allow","Action":"ec2: DescribeAccountAttributes"}]}`, nil},
	} {
		got, err := GrantedActions(cat, tc.doc)
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("GrantedActions(%s) = %v, %v; want %v", tc.doc, got, err, tc.want)
		}
	}
	all, err := GrantedActions(cat, `{"Statement":[{"Effect":"Allow","NotAction":"mq:*"}]}`)
	if err != nil || len(all) < 10000 || slices.ContainsFunc(all, func(a string) bool { return strings.HasPrefix(a, "mq:") }) {
		t.Errorf("NotAction mq:* = %d actions, %v; want every action but mq's", len(all), err)
	}
	if _, err := GrantedActions(cat, `{"Statement":`); err == nil {
		t.Error("GrantedActions of broken JSON: no error")
	}
}

// FuzzGrantedActions: any input gives an error or a sorted list of distinct
// actions the catalog knows.
func FuzzGrantedActions(f *testing.F) {
	for _, s := range []string{`{"Statement":{"Effect":"Allow","Action":"mq:*"}}`, `{"Statement":[{"Effect":"Allow","Action":["ec2:Describe*","s3:Get*"]}]}`, `{}`} {
		f.Add(s)
	}
	cat := catalog.Embedded()
	f.Fuzz(func(t *testing.T, doc string) {
		got, err := GrantedActions(cat, doc)
		if err != nil {
			return
		}
		for i, a := range got {
			if i > 0 && got[i-1] >= a {
				t.Fatalf("not sorted and distinct at %d: %v", i, got)
			}
			if _, ok := cat.Action(a); !ok {
				t.Fatalf("%s is not in the catalog", a)
			}
		}
	})
}

// TestPublishedEntry: a version the service publishes enters the history
// with its own date and its diff against the version before.
func TestPublishedEntry(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	reg := NewRegistry(Builtin(), st, RegistryOptions{})
	prev, prevDoc, err := reg.DefaultVersion(ctx, mqReadOnly)
	if err != nil {
		t.Fatal(err)
	}
	v, err := reg.Publish(ctx, mqReadOnly, describeOnly, true)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := reg.Lookup(mqReadOnly)
	e, err := PublishedEntry(catalog.Embedded(), p, v, describeOnly, prev, prevDoc)
	if err != nil {
		t.Fatal(err)
	}
	if e.Kind != history.RemovedPermissions || e.Since != "v2" || e.Version != "v3" || e.Actions != 1 || e.Removed != 15 ||
		!e.Date.Equal(v.CreateDate) || e.Service != "mq" || e.ID != HistoryID(mqReadOnly, "v3") {
		t.Fatalf("entry = %+v", e)
	}
	h := history.New(st)
	if n, err := h.Append(ctx, e); err != nil || n != 1 {
		t.Fatalf("Append = %d, %v", n, err)
	}
}

// TestHistoryAllPolicies checks the whole seed: every recovered version has
// one entry, a version whose date the library does not know has none, and
// every bound is in order.
//
// Under the race detector (ten times slower) it checks one policy in ten.
func TestHistoryAllPolicies(t *testing.T) {
	lib := Builtin()
	ps, _ := lib.Policies()
	var names []string
	for i, p := range ps {
		if !raceEnabled || i%10 == 0 {
			names = append(names, p.Name)
		}
	}
	es, err := BuildHistory(lib, catalog.Embedded(), names...)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]history.Entry{}
	for _, e := range es {
		if _, dup := byID[e.ID]; dup {
			t.Fatalf("two entries %s", e.ID)
		}
		byID[e.ID] = e
		if !e.NotBefore.IsZero() && !e.NotAfter.IsZero() && e.NotAfter.Before(e.NotBefore) {
			t.Errorf("%s: bounds %v after %v", e.ID, e.NotBefore, e.NotAfter)
		}
		// A gap lies strictly between the versions around it, except a
		// policy's first versions when the first recovered one is dated
		// the policy's creation (two policies).
		if e.Kind == history.Gap && !e.NotAfter.IsZero() && !e.NotBefore.Before(e.NotAfter) {
			p, _ := lib.Lookup(e.PolicyARN)
			if e.Version != "v1" || !e.NotBefore.Equal(p.CreateDate) {
				t.Errorf("gap %s %s: between %v and %v", e.PolicyName, e.VersionText(), e.NotBefore, e.NotAfter)
			}
		}
	}
	versions := 0
	for _, p := range ps {
		if !slices.Contains(names, p.Name) {
			continue
		}
		for _, v := range p.Versions {
			versions++
			e, ok := byID[HistoryID(p.ARN(), v.ID)]
			switch {
			case !ok:
				t.Fatalf("no entry for %s %s", p.Name, v.ID)
			case v.DateUnknown && e.DateKnown():
				t.Errorf("%s %s: the library does not know its date, the history says %v", p.Name, v.ID, e.Date)
			case !v.DateUnknown && !e.Date.Equal(v.CreateDate):
				t.Errorf("%s %s: date %v, want %v", p.Name, v.ID, e.Date, v.CreateDate)
			}
		}
	}
	if !raceEnabled && versions != 6194 {
		t.Errorf("%d versions in the library, want 6,194", versions)
	}
}
