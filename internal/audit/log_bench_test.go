package audit_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/iamq/iamq/internal/audit"
	"github.com/iamq/iamq/internal/store"
)

// BenchmarkEncode is the writer's work per record before the store: the
// parameters without secrets, the JSON, the row.
func BenchmarkEncode(b *testing.B) {
	now := time.Now()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, _, err := audit.Encode(record(i, now)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAppend is the store's work per record, in batches of 512.
func BenchmarkAppend(b *testing.B) {
	st := openStore(b)
	now := time.Now()
	rows := make([]store.AuditRecord, 512)
	for i := range rows {
		rows[i], _, _ = audit.Encode(record(i, now))
	}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		for i := range rows {
			rows[i].ID = fmt.Sprint(n)
			n++
		}
		if err := st.AppendAudit(context.Background(), rows); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/record")
}
