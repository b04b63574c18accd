package managed

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"path"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/iamq/iamq/internal/history"
	"github.com/iamq/iamq/internal/store"
)

const readOnly = "arn:aws:iam::aws:policy/ReadOnlyAccess"

// cutLibrary returns the embedded library with each policy cut to the
// versions numbered at most keep(p) (its VersionCount then keep(p), its
// default the last version left): a library as built before AWS published
// the versions cut, made of the data's real documents.
func cutLibrary(t testing.TB, keep func(p *Policy) int) *Library {
	t.Helper()
	lib := Builtin()
	ps, err := lib.Policies()
	if err != nil {
		t.Fatal(err)
	}
	var docs bytes.Buffer
	entries := make([]indexPolicy, 0, len(ps))
	for _, p := range ps {
		n := keep(p)
		e := indexPolicy{Name: p.Name, Path: p.Path, ID: p.ID, IDGenerated: p.IDGenerated, Description: p.Description,
			Create: p.CreateDate, Update: p.UpdateDate, Attachable: p.Attachable, Count: n}
		for _, v := range p.Versions {
			if num, _ := strconv.Atoi(strings.TrimPrefix(v.ID, "v")); num > n {
				continue
			}
			text, err := lib.Document(p, v.ID)
			if err != nil {
				t.Fatal(err)
			}
			off := docs.Len()
			zw, _ := flate.NewWriter(&docs, flate.BestSpeed)
			zw.Write([]byte(text))
			zw.Close()
			e.Versions = append(e.Versions, indexVersion{ID: v.ID, Create: v.CreateDate, DateUnknown: v.DateUnknown, Offset: off, Length: docs.Len() - off})
			e.Default, e.Update = v.ID, v.CreateDate
		}
		if e.Default == "" {
			continue
		}
		entries = append(entries, e)
	}
	var index bytes.Buffer
	zw := gzip.NewWriter(&index)
	if err := json.NewEncoder(zw).Encode(entries); err != nil {
		t.Fatal(err)
	}
	zw.Close()
	return &Library{index: index.Bytes(), documents: docs.Bytes()}
}

// snapshotOf writes the get-account-authorization-details output holding
// the given versions of the embedded library's policies as their defaults:
// documents as objects (the aws CLI's JSON) or URL-encoded strings (the
// API's form).
func snapshotOf(t testing.TB, encoded bool, versions map[string]string) []byte {
	t.Helper()
	lib := Builtin()
	type version struct {
		Document         any
		VersionId        string
		IsDefaultVersion bool
		CreateDate       string
	}
	type detail struct {
		PolicyName, PolicyId, Arn, Path, DefaultVersionId string
		PolicyVersionList                                 []version
	}
	var out struct{ Policies []detail }
	for a, id := range versions {
		p, ok := lib.Lookup(a)
		if !ok {
			t.Fatalf("no policy %s", a)
		}
		v, _ := p.Version(id)
		text, err := lib.Document(p, id)
		if err != nil {
			t.Fatal(err)
		}
		var doc any = json.RawMessage(text)
		if encoded { // RFC 3986: spaces are %20, not +
			doc = strings.ReplaceAll(url.QueryEscape(text), "+", "%20")
		}
		out.Policies = append(out.Policies, detail{PolicyName: p.Name, PolicyId: p.ID, Arn: a, Path: p.Path, DefaultVersionId: id,
			PolicyVersionList: []version{{Document: doc, VersionId: id, IsDefaultVersion: true, CreateDate: v.CreateDate.Format(time.RFC3339)}}})
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// removedByAWS reads the action strings the data lists as removed by a
// ReadOnlyAccess version.
func removedByAWS(t *testing.T, version string) []string {
	t.Helper()
	b, err := os.ReadFile("testdata/sync/readonly-removed.json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	var list []string
	if err := json.Unmarshal(b, &m); err != nil || json.Unmarshal(m[version], &list) != nil || len(list) == 0 {
		t.Fatalf("readonly-removed.json: no list for %s (%v)", version, err)
	}
	return list
}

// matchesAny reports whether action matches one of the patterns (IAM
// globs, case-insensitive).
func matchesAny(action string, patterns []string) bool {
	for _, p := range patterns {
		if ok, _ := path.Match(strings.ToLower(p), strings.ToLower(action)); ok {
			return true
		}
	}
	return false
}

// TestSyncReadOnlyAccess replays AWS's 2020-10-15 ReadOnlyAccess updates
// over a library that ends at v68: v69 is published with AWS's id and date
// as a breaking change whose counterexample is an action the data lists as
// removed; the CLI's and the API's forms give the same result; a second
// sync changes nothing; v70 is then checked against v69.
func TestSyncReadOnlyAccess(t *testing.T) {
	ctx := context.Background()
	lib := cutLibrary(t, func(p *Policy) int {
		if p.ARN() == readOnly {
			return 68
		}
		return p.VersionCount
	})
	var results []SyncResult
	for _, encoded := range []bool{false, true} {
		reg := NewRegistry(lib, openStore(t), RegistryOptions{Now: fixedNow})
		dry, err := reg.Sync(ctx, snapshotOf(t, encoded, map[string]string{readOnly: "v69"}), SyncOptions{DryRun: true})
		if err != nil {
			t.Fatal(err)
		}
		if v, _, _ := reg.DefaultVersion(ctx, readOnly); v != "v68" || dry.Stored || len(dry.Synced) != 1 {
			t.Fatalf("dry run: default %s, stored %v, %d synced; want v68 unchanged and one step reported", v, dry.Stored, len(dry.Synced))
		}
		res, err := reg.Sync(ctx, snapshotOf(t, encoded, map[string]string{readOnly: "v69"}), SyncOptions{})
		if err != nil {
			t.Fatal(err)
		}
		results = append(results, res)
		if len(res.Synced) != 1 || !res.Stored || len(res.Missing) != len(mustPolicies(t, reg))-1 {
			t.Fatalf("Sync = %d synced, stored %v, %d missing; want ReadOnlyAccess synced and every other policy missing", len(res.Synced), res.Stored, len(res.Missing))
		}
		s := res.Synced[0]
		if s.Version != "v69" || s.AWSVersion != "v69" || s.Since != "v68" || !s.Breaking() || s.Check.Request == nil {
			t.Fatalf("synced %s (AWS %s) since %s, breaking %v; want v69 since v68, breaking with a counterexample", s.Version, s.AWSVersion, s.Since, s.Breaking())
		}
		if a := s.Check.Request.Action; !matchesAny(a, removedByAWS(t, "v69")) {
			t.Fatalf("counterexample %s is not among the actions the data lists as removed by v69", a)
		}
		p, _ := reg.Lookup(readOnly)
		v, _ := p.Version("v69")
		awsDate := time.Date(2020, 10, 15, 23, 26, 47, 0, time.UTC)
		if p.DefaultVersion != "v69" || !v.CreateDate.Equal(awsDate) {
			t.Fatalf("after Sync: default %s, v69 dated %s; want v69 dated %s", p.DefaultVersion, v.CreateDate, awsDate)
		}
		e, err := history.New(reg.st).Entry(ctx, HistoryID(readOnly, "v69"))
		if err != nil || !e.Kind.Breaking() || !e.Date.Equal(awsDate) || !strings.Contains(e.Description, s.Check.Request.Action) || e.Since != "v68" {
			t.Fatalf("history of v69 = %+v, %v; want a breaking change dated %s naming the counterexample", e, err, awsDate)
		}
		again, err := reg.Sync(ctx, snapshotOf(t, encoded, map[string]string{readOnly: "v69"}), SyncOptions{})
		if err != nil || again.Stored || len(again.Synced) != 0 || again.Unchanged != 1 {
			t.Fatalf("second Sync = %+v, %v; want nothing changed", again, err)
		}
		next, err := reg.Sync(ctx, snapshotOf(t, encoded, map[string]string{readOnly: "v70"}), SyncOptions{})
		if err != nil || len(next.Synced) != 1 {
			t.Fatalf("Sync(v70) = %+v, %v", next, err)
		}
		s = next.Synced[0]
		if s.Version != "v70" || s.Since != "v69" || !s.Breaking() || !matchesAny(s.Check.Request.Action, removedByAWS(t, "v70")) {
			t.Fatalf("v70: %s since %s, breaking %v, counterexample %+v; want v70 checked against v69, removing an action the data lists", s.Version, s.Since, s.Breaking(), s.Check.Request)
		}
	}
	a, b := results[0].Synced[0], results[1].Synced[0]
	if a.Version != b.Version || a.Check.Verdict != b.Check.Verdict || a.Check.Request.Action != b.Check.Request.Action ||
		a.Entry.Description != b.Entry.Description || a.Entry.Added != b.Entry.Added || a.Entry.Removed != b.Entry.Removed {
		t.Fatalf("CLI and API snapshots differ:\n%+v\n%+v", a, b)
	}
}

func mustPolicies(t *testing.T, reg *Registry) []*Policy {
	t.Helper()
	ps, err := reg.Policies()
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

// TestSyncCollision: AWS's v6 arrives after a local v6 was published; the
// synced version takes v7 and its history keeps AWS's id. The snapshot is
// one policy's file in shared/data/managed-policies form.
func TestSyncCollision(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	reg := NewRegistry(Builtin(), st, RegistryOptions{Now: fixedNow})
	local := strings.Replace(fullV5, "%s", `,"ec2:DescribeVpcEndpoints"`, 1)
	if _, err := reg.PublishUpdate(ctx, Update{Policy: mqFull, Document: local, Description: "local"}); err != nil {
		t.Fatal(err)
	}
	file, err := os.ReadFile("testdata/sync/mq-full-v6.json")
	if err != nil {
		t.Fatal(err)
	}
	res, err := reg.Sync(ctx, file, SyncOptions{})
	if err != nil || len(res.Synced) != 1 {
		t.Fatalf("Sync = %+v, %v; want one step", res, err)
	}
	s := res.Synced[0]
	// AWS's v6 lacks the local ec2:DescribeVpcEndpoints: a removal, published.
	if s.Version != "v7" || s.AWSVersion != "v6" || s.Since != "v6" || !s.Breaking() ||
		!strings.EqualFold(s.Check.Request.Action, "ec2:DescribeVpcEndpoints") {
		t.Fatalf("synced %s (AWS %s) since %s, breaking %v; want v7 for AWS's v6, removing ec2:DescribeVpcEndpoints", s.Version, s.AWSVersion, s.Since, s.Breaking())
	}
	e, err := history.New(st).Entry(ctx, HistoryID(mqFull, "v7"))
	if err != nil || e.AWSVersion != "v6" || e.Version != "v7" || !strings.Contains(e.Description, "AWS's id v6") ||
		!e.Date.Equal(time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)) || e.Added != 1 {
		t.Fatalf("history of v7 = %+v, %v; want AWS's id v6 kept, AWS's date, ec2:DescribeAvailabilityZones added", e, err)
	}
	if again, err := reg.Sync(ctx, file, SyncOptions{}); err != nil || again.Stored || again.Unchanged != 1 {
		t.Fatalf("second Sync = %+v, %v; want nothing changed", again, err)
	}
	if v, _, _ := reg.DefaultVersion(ctx, mqFull); v != "v7" {
		t.Fatalf("default = %s, want v7", v)
	}
}

// TestParseSnapshotRefusals: malformed snapshots are errors, and a sync of
// one changes nothing.
func TestParseSnapshotRefusals(t *testing.T) {
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"mq:*","Resource":"*"}]}`
	for name, file := range map[string]string{
		"empty":          ``,
		"not JSON":       `{"Policies":`,
		"no policies":    `{"Policies":[]}`,
		"customer ARN":   `{"Policies":[{"Arn":"arn:aws:iam::123456789012:policy/x","DefaultVersionId":"v1","PolicyVersionList":[{"VersionId":"v1","Document":` + doc + `}]}]}`,
		"name disagrees": `{"Policies":[{"PolicyName":"B","Arn":"arn:aws:iam::aws:policy/A","DefaultVersionId":"v1","PolicyVersionList":[{"VersionId":"v1","Document":` + doc + `}]}]}`,
		"no version id":  `{"Policies":[{"Arn":"arn:aws:iam::aws:policy/A","PolicyVersionList":[{"VersionId":"v1","Document":` + doc + `}]}]}`,
		"bad version id": `{"Policies":[{"Arn":"arn:aws:iam::aws:policy/A","DefaultVersionId":"x1","PolicyVersionList":[{"VersionId":"x1","Document":` + doc + `}]}]}`,
		"no document":    `{"Policies":[{"Arn":"arn:aws:iam::aws:policy/A","DefaultVersionId":"v1","PolicyVersionList":[{"VersionId":"v1"}]}]}`,
		"bad encoding":   `{"Policies":[{"Arn":"arn:aws:iam::aws:policy/A","DefaultVersionId":"v1","PolicyVersionList":[{"VersionId":"v1","Document":"%7B%zz"}]}]}`,
		"array document": `{"Policies":[{"Arn":"arn:aws:iam::aws:policy/A","DefaultVersionId":"v1","PolicyVersionList":[{"VersionId":"v1","Document":[1]}]}]}`,
		"bad date":       `{"Policies":[{"Arn":"arn:aws:iam::aws:policy/A","DefaultVersionId":"v1","PolicyVersionList":[{"VersionId":"v1","CreateDate":"yesterday","Document":` + doc + `}]}]}`,
		"twice":          `{"Policies":[{"Arn":"arn:aws:iam::aws:policy/A","DefaultVersionId":"v1","Document":` + doc + `},{"Arn":"arn:aws:iam::aws:policy/A","DefaultVersionId":"v1","Document":` + doc + `}]}`,
		"gzip garbage":   "\x1f\x8bxx",
	} {
		if _, err := ParseSnapshot([]byte(file)); err == nil {
			t.Errorf("%s: ParseSnapshot succeeded, want an error", name)
		}
	}
	ok := `{"Policies":[{"Arn":"arn:aws:iam::aws:policy/AmazonMQFullAccess","DefaultVersionId":"v9","PolicyVersionList":[{"VersionId":"v9","Document":"%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D"}]}]}`
	ps, err := ParseSnapshot([]byte(ok))
	if err != nil || len(ps) != 1 || ps[0].Document != `{"Version":"2012-10-17","Statement":[]}` || ps[0].Name != "AmazonMQFullAccess" {
		t.Fatalf("ParseSnapshot(encoded) = %+v, %v", ps, err)
	}
	// A document IAM would refuse (no statement) is refused by Sync, whole.
	st := openStore(t)
	reg := NewRegistry(Builtin(), st, RegistryOptions{Now: fixedNow})
	if _, err := reg.Sync(context.Background(), []byte(ok), SyncOptions{}); err == nil {
		t.Fatal("Sync of an empty document succeeded")
	}
	if list, _ := st.AWSPolicyVersions(context.Background()); len(list) != 0 {
		t.Fatalf("a refused Sync stored %+v", list)
	}
}

// FuzzParseSnapshot: the parser never panics, and what it accepts is
// compact JSON objects with v-numbered ids.
func FuzzParseSnapshot(f *testing.F) {
	for _, name := range []string{"testdata/sync/mq-full-v6.json", "testdata/sync/readonly-removed.json"} {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"Policies":[{"Arn":"arn:aws:iam::aws:policy/A","DefaultVersionId":"v1","PolicyVersionList":[{"VersionId":"v1","IsDefaultVersion":true,"Document":"%7B%7D"}]}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		ps, err := ParseSnapshot(b)
		if err != nil {
			return
		}
		for _, p := range ps {
			if !json.Valid([]byte(p.Document)) || p.Document[0] != '{' || !strings.HasPrefix(p.Version, "v") {
				t.Fatalf("accepted %+v", p)
			}
		}
	})
}

// TestSyncUnchangedSince: a step checked against a version no longer in
// force (another node published meanwhile) is a conflict, stored nothing.
func TestSyncUnchangedSince(t *testing.T) {
	ctx := context.Background()
	reg := NewRegistry(Builtin(), openStore(t), RegistryOptions{Now: fixedNow})
	fresh := []Synced{{Policy: "AmazonMQFullAccess", Since: "v5", Entry: history.Entry{PolicyARN: mqFull}}}
	if err := reg.unchangedSince(ctx, fresh); err != nil {
		t.Fatalf("unchangedSince(v5 in force) = %v", err)
	}
	stale := []Synced{{Policy: "AmazonMQFullAccess", Since: "v4", Entry: history.Entry{PolicyARN: mqFull}}}
	if err := reg.unchangedSince(ctx, stale); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("unchangedSince(checked against v4, v5 in force) = %v, want store.ErrConflict", err)
	}
}

// TestSyncNewPolicy: a policy the library lacks is added with AWS's id,
// date and metadata, in force on another registry over the same store, and
// a second sync changes nothing.
func TestSyncNewPolicy(t *testing.T) {
	ctx := context.Background()
	const api = "arn:aws:iam::aws:policy/AmazonMQApiReadOnlyAccess"
	lib := cutLibrary(t, func(p *Policy) int {
		if p.ARN() == api {
			return 0
		}
		return p.VersionCount
	})
	st := openStore(t)
	reg := NewRegistry(lib, st, RegistryOptions{Now: fixedNow})
	if _, ok := reg.Lookup(api); ok {
		t.Fatal("the cut library holds AmazonMQApiReadOnlyAccess")
	}
	file := snapshotOf(t, true, map[string]string{api: "v1"})
	res, err := reg.Sync(ctx, file, SyncOptions{})
	if err != nil || len(res.New) != 1 || len(res.Synced) != 1 || !res.Synced[0].New || res.Synced[0].Breaking() {
		t.Fatalf("Sync = %+v, %v; want the policy added", res, err)
	}
	want, _ := Builtin().Lookup(api)
	wantDoc, _ := Builtin().Document(want, "v1")
	for _, r := range []*Registry{reg, NewRegistry(lib, st, RegistryOptions{})} {
		p, ok := r.Lookup(api)
		if !ok || p.ID != want.ID || p.Path != "/" || p.DefaultVersion != "v1" || !p.Attachable {
			t.Fatalf("Lookup after the sync = %+v, %v; want AWS's v1 with id %s", p, ok, want.ID)
		}
		if v, doc, err := r.DefaultVersion(ctx, api); err != nil || v != "v1" || doc != wantDoc {
			t.Fatalf("DefaultVersion = %s, %v; want v1 with AWS's document", v, err)
		}
		ps := mustPolicies(t, r)
		if len(ps) != len(mustPolicies(t, NewRegistry(Builtin(), openStore(t), RegistryOptions{}))) {
			t.Fatalf("Policies lists %d, want the library's count again", len(ps))
		}
	}
	e, err := history.New(st).Entry(ctx, HistoryID(api, "v1"))
	if err != nil || e.Kind != history.NewPolicy || e.Service != "mq" || e.Actions == 0 {
		t.Fatalf("history of the added policy = %+v, %v", e, err)
	}
	if again, err := reg.Sync(ctx, file, SyncOptions{}); err != nil || again.Stored || again.Unchanged != 1 || len(again.New) != 0 {
		t.Fatalf("second Sync = %+v, %v; want nothing changed", again, err)
	}
}
