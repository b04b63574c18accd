package web

import (
	"net/http/httptest"
	"slices"
	"testing"
	"time"
)

// BenchmarkReadOnlyAccess times the pages and feeds of ReadOnlyAccess (188
// versions, 151 recovered) through the handler, with a p50 per request:
// warm (the page cache holds the rendering, as between two appends to the
// history) and cold (rendered anew from the store every time; the
// document's annotation and the catalog stay cached).
func BenchmarkReadOnlyAccess(b *testing.B) {
	f := newFixture(b, b.TempDir())
	for _, path := range []string{
		"/managed-policies/policies/ReadOnlyAccess",
		"/managed-policies/policies/ReadOnlyAccess/chart.svg",
		"/managed-policies/policies/ReadOnlyAccess/feed.rss",
		"/managed-policies/policies/ReadOnlyAccess/feed.atom",
		"/managed-policies/policies/ReadOnlyAccess/feed.json",
		"/managed-policies/history?policy=ReadOnlyAccess&maxItems=1000",
		"/managed-policies/policies/ReadOnlyAccess/diff?from=v68&to=v69",
	} {
		for _, cold := range []bool{false, true} {
			name := path[len(Prefix):]
			if cold {
				name += "/cold"
			}
			b.Run(name, func(b *testing.B) {
				b.ReportAllocs()
				f.get(b, path) // the first request fills the caches
				var took []time.Duration
				for b.Loop() {
					if cold {
						f.h.pages = newCache(64)
					}
					start := time.Now()
					w := httptest.NewRecorder()
					f.h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
					took = append(took, time.Since(start))
					if w.Code != 200 {
						b.Fatalf("%s: %d", path, w.Code)
					}
				}
				slices.Sort(took)
				b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
			})
		}
	}
}
