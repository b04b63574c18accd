package bench

import "testing"

// TestSameDecisions runs every request of every workload, allowed and
// denied ones, through the three engines and requires the same decision.
func TestSameDecisions(t *testing.T) {
	for _, w := range workloads(t) {
		t.Run(w.name, func(t *testing.T) {
			runners := make([]runner, len(engines))
			for i, e := range engines {
				runners[i] = e.load(t, w)
			}
			seen := map[string]int{}
			for _, r := range w.requests {
				want := runners[0].decide(runners[0].prepare(t, r))
				seen[want]++
				for i, e := range engines[1:] {
					if got := runners[i+1].decide(runners[i+1].prepare(t, r)); got != want {
						t.Errorf("%s: %s decides %s, iamq %s", r.name, e.name, got, want)
					}
				}
			}
			if seen["allowed"] == 0 || seen["allowed"] == len(w.requests) {
				t.Errorf("workload %s decides %v: it needs allowed and denied requests", w.name, seen)
			}
		})
	}
}
