package history

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/internal/store/sqlite"
)

const fullAccess = "arn:aws:iam::aws:policy/AmazonMQFullAccess"

func openHistory(t *testing.T) *History {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "iamq.db"), store.Options{Key: make([]byte, 32)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return New(st)
}

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func version(n int, v string, date time.Time, kind Kind) Entry {
	return Entry{ID: fullAccess + "#" + v, Service: "mq", PolicyARN: fullAccess, PolicyName: "AmazonMQFullAccess",
		Version: v, Kind: kind, Description: "version " + v, Date: date, Source: "test", Actions: n, Counted: true}
}

func TestDateText(t *testing.T) {
	for _, tc := range []struct {
		e    Entry
		want string
	}{
		{Entry{Date: day("2020-11-04")}, "2020-11-04"},
		{Entry{NotBefore: day("2025-02-22"), NotAfter: day("2026-07-21")}, "date unknown (between 2025-02-22 and 2026-07-21)"},
		{Entry{NotBefore: day("2025-02-22")}, "date unknown (after 2025-02-22)"},
		{Entry{NotAfter: day("2026-07-21")}, "date unknown (before 2026-07-21)"},
		{Entry{}, "date unknown"},
	} {
		if got := tc.e.DateText(); got != tc.want {
			t.Errorf("DateText(%+v) = %q, want %q", tc.e, got, tc.want)
		}
	}
}

func TestVersionText(t *testing.T) {
	for _, tc := range []struct{ v, last, want string }{{"v5", "", "v5"}, {"v30", "v35", "v30–v35"}, {"v30", "v30", "v30"}} {
		e := Entry{Version: tc.v, LastVersion: tc.last}
		if got := e.VersionText(); got != tc.want {
			t.Errorf("VersionText(%s, %s) = %q, want %q", tc.v, tc.last, got, tc.want)
		}
	}
}

func TestAppendList(t *testing.T) {
	ctx := context.Background()
	h := openHistory(t)
	v1 := version(10, "v1", day("2017-11-28"), NewPolicy)
	v2 := version(12, "v2", time.Time{}, AddedPermissions)
	v2.NotBefore, v2.NotAfter = day("2017-11-28"), day("2020-11-04")
	v2.Since, v2.Added, v2.Diff = "v1", 2, &Diff{Added: []string{"mq:A", "mq:B"}}
	v3 := version(12, "v3", day("2020-11-04"), Updated) // same date as v2's upper bound: v3 still sorts after v2
	started := Entry{ID: "service/mq#started-tracking", Service: "mq", Kind: StartedTracking,
		Description: "Amazon MQ started tracking changes for its AWS managed policies.", Date: day("2021-05-05"), Source: "AWS documentation"}
	n, err := h.Append(ctx, v1, v3, v2, started)
	if err != nil || n != 4 {
		t.Fatalf("Append = %d, %v; want 4", n, err)
	}
	all, err := h.All(ctx, Query{Service: "mq"})
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, e := range all {
		order = append(order, e.Kind.short()+e.Version)
	}
	if got := strings.Join(order, ","); got != "S,Uv3,Av2,Nv1" {
		t.Fatalf("order = %s, want S,Uv3,Av2,Nv1 (newest first; an unknown date sorts by its upper bound)", got)
	}
	if all[2].DateKnown() || all[2].DateText() != "date unknown (between 2017-11-28 and 2020-11-04)" || all[2].Diff != nil {
		t.Fatalf("v2 read back = %+v, want its bounds and no diff in a list", all[2])
	}
	got, err := h.Entry(ctx, v2.ID)
	if err != nil || got.Diff == nil || strings.Join(got.Diff.Added, " ") != "mq:A mq:B" || got.Stored.IsZero() {
		t.Fatalf("Entry(v2) = %+v, %v; want its diff", got, err)
	}
	none := Entry{ID: "arn:aws:iam::aws:policy/ReadOnlyAccess#v1", PolicyARN: "arn:aws:iam::aws:policy/ReadOnlyAccess",
		PolicyName: "ReadOnlyAccess", Version: "v1", Kind: NewPolicy, Description: "x", Date: day("2015-02-06"), Source: "test"}
	if _, err := h.Append(ctx, none); err != nil {
		t.Fatal(err)
	}
	if es, err := h.All(ctx, Query{Service: NoService}); err != nil || len(es) != 1 || es[0].Service != "" || es[0].ID != none.ID {
		t.Fatalf("All(NoService) = %+v, %v; want ReadOnlyAccess's entry alone, its Service still empty", es, err)
	}
	page, err := h.List(ctx, Query{PolicyARN: fullAccess, MaxItems: 2})
	if err != nil || len(page.Entries) != 2 || page.Marker == "" {
		t.Fatalf("List(MaxItems 2) = %+v, %v", page, err)
	}
	rest, err := h.List(ctx, Query{PolicyARN: fullAccess, Marker: page.Marker})
	if err != nil || len(rest.Entries) != 1 || rest.Entries[0].Version != "v1" || rest.Marker != "" {
		t.Fatalf("List(second page) = %+v, %v", rest, err)
	}
	if _, err := h.List(ctx, Query{Marker: "not a marker"}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("List(bad marker) = %v, want ErrInvalid", err)
	}
	if _, err := h.Entry(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Entry(nope) = %v, want ErrNotFound", err)
	}
}

// short is a kind's first letter, for compact order checks.
func (k Kind) short() string { return string(k)[:1] }

func TestAppendRefuses(t *testing.T) {
	ctx := context.Background()
	h := openHistory(t)
	good := version(1, "v1", day("2017-11-28"), NewPolicy)
	bad := map[string]func(e *Entry){
		"no id":          func(e *Entry) { e.ID = "" },
		"unknown kind":   func(e *Entry) { e.Kind = "Deleted everything" },
		"bad version":    func(e *Entry) { e.Version = "5" },
		"version v0":     func(e *Entry) { e.Version = "v0" },
		"leading zero":   func(e *Entry) { e.Version = "v05" },
		"no date":        func(e *Entry) { e.Date = time.Time{} },
		"long text":      func(e *Entry) { e.Description = strings.Repeat("x", maxText+1) },
		"not UTF-8":      func(e *Entry) { e.PolicyName = "\xff" },
		"NUL":            func(e *Entry) { e.ID = "a\x00b" },
		"too many diffs": func(e *Entry) { e.Diff = &Diff{Added: make([]string, maxDiffActions+1)} },
	}
	for name, mutate := range bad {
		e := version(2, "v2", day("2018-01-01"), AddedPermissions)
		mutate(&e)
		if n, err := h.Append(ctx, good, e); !errors.Is(err, ErrInvalid) || n != 0 {
			t.Errorf("%s: Append = %d, %v; want ErrInvalid", name, n, err)
		}
	}
	if all, err := h.All(ctx, Query{}); err != nil || len(all) != 0 {
		t.Fatalf("after refused appends the history holds %d entries (%v), want none", len(all), err)
	}
}

func TestSeed(t *testing.T) {
	ctx := context.Background()
	h := openHistory(t)
	builds := 0
	seed := Seed{Check: []string{fullAccess + "#v2"}, Build: func(context.Context) ([]Entry, error) {
		builds++
		return []Entry{version(1, "v1", day("2017-11-28"), NewPolicy), version(2, "v2", day("2018-11-28"), AddedPermissions)}, nil
	}}
	if n, err := h.Seed(ctx, seed); err != nil || n != 2 || builds != 1 {
		t.Fatalf("Seed = %d, %v after %d builds; want 2 after 1", n, err, builds)
	}
	if n, err := h.Seed(ctx, seed); err != nil || n != 0 || builds != 1 {
		t.Fatalf("Seed again = %d, %v after %d builds; want 0, not built again", n, err, builds)
	}
	// A seed that grew (a newer library) stores only what is new.
	seed.Check = []string{fullAccess + "#v3"}
	grown := seed.Build
	seed.Build = func(ctx context.Context) ([]Entry, error) {
		es, _ := grown(ctx)
		return append(es, version(3, "v3", day("2019-11-28"), Updated)), nil
	}
	if n, err := h.Seed(ctx, seed); err != nil || n != 1 {
		t.Fatalf("Seed of a grown seed = %d, %v; want 1", n, err)
	}
	failing := Seed{Build: func(context.Context) ([]Entry, error) { return nil, errors.New("boom") }}
	if _, err := h.Seed(ctx, failing); err == nil || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("Seed with a failing build = %v", err)
	}
}
