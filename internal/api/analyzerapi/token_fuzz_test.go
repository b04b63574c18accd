package analyzerapi

import "testing"

// FuzzToken: parseToken accepts exactly the tokens makeToken makes, and
// gives back their number.
func FuzzToken(f *testing.F) {
	for _, s := range []string{makeToken(0), makeToken(7), makeToken(1 << 20), "", "nope", "djE6LTE", "djE6MDA"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := parseToken(s)
		if ok && (n < 0 || makeToken(n) != s) {
			t.Fatalf("parseToken(%q) = %d, true; makeToken(%d) = %q", s, n, n, makeToken(n))
		}
	})
}

func TestToken(t *testing.T) {
	for _, n := range []int{0, 1, 999} {
		if got, ok := parseToken(makeToken(n)); !ok || got != n {
			t.Errorf("parseToken(makeToken(%d)) = %d, %v", n, got, ok)
		}
	}
	for _, bad := range []string{"", "x", makeToken(3) + "=", "djE6LTE" /* v1:-1 */, "djE6MDM" /* v1:03 */} {
		if _, ok := parseToken(bad); ok {
			t.Errorf("parseToken(%q) accepted", bad)
		}
	}
}
