package bench

import "testing"

// BenchmarkEngines times each workload's first request (or, for a workload
// with a cycle of actions, request after request through the cycle) in each
// engine.
func BenchmarkEngines(b *testing.B) {
	for _, w := range workloads(b) {
		for _, e := range engines {
			b.Run(w.name+"/"+e.name, func(b *testing.B) {
				r := e.load(b, w)
				inputs := []any{r.prepare(b, w.requests[0])}
				if w.cycle != nil {
					inputs = inputs[:0]
					for _, a := range w.cycle {
						inputs = append(inputs, r.prepare(b, request{action: a, resource: "*"}))
					}
				}
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; b.Loop(); i++ {
					r.decide(inputs[i%len(inputs)])
				}
			})
		}
	}
}
