package sigv4

import (
	"context"
	"io"
	"testing"
	"time"
)

// BenchmarkVerify measures one header-signed STS request with a warm
// signing-key cache, the path every API call takes.
func BenchmarkVerify(b *testing.B) {
	t := &testing.T{}
	r := request(t, testKeyID, "", "us-east-1", testService, signedAt, nil)
	body, _ := io.ReadAll(r.Body)
	v := New(testLookup, Options{Now: func() time.Time { return signedAt }})
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(ctx, r, body); err != nil {
			b.Fatal(err)
		}
	}
}

func TestVerifyAllocs(t *testing.T) {
	r := request(t, testKeyID, "", "us-east-1", testService, signedAt, nil)
	body, _ := io.ReadAll(r.Body)
	v := New(testLookup, Options{Now: func() time.Time { return signedAt }})
	ctx := context.Background()
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := v.Verify(ctx, r, body); err != nil {
			t.Fatal(err)
		}
	})
	// Every request takes this path: the HMAC is computed on the stack and
	// the canonical request in a pooled buffer (which the race detector's
	// sync.Pool drops now and then).
	if allocs != 0 && !raceEnabled {
		t.Errorf("Verify allocates %v times per request, want 0", allocs)
	}
}
