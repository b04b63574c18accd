package iamapi

import (
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// BenchmarkAuditedHandlerParallel is BenchmarkAuditedHandler's call made by
// 32 goroutines at once (wrk's connections), log off and on, reporting the
// calls' 99th and 99.9th percentile latency: with GOMAXPROCS=1 (as
// 'iamq serve' pinned to one CPU runs) a writer that keeps the one P for
// a whole batch holds every call up meanwhile, which raises the tail and,
// for a closed-loop client, lowers the calls per second.
func BenchmarkAuditedHandlerParallel(b *testing.B) {
	for _, on := range []bool{false, true} {
		name := map[bool]string{false: "off", true: "on"}[on]
		b.Run(name, func(b *testing.B) {
			a := newAuditFixtureStream(b, false, on, false)
			ctx := a.ctx
			signed := a.signedGetUser(b, a.benchUser())
			var mu sync.Mutex
			var lat []time.Duration
			b.SetParallelism(32)
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				req := signed.Clone(ctx) // each goroutine its own request
				var mine []time.Duration
				for pb.Next() {
					req.Body = io.NopCloser(strings.NewReader(benchGetUser))
					w := httptest.NewRecorder()
					start := time.Now()
					a.handler.ServeHTTP(w, req)
					mine = append(mine, time.Since(start))
					if w.Code != http.StatusOK {
						b.Errorf("GetUser: %d %s", w.Code, w.Body)
						return
					}
				}
				mu.Lock()
				lat = append(lat, mine...)
				mu.Unlock()
			})
			if on {
				if err := a.log.Flush(ctx); err != nil {
					b.Fatal(err)
				}
			}
			slices.Sort(lat)
			if n := len(lat); n > 0 {
				b.ReportMetric(float64(lat[n*99/100].Microseconds()), "p99-µs")
				b.ReportMetric(float64(lat[n*999/1000].Microseconds()), "p99.9-µs")
			}
		})
	}
}
