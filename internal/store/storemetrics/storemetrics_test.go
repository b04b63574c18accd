package storemetrics_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/internal/store/sqlite"
	"github.com/iamq/iamq/internal/store/storemetrics"
	"github.com/iamq/iamq/internal/store/storetest"
)

var testKey = make([]byte, store.KeySize)

func open(t *testing.T, reg *prometheus.Registry) store.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "iamq.db"), store.Options{Key: testKey})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	s, err := storemetrics.Wrap(st, reg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestConformance: the timed store is still a store, by the suite every
// backend runs.
func TestConformance(t *testing.T) {
	if testing.Short() {
		t.Skip("the conformance suite")
	}
	storetest.Run(t, func(t *testing.T) store.Store { return open(t, prometheus.NewRegistry()) })
}

// TestTimed: each operation is one observation of its series, and every
// operation's series exists before its first call.
func TestTimed(t *testing.T) {
	reg := prometheus.NewRegistry()
	s := open(t, reg)
	ctx := context.Background()
	if _, err := s.CreateAccount(ctx, store.Account{ID: "111122223333", Name: "a"}); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if err := s.View(ctx, "111122223333", func(store.Tx) error { return nil }); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := testutil.GatherAndCount(reg, "iamq_store_duration_seconds"); err != nil || n != 32 {
		t.Errorf("GatherAndCount = %d, %v, want 32 series (one per operation)", n, err)
	}
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]uint64{}
	for _, m := range mfs[0].GetMetric() {
		counts[m.GetLabel()[0].GetValue()] = m.GetHistogram().GetSampleCount()
	}
	if counts["View"] != 3 || counts["CreateAccount"] != 1 || counts["Update"] != 0 {
		t.Errorf("sample counts = %v, want View 3, CreateAccount 1, Update 0", counts)
	}
}
