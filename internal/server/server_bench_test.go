package server

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// BenchmarkGetCallerIdentity measures the whole handler for one signed
// sts:GetCallerIdentity (verification with a warm key cache, dispatch, XML),
// without the network.
func BenchmarkGetCallerIdentity(b *testing.B) {
	t := &testing.T{}
	f := newFixture(t, Options{Now: func() time.Time { return signAt }})
	f.s.log = slog.New(slog.DiscardHandler) // as served: calls are logged at debug level only
	r := f.signed(t, rootKeyID, rootSecret, "us-east-1", "sts", stsBody, signAt)
	body := []byte(stsBody)
	b.ReportAllocs()
	for b.Loop() {
		r.Body = io.NopCloser(bytes.NewReader(body))
		w := httptest.NewRecorder()
		f.s.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
}
