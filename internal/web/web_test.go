package web

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iamq/iamq/internal/catalog"
	"github.com/iamq/iamq/internal/history"
	"github.com/iamq/iamq/internal/managed"
	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/internal/store/sqlite"
)

// testPolicies are the policies whose history the tests seed: all of
// Amazon MQ's, and ReadOnlyAccess for its size and its 2020 dip.
var testPolicies = []string{"AmazonMQFullAccess", "AmazonMQReadOnlyAccess", "AmazonMQApiFullAccess",
	"AmazonMQApiReadOnlyAccess", "AmazonMQServiceRolePolicy", "ReadOnlyAccess", "ViewOnlyAccess"}

var (
	seedOnce    sync.Once
	seedEntries []history.Entry
	seedErr     error
)

// testSeed builds the test policies' history once for the package.
func testSeed(t testing.TB) []history.Entry {
	seedOnce.Do(func() {
		seedEntries, seedErr = managed.BuildHistory(managed.Builtin(), catalog.Embedded(), testPolicies...)
	})
	if seedErr != nil {
		t.Fatal(seedErr)
	}
	return seedEntries
}

type fixture struct {
	st   store.Store
	hist *history.History
	reg  *managed.Registry
	h    *Handler
}

// newFixture opens a store in dir, seeds it and serves it.
func newFixture(t testing.TB, dir string) *fixture {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(dir, "iamq.db"), store.Options{Key: make([]byte, 32)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &fixture{st: st, hist: history.New(st), reg: managed.NewRegistry(managed.Builtin(), st, managed.RegistryOptions{})}
	if _, err := f.hist.Append(context.Background(), testSeed(t)...); err != nil {
		t.Fatal(err)
	}
	f.h = New(Options{History: f.hist, Policies: f.reg, Catalog: catalog.Embedded()})
	return f
}

func (f *fixture) get(t testing.TB, path string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest("GET", path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, r)
	return w
}

func TestPages(t *testing.T) {
	f := newFixture(t, t.TempDir())
	for _, tc := range []struct {
		path   string
		status int
		want   []string
	}{
		{"/managed-policies/", 200, []string{"Amazon MQ", `href="/managed-policies/services/mq"`, `type="application/rss+xml"`}},
		{"/managed-policies/services/mq", 200, []string{"Amazon MQ updates to AWS managed policies", "Started tracking changes",
			"Amazon MQ started tracking changes for its AWS managed policies.", "May 5, 2021", `rel="alternate"`,
			"/managed-policies/services/mq/feed.rss", "AmazonMQServiceRolePolicy"}},
		{"/managed-policies/services/-", 200, []string{"ReadOnlyAccess", "ViewOnlyAccess"}},
		{"/managed-policies/policies/AmazonMQFullAccess", 200, []string{"arn:aws:iam::aws:policy/AmazonMQFullAccess",
			`data-version="v5"`, "diff v4 → v5", `href="/managed-policies/actions/mq:%2A"`, "Write", "<svg"}},
		{"/managed-policies/policies/ReadOnlyAccess", 200, []string{"Breaking change: permissions removed", "v141–v158",
			"date unknown (between ", "188 published, 151 recovered, 37 not recovered"}},
		{"/managed-policies/policies/AmazonMQFullAccess/diff?from=v4&to=v5", 200, []string{`data-name="iam:CreateServiceLinkedRole"`, "Removed (0)"}},
		{"/managed-policies/policies/ReadOnlyAccess/diff?from=v68&to=v69", 200, []string{"breaking", "Removed ("}},
		{"/managed-policies/policies/ReadOnlyAccess/diff?from=v68&to=v150", 400, []string{"no recovered version"}},
		{"/managed-policies/actions/mq:Create*", 200, []string{"mq:CreateBroker", "Write"}},
		{"/managed-policies/actions/nocolon", 404, nil},
		{"/managed-policies/policies/NoSuchPolicy", 404, []string{"No AWS managed policy"}},
		{"/managed-policies/services/nope", 404, nil},
		{"/managed-policies/policies/AmazonMQFullAccess/feed.xml", 404, nil},
		{"/managed-policies/elsewhere/deep", 404, nil},
	} {
		w := f.get(t, tc.path)
		if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
			t.Errorf("GET %s: Content-Security-Policy %q", tc.path, csp)
		}
		if w.Code != tc.status {
			t.Errorf("GET %s = %d, want %d", tc.path, w.Code, tc.status)
			continue
		}
		for _, s := range tc.want {
			if !strings.Contains(w.Body.String(), s) {
				t.Errorf("GET %s: no %q", tc.path, s)
			}
		}
	}
}

// TestNoBorrowedDates: a version whose date is unknown is never shown with
// one, on the page or in any feed.
func TestNoBorrowedDates(t *testing.T) {
	f := newFixture(t, t.TempDir())
	page := f.get(t, "/managed-policies/policies/ReadOnlyAccess").Body.String()
	row := regexp.MustCompile(`(?s)<tr id="v129".*?</tr>`).FindString(page)
	if !strings.Contains(row, "date unknown (between") {
		t.Fatalf("v129's row: %s", row)
	}
	var jf struct {
		Items []struct {
			ID        string `json:"id"`
			Title     string `json:"title"`
			Published string `json:"date_published"`
		} `json:"items"`
	}
	if err := json.Unmarshal(f.get(t, "/managed-policies/policies/ReadOnlyAccess/feed.json").Body.Bytes(), &jf); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, it := range jf.Items {
		if strings.Contains(it.Title, "ReadOnlyAccess v129:") {
			found = true
			if it.Published != "" || !strings.Contains(it.Title, "date unknown") {
				t.Errorf("v129 in the JSON feed: %+v, want no date and the title saying so", it)
			}
		}
	}
	if !found {
		t.Fatal("v129 is not in the JSON feed")
	}
}

func TestChartShowsTheDip(t *testing.T) {
	f := newFixture(t, t.TempDir())
	w := f.get(t, "/managed-policies/policies/ReadOnlyAccess/chart.svg")
	if w.Code != 200 || w.Header().Get("Content-Type") != "image/svg+xml" {
		t.Fatalf("chart: %d %s", w.Code, w.Header().Get("Content-Type"))
	}
	var svg struct {
		Circles []struct {
			Version string `xml:"data-version,attr"`
			Actions int    `xml:"data-actions,attr"`
		} `xml:"circle"`
		Gaps []struct {
			Gap string `xml:"data-gap,attr"`
		} `xml:"rect"`
	}
	if err := xml.Unmarshal(w.Body.Bytes(), &svg); err != nil {
		t.Fatal(err)
	}
	n := map[string]int{}
	for _, c := range svg.Circles {
		n[c.Version] = c.Actions
	}
	if len(svg.Circles) != 151 || len(svg.Gaps) != 3 {
		t.Fatalf("%d points and %d gaps, want 151 and 3", len(svg.Circles), len(svg.Gaps))
	}
	if !(n["v69"] < n["v68"] && n["v69"] < n["v72"]) || n["v69"] == 0 {
		t.Fatalf("v68 %d, v69 %d, v72 %d: want v69 below both", n["v68"], n["v69"], n["v72"])
	}
}

// feedDoc reads what every format has: entry ids in order and dates.
type feedDoc struct {
	RSS []struct {
		GUID    string `xml:"guid"`
		PubDate string `xml:"pubDate"`
	} `xml:"channel>item"`
	Atom []struct {
		ID      string `xml:"id"`
		Updated string `xml:"updated"`
	} `xml:"entry"`
}

func feedIDs(t *testing.T, format string, body []byte) []string {
	t.Helper()
	var ids []string
	if format == "json" {
		var jf struct{ Items []struct{ ID string } }
		if err := json.Unmarshal(body, &jf); err != nil {
			t.Fatal(err)
		}
		for _, it := range jf.Items {
			ids = append(ids, it.ID)
		}
		return ids
	}
	var d feedDoc
	if err := xml.Unmarshal(body, &d); err != nil {
		t.Fatalf("%s: %v", format, err)
	}
	for _, it := range d.RSS {
		ids = append(ids, it.GUID)
	}
	for _, it := range d.Atom {
		if it.Updated == "" {
			t.Errorf("atom entry %s has no updated", it.ID)
		}
		ids = append(ids, it.ID)
	}
	return ids
}

func TestFeeds(t *testing.T) {
	dir := t.TempDir()
	f := newFixture(t, dir)
	es, err := f.hist.All(context.Background(), history.Query{Service: "mq"})
	if err != nil {
		t.Fatal(err)
	}
	other := newFixture(t, t.TempDir()) // another store, seeded anew: the same ids
	for _, format := range []string{"rss", "atom", "json"} {
		path := "/managed-policies/services/mq/feed." + format
		w := f.get(t, path)
		if w.Code != 200 || !strings.Contains(w.Header().Get("Content-Type"), format) && format != "json" {
			t.Fatalf("GET %s = %d %s", path, w.Code, w.Header().Get("Content-Type"))
		}
		ids := feedIDs(t, format, w.Body.Bytes())
		if len(ids) != len(es) {
			t.Fatalf("%s: %d items, want %d", format, len(ids), len(es))
		}
		for i, e := range es {
			if ids[i] != itemID(e) {
				t.Errorf("%s item %d = %s, want entry %s (in the history's order)", format, i, ids[i], e.ID)
			}
		}
		if again := feedIDs(t, format, other.get(t, path).Body.Bytes()); strings.Join(again, " ") != strings.Join(ids, " ") {
			t.Errorf("%s: ids differ between two stores", format)
		}
		// Conditional GET: the ETag, then the date.
		etag, mod := w.Header().Get("ETag"), w.Header().Get("Last-Modified")
		if etag == "" || mod == "" {
			t.Fatalf("%s: ETag %q, Last-Modified %q", format, etag, mod)
		}
		if w2 := f.get(t, path, "If-None-Match", etag); w2.Code != http.StatusNotModified || w2.Body.Len() != 0 {
			t.Errorf("%s: If-None-Match = %d, want 304", format, w2.Code)
		}
		if w2 := f.get(t, path, "If-Modified-Since", mod); w2.Code != http.StatusNotModified {
			t.Errorf("%s: If-Modified-Since = %d, want 304", format, w2.Code)
		}
		if w2 := f.get(t, path, "If-None-Match", `"other"`); w2.Code != 200 {
			t.Errorf("%s: If-None-Match of another tag = %d, want 200", format, w2.Code)
		}
	}
	rss := f.get(t, "/managed-policies/services/mq/feed.rss").Body.String()
	if !strings.Contains(rss, "<pubDate>Wed, 05 May 2021 00:00:00 +0000</pubDate>") {
		t.Errorf("the mq feed has no 2021-05-05 date:\n%.2000s", rss)
	}
}

// TestAppendShows: an entry appended after a page was served shows at once
// (the page cache follows the history), and the feed's ETag changes.
func TestAppendShows(t *testing.T) {
	f := newFixture(t, t.TempDir())
	path := "/managed-policies/policies/AmazonMQFullAccess/feed.atom"
	before := f.get(t, path)
	e := history.Entry{ID: "arn:aws:iam::aws:policy/AmazonMQFullAccess#v6", Service: "mq",
		PolicyARN: "arn:aws:iam::aws:policy/AmazonMQFullAccess", PolicyName: "AmazonMQFullAccess", Version: "v6",
		Kind: history.AddedPermissions, Description: "Added 1 action (mq:NewThing).", Date: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC),
		Source: "published by iamq"}
	if _, err := f.hist.Append(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	after := f.get(t, path, "If-None-Match", before.Header().Get("ETag"))
	if after.Code != 200 || !strings.Contains(after.Body.String(), "mq:NewThing") {
		t.Fatalf("after an append: %d, %.300s", after.Code, after.Body.String())
	}
}

func TestJSON(t *testing.T) {
	f := newFixture(t, t.TempDir())
	var page struct {
		Entries     []history.Entry
		IsTruncated bool
		Marker      string
	}
	var all []history.Entry
	marker := ""
	for i := 0; ; i++ {
		w := f.get(t, "/managed-policies/history?policy=ReadOnlyAccess&maxItems=50&marker="+marker)
		if w.Code != 200 {
			t.Fatalf("page %d: %d %s", i, w.Code, w.Body.String())
		}
		page.Marker, page.IsTruncated = "", false
		if err := json.Unmarshal(w.Body.Bytes(), &page); err != nil {
			t.Fatal(err)
		}
		all = append(all, page.Entries...)
		if !page.IsTruncated {
			break
		}
		marker = page.Marker
	}
	if len(all) != 151+3 || all[0].Version != "v188" || all[len(all)-1].Version != "v1" {
		t.Fatalf("%d entries from %s to %s, want 154 from v188 to v1", len(all), all[0].Version, all[len(all)-1].Version)
	}
	w := f.get(t, "/managed-policies/history?policy=AmazonMQFullAccess&diff=true&maxItems=1")
	if !strings.Contains(w.Body.String(), `"diff":{"added":["iam:CreateServiceLinkedRole"]`) {
		t.Errorf("diff=true: %.500s", w.Body.String())
	}
	for _, q := range []string{"maxItems=0", "maxItems=1001", "maxItems=x", "policy=Nope", "diff=maybe", "bogus=1",
		"service=mq&service=ec2", "marker=garbage", "service=" + strings.Repeat("x", 200), "marker=" + strings.Repeat("x", 5000)} {
		w := f.get(t, "/managed-policies/history?"+q)
		if w.Code != 400 || w.Header().Get("X-Amzn-Errortype") != "ValidationException" {
			t.Errorf("?%.40s = %d %s, want 400 ValidationException", q, w.Code, w.Body.String())
		}
	}
}

func TestActionDiffer(t *testing.T) {
	lib := managed.Builtin()
	p, _ := lib.Lookup("arn:aws:iam::aws:policy/AmazonMQFullAccess")
	v4, _ := lib.Document(p, "v4")
	v5, _ := lib.Document(p, "v5")
	ch, err := ActionDiffer{Catalog: catalog.Embedded()}.Diff(v4, v5)
	if err != nil || strings.Join(ch.Added, ",") != "iam:CreateServiceLinkedRole" || len(ch.Removed) != 0 || ch.Breaking {
		t.Fatalf("v4→v5 = %+v, %v", ch, err)
	}
	back, _ := ActionDiffer{Catalog: catalog.Embedded()}.Diff(v5, v4)
	if !back.Breaking || len(back.Removed) != 1 {
		t.Fatalf("v5→v4 = %+v, want breaking", back)
	}
}

func TestAnnotate(t *testing.T) {
	lines, err := annotate(catalog.Embedded(), `{"Statement":[{"Effect":"Allow","Action":["mq:CreateBroker","ec2:Describe*"],"Resource":"*"},{"Effect":"Allow","NotAction":"iam:*","Resource":"arn:x"}]}`)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, l := range lines {
		if l.Action != "" {
			got[l.Action] = l.Level
		}
	}
	if got["mq:CreateBroker"] != "Write" || !strings.HasPrefix(got["ec2:Describe*"], "List (") || got["iam:*"] == "" || len(got) != 3 {
		t.Fatalf("annotated actions = %v", got)
	}
}

// get is used by benchmarks too.
var _ = io.Discard
var _ = strconv.Itoa

// TestSemanticDiffer: the pages' default differ weighs meaning: AmazonMQFullAccess
// v4→v5 adds iam:CreateServiceLinkedRole and is proven to remove nothing;
// ReadOnlyAccess v68→v69 is breaking.
func TestSemanticDiffer(t *testing.T) {
	lib := managed.Builtin()
	d := SemanticDiffer{Catalog: catalog.Embedded()}
	doc := func(name, v string) string {
		p, ok := lib.Lookup("arn:aws:iam::aws:policy/" + name)
		if !ok {
			t.Fatalf("no policy %s", name)
		}
		s, err := lib.Document(p, v)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	ch, err := d.Diff(doc("AmazonMQFullAccess", "v4"), doc("AmazonMQFullAccess", "v5"))
	if err != nil || strings.Join(ch.Added, ",") != "iam:CreateServiceLinkedRole" || len(ch.Removed) != 0 || ch.Breaking {
		t.Errorf("AmazonMQFullAccess v4→v5 = %+v, %v; want iam:CreateServiceLinkedRole added, not breaking", ch, err)
	}
	ch, err = d.Diff(doc("ReadOnlyAccess", "v68"), doc("ReadOnlyAccess", "v69"))
	if err != nil || !ch.Breaking || len(ch.Removed) == 0 {
		t.Errorf("ReadOnlyAccess v68→v69 = %d added, %d removed, breaking %v, %v; want breaking with removals", len(ch.Added), len(ch.Removed), ch.Breaking, err)
	}
}

// TestLiveCatalog: without a fixed catalog the pages read the registry's
// live one: once a catalog update launches mq:ListBrokerWidgets, its action
// page lists it with its access level, without a restart.
func TestLiveCatalog(t *testing.T) {
	f := newFixture(t, t.TempDir())
	f.h = New(Options{History: f.hist, Policies: f.reg})
	if w := f.get(t, Prefix+"actions/mq:ListBrokerWidgets"); strings.Contains(w.Body.String(), "<td>mq:ListBrokerWidgets</td>") {
		t.Fatalf("the action page lists mq:ListBrokerWidgets before the service launched it:\n%.300s", w.Body.String())
	}
	file, err := os.ReadFile("../managed/testdata/mq-widgets.json")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.reg.ApplyCatalog(context.Background(), file); err != nil {
		t.Fatal(err)
	}
	if w := f.get(t, Prefix+"actions/mq:ListBrokerWidgets"); w.Code != 200 || !strings.Contains(w.Body.String(), "<td>mq:ListBrokerWidgets</td><td>List</td>") {
		t.Errorf("the action page after the update = %d, lacks mq:ListBrokerWidgets:\n%.500s", w.Code, w.Body.String())
	}
}

// TestDiffBusy: the public diff page computes at most maxDiffing
// comparisons at once; a request that finds no turn in time is answered 503
// with Retry-After, and one that does is served.
func TestDiffBusy(t *testing.T) {
	f := newFixture(t, t.TempDir())
	f.h.diffWait = 10 * time.Millisecond
	for range maxDiffing {
		f.h.diffing <- struct{}{}
	}
	path := Prefix + "policies/AmazonMQFullAccess/diff?from=v4&to=v5"
	if w := f.get(t, path); w.Code != 503 || w.Header().Get("Retry-After") == "" {
		t.Errorf("a diff while every turn is taken = %d %q, want 503 with Retry-After", w.Code, w.Header().Get("Retry-After"))
	}
	<-f.h.diffing
	if w := f.get(t, path); w.Code != 200 || !strings.Contains(w.Body.String(), "iam:CreateServiceLinkedRole") {
		t.Errorf("a diff with a turn free = %d, want 200 naming iam:CreateServiceLinkedRole", w.Code)
	}
}
