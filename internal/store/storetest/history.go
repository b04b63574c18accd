package storetest

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/iamq/iamq/internal/store"
)

// testHistory checks the change history: appends keep the first entry of
// an ID, lists run newest Key first, filter by service and policy, page
// without gaps, leave diffs out unless asked, and refuse what is too big.
func testHistory(t *testing.T, s store.Store) {
	entry := func(i int, service, policy string) store.HistoryEntry {
		return store.HistoryEntry{ID: fmt.Sprintf("id-%03d", i), Key: fmt.Sprintf("k%03d", i), Service: service,
			PolicyARN: policy, Data: fmt.Sprintf(`{"n":%d}`, i), Diff: fmt.Sprintf(`{"added":["a%d"]}`, i)}
	}
	mq, ro := awsPolicy("AmazonMQFullAccess"), awsPolicy("ReadOnlyAccess")
	var entries []store.HistoryEntry
	for i := range 30 {
		switch {
		case i%3 == 0:
			entries = append(entries, entry(i, "mq", mq))
		case i%3 == 1:
			entries = append(entries, entry(i, "", ro))
		default:
			entries = append(entries, entry(i, "mq", ""))
		}
	}
	n, err := s.AppendHistory(ctx, entries)
	wantErr(t, "AppendHistory", err, nil)
	if n != 30 {
		t.Fatalf("AppendHistory stored %d, want 30", n)
	}
	again := entry(3, "other", mq)
	again.Data = `{"changed":true}`
	n, err = s.AppendHistory(ctx, append([]store.HistoryEntry{again}, entry(30, "mq", mq)))
	wantErr(t, "AppendHistory again", err, nil)
	if n != 1 {
		t.Fatalf("AppendHistory of one stored ID and one new stored %d, want 1", n)
	}
	e, err := s.HistoryEntry(ctx, "id-003")
	wantErr(t, "HistoryEntry", err, nil)
	if e.Data != `{"n":3}` || e.Service != "mq" || e.Diff != `{"added":["a3"]}` || e.Stored.IsZero() {
		t.Fatalf("HistoryEntry(id-003) = %+v, want the first entry stored, with its diff", e)
	}
	_, err = s.HistoryEntry(ctx, "nope")
	wantErr(t, "HistoryEntry(nope)", err, store.ErrNotFound)

	all := listHistory(t, s, store.HistoryQuery{ListOptions: store.ListOptions{MaxItems: 7}})
	if len(all) != 31 || all[0].Key != "k030" || all[30].Key != "k000" {
		t.Fatalf("History: %d entries from %q to %q, want 31 from k030 to k000", len(all), all[0].Key, all[len(all)-1].Key)
	}
	for i := 1; i < len(all); i++ {
		if all[i-1].Key <= all[i].Key {
			t.Fatalf("History out of order at %d: %q then %q", i, all[i-1].Key, all[i].Key)
		}
	}
	if all[0].Diff != "" {
		t.Fatalf("History without WithDiff returned a diff: %q", all[0].Diff)
	}
	withDiff := listHistory(t, s, store.HistoryQuery{WithDiff: true})
	if withDiff[0].Diff != `{"added":["a30"]}` {
		t.Fatalf("History WithDiff: diff %q", withDiff[0].Diff)
	}
	if got := listHistory(t, s, store.HistoryQuery{Service: "mq"}); len(got) != 21 {
		t.Fatalf("History(service mq) = %d entries, want 21", len(got))
	}
	if got := listHistory(t, s, store.HistoryQuery{PolicyARN: ro, ListOptions: store.ListOptions{MaxItems: 3}}); len(got) != 10 || got[0].Key != "k028" {
		t.Fatalf("History(ReadOnlyAccess) = %d entries, want 10 from k028", len(got))
	}
	if got := listHistory(t, s, store.HistoryQuery{Service: "mq", PolicyARN: mq}); len(got) != 11 {
		t.Fatalf("History(mq, AmazonMQFullAccess) = %d entries, want 11", len(got))
	}
	_, err = s.History(ctx, store.HistoryQuery{ListOptions: store.ListOptions{Marker: "garbage!"}})
	wantErr(t, "History(bad marker)", err, store.ErrInvalid)
	_, err = s.History(ctx, store.HistoryQuery{ListOptions: store.ListOptions{MaxItems: store.MaxMaxItems + 1}})
	wantErr(t, "History(MaxItems too big)", err, store.ErrInvalid)

	// Bad input is refused whole: the valid entry beside it is not stored.
	big := entry(40, "mq", mq)
	big.Data = strings.Repeat("x", store.MaxHistoryData+1)
	_, err = s.AppendHistory(ctx, []store.HistoryEntry{entry(41, "mq", mq), big})
	wantErr(t, "AppendHistory(too big)", err, store.ErrInvalid)
	_, err = s.AppendHistory(ctx, []store.HistoryEntry{{ID: "no-key"}})
	wantErr(t, "AppendHistory(no key)", err, store.ErrInvalid)
	_, err = s.HistoryEntry(ctx, "id-041")
	wantErr(t, "HistoryEntry(id-041) after a refused append", err, store.ErrNotFound)
	// A key taken by another ID is a conflict, not a silent loss.
	dup := entry(50, "mq", mq)
	dup.Key = "k000"
	_, err = s.AppendHistory(ctx, []store.HistoryEntry{dup})
	wantErr(t, "AppendHistory(duplicate key)", err, store.ErrAlreadyExists)

	// The history is not the accounts' data: Reset keeps it.
	wantErr(t, "Reset", s.Reset(ctx), nil)
	if got := listHistory(t, s, store.HistoryQuery{}); len(got) != 31 {
		t.Fatalf("History after Reset = %d entries, want 31", len(got))
	}
}

// testRaceHistory: nodes that store the same seed at once store each entry
// once, and none of them fails.
func testRaceHistory(t *testing.T, s store.Store) {
	var entries []store.HistoryEntry
	for i := range 200 {
		entries = append(entries, store.HistoryEntry{ID: fmt.Sprintf("seed-%03d", i), Key: fmt.Sprintf("s%03d", i), Data: "{}"})
	}
	var wg sync.WaitGroup
	var total atomic.Int64
	errs := make(chan error, 4)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := s.AppendHistory(ctx, entries)
			total.Add(int64(n))
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		wantErr(t, "AppendHistory racing", err, nil)
	}
	if total.Load() != 200 {
		t.Fatalf("4 racing appends of 200 entries stored %d, want 200", total.Load())
	}
	if got := listHistory(t, s, store.HistoryQuery{ListOptions: store.ListOptions{MaxItems: 1000}}); len(got) != 200 {
		t.Fatalf("History = %d entries, want 200", len(got))
	}
}

func listHistory(t *testing.T, s store.Store, q store.HistoryQuery) []store.HistoryEntry {
	t.Helper()
	return listAll(t, q.MaxItems, func(o store.ListOptions) (store.Page[store.HistoryEntry], error) {
		q.ListOptions = o
		return s.History(ctx, q)
	})
}
