package storetest

import (
	"bytes"
	"testing"
	"time"

	"github.com/iamq/iamq/internal/store"
)

// testPublishWithHistory checks that a publish stores its history entry in
// the same transaction, and that a publish expecting another number is
// ErrConflict and stores neither.
func testPublishWithHistory(t *testing.T, s store.Store) {
	arn := awsPolicy("AmazonMQFullAccess")
	entry := func(v string) *store.HistoryEntry {
		return &store.HistoryEntry{ID: arn + "#" + v, Key: "k-" + v, Service: "mq", PolicyARN: arn, Data: `{"v":"` + v + `"}`, Diff: `{}`}
	}
	v6, err := s.PublishAWSPolicyVersion(ctx, store.AWSPolicyPublish{ARN: arn, Document: doc, Embedded: 5, SetDefault: true,
		Number: 6, History: entry("v6")})
	wantErr(t, "Publish v6 with history", err, nil)
	if v6.ID != "v6" {
		t.Fatalf("Publish = %s, want v6", v6.ID)
	}
	e, err := s.HistoryEntry(ctx, arn+"#v6")
	wantErr(t, "HistoryEntry(v6)", err, nil)
	if e.Data != `{"v":"v6"}` || e.Stored.IsZero() {
		t.Fatalf("HistoryEntry = %+v, want the published entry", e)
	}
	// Another publisher checked against v5 too: its v6 is refused whole.
	_, err = s.PublishAWSPolicyVersion(ctx, store.AWSPolicyPublish{ARN: arn, Document: doc, Embedded: 5, SetDefault: true,
		Number: 6, History: &store.HistoryEntry{ID: arn + "#v6-other", Key: "k-other", Data: "{}"}})
	wantErr(t, "Publish a second v6", err, store.ErrConflict)
	_, err = s.HistoryEntry(ctx, arn+"#v6-other")
	wantErr(t, "HistoryEntry of the refused publish", err, store.ErrNotFound)
	list, err := s.AWSPolicyVersions(ctx)
	wantErr(t, "AWSPolicyVersions", err, nil)
	if len(list) != 1 {
		t.Fatalf("versions after a refused publish = %d, want 1", len(list))
	}
	for _, bad := range []store.AWSPolicyPublish{
		{ARN: arn, Document: doc, Embedded: 5, History: entry("v7")},          // no Number
		{ARN: arn, Document: doc, Embedded: 5, Number: 7, History: entry("")}, // bad entry below
		{ARN: arn, Document: doc, Embedded: 5, Number: -1},
	} {
		if bad.History != nil && bad.Number != 0 {
			bad.History.Key = ""
		}
		_, err := s.PublishAWSPolicyVersion(ctx, bad)
		wantErr(t, "Publish(invalid)", err, store.ErrInvalid)
	}
}

// testCatalogUpdates checks ApplyCatalog: one transaction with its
// publishes, idempotent by ID, listed in order, all or nothing.
func testCatalogUpdates(t *testing.T, s store.Store) {
	vo, ro := awsPolicy("job-function/ViewOnlyAccess"), awsPolicy("ReadOnlyAccess")
	pub := func(arn string, n int, id string) store.AWSPolicyPublish {
		return store.AWSPolicyPublish{ARN: arn, Document: doc, Embedded: n - 1, SetDefault: true, Number: n,
			History: &store.HistoryEntry{ID: arn + "#" + id, Key: arn + id, Data: "{}"}}
	}
	u := store.CatalogUpdate{ID: "sha-1", Data: []byte("catalog one\x00\xff"), Description: "mq adds ListBrokerWidgets",
		Publishes: []store.AWSPolicyPublish{pub(vo, 46, "v46"), pub(ro, 189, "v189")}}
	before, err := s.LastSeq(ctx)
	wantErr(t, "LastSeq", err, nil)
	applied, vs, err := s.ApplyCatalog(ctx, u)
	wantErr(t, "ApplyCatalog", err, nil)
	if !applied || len(vs) != 2 || vs[0].ID != "v46" || vs[1].ID != "v189" {
		t.Fatalf("ApplyCatalog = %v %+v, want applied, v46 and v189", applied, vs)
	}
	changes, err := s.Changes(ctx, before, 100)
	wantErr(t, "Changes", err, nil)
	if len(changes) == 0 || changes[len(changes)-1].AccountID != "" || changes[len(changes)-1].Kind != store.KindAWSPolicy {
		t.Fatalf("changes after ApplyCatalog = %+v, want aws-policy changes with no account", changes)
	}
	// The same file again: nothing stored, even with other publishes.
	u.Publishes = []store.AWSPolicyPublish{pub(vo, 47, "v47")}
	applied, vs, err = s.ApplyCatalog(ctx, u)
	wantErr(t, "ApplyCatalog again", err, nil)
	if applied || len(vs) != 0 {
		t.Fatalf("ApplyCatalog again = %v %+v, want nothing", applied, vs)
	}
	// A second update whose publish conflicts stores nothing at all.
	bad := store.CatalogUpdate{ID: "sha-2", Data: []byte("two"), Publishes: []store.AWSPolicyPublish{pub(ro, 190, "v190"), pub(vo, 46, "v46b")}}
	_, _, err = s.ApplyCatalog(ctx, bad)
	wantErr(t, "ApplyCatalog(conflict)", err, store.ErrConflict)
	_, err = s.HistoryEntry(ctx, ro+"#v190")
	wantErr(t, "history of the refused update", err, store.ErrNotFound)
	list, err := s.CatalogUpdates(ctx, true)
	wantErr(t, "CatalogUpdates", err, nil)
	if len(list) != 1 || list[0].ID != "sha-1" || !bytes.Equal(list[0].Data, []byte("catalog one\x00\xff")) ||
		list[0].Description != u.Description || list[0].Applied.IsZero() || list[0].Seq != 1 {
		t.Fatalf("CatalogUpdates = %+v, want sha-1 with its data", list)
	}
	two := store.CatalogUpdate{ID: "sha-3", Data: []byte("three")}
	if ok, _, err := s.ApplyCatalog(ctx, two); err != nil || !ok {
		t.Fatalf("ApplyCatalog(no publishes) = %v, %v", ok, err)
	}
	list, err = s.CatalogUpdates(ctx, false)
	wantErr(t, "CatalogUpdates", err, nil)
	if len(list) != 2 || list[1].ID != "sha-3" || list[1].Seq != 2 || list[0].Data != nil {
		t.Fatalf("CatalogUpdates(no data) = %+v, want sha-1 then sha-3 without data", list)
	}
	for _, b := range []store.CatalogUpdate{{ID: "", Data: []byte("x")}, {ID: "x"},
		{ID: "y", Data: []byte("x"), Publishes: []store.AWSPolicyPublish{{ARN: vo, Document: doc, Embedded: 45}}}} {
		_, _, err := s.ApplyCatalog(ctx, b)
		wantErr(t, "ApplyCatalog(invalid)", err, store.ErrInvalid)
	}
}

// testPublishMany checks PublishAWSPolicyVersions: all publishes in one
// transaction with the dates given, or none when one conflicts.
func testPublishMany(t *testing.T, s store.Store) {
	vo, ro := awsPolicy("job-function/ViewOnlyAccess"), awsPolicy("ReadOnlyAccess")
	date := time.Date(2020, 10, 15, 23, 26, 47, 0, time.UTC)
	pub := func(arn string, n int) store.AWSPolicyPublish {
		return store.AWSPolicyPublish{ARN: arn, Document: doc, Embedded: n - 1, SetDefault: true, Number: n, Created: date,
			History: &store.HistoryEntry{ID: arn + "#sync", Key: arn + "sync", Data: "{}"}}
	}
	bad := []store.AWSPolicyPublish{pub(vo, 46), pub(ro, 69), {ARN: ro, Document: doc, Embedded: 68, Number: 69}}
	_, err := s.PublishAWSPolicyVersions(ctx, bad)
	wantErr(t, "PublishAWSPolicyVersions(second v69)", err, store.ErrConflict)
	if list, _ := s.AWSPolicyVersions(ctx); len(list) != 0 {
		t.Fatalf("versions after a refused batch = %+v, want none", list)
	}
	if _, err := s.HistoryEntry(ctx, vo+"#sync"); err == nil {
		t.Fatal("history entry of a refused batch was stored")
	}
	brandNew := awsPolicy("AmazonMQBrandNewAccess")
	added := store.AWSPolicyPublish{ARN: brandNew, Document: doc, Embedded: 2, SetDefault: true, Number: 3, NewPolicy: `{"name":"x"}`}
	vs, err := s.PublishAWSPolicyVersions(ctx, append(bad[:2:2], added))
	wantErr(t, "PublishAWSPolicyVersions", err, nil)
	if len(vs) != 3 || vs[0].ID != "v46" || vs[1].ID != "v69" || !vs[1].Created.Equal(date) {
		t.Fatalf("PublishAWSPolicyVersions = %+v, want v46 and v69 dated %s", vs, date)
	}
	list, err := s.AWSPolicyVersions(ctx)
	wantErr(t, "AWSPolicyVersions", err, nil)
	for _, v := range list {
		if want := map[bool]string{true: `{"name":"x"}`}[v.ARN == brandNew]; v.Policy != want {
			t.Fatalf("listed %s %s with policy %q, want %q", v.ARN, v.ID, v.Policy, want)
		}
	}
	got, err := s.AWSPolicyVersion(ctx, ro, "v69")
	wantErr(t, "AWSPolicyVersion(v69)", err, nil)
	if !got.Created.Equal(date) || !got.IsDefault {
		t.Fatalf("stored v69 = %+v, want the default dated %s", got, date)
	}
	_, err = s.PublishAWSPolicyVersions(ctx, []store.AWSPolicyPublish{{ARN: ro, Document: doc, Embedded: 68}})
	wantErr(t, "PublishAWSPolicyVersions(no Number)", err, store.ErrInvalid)
}
