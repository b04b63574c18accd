package server

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestPage serves an unsigned page under its prefix, and nothing else: the
// Query endpoint at / and signed REST stay as they were.
func TestPage(t *testing.T) {
	f := newFixture(t, Options{})
	f.s.Page("/managed-policies/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "page "+r.URL.Path)
	}))
	for _, tc := range []struct {
		method, path string
		status       int
		body         string
	}{
		{"GET", "/managed-policies/", 200, "page /managed-policies/"},
		{"GET", "/managed-policies/mq/AmazonMQFullAccess", 200, "page /managed-policies/mq/AmazonMQFullAccess"},
		{"HEAD", "/managed-policies/feed.xml", 200, ""},
		{"POST", "/managed-policies/", 404, "No operation at POST /managed-policies/"},
		{"GET", "/managed-policiesX", 404, "No operation"},
		{"GET", "/", 403, "MissingAuthenticationToken"}, // still the Query endpoint, unsigned
	} {
		rec := httptest.NewRecorder()
		f.s.ServeHTTP(rec, httptest.NewRequest(tc.method, tc.path, nil))
		if rec.Code != tc.status || !strings.Contains(rec.Body.String(), tc.body) {
			t.Errorf("%s %s = %d %q, want %d containing %q", tc.method, tc.path, rec.Code, rec.Body.String(), tc.status, tc.body)
		}
	}
	for _, bad := range []string{"/", "managed/", "/managed", "/{x}/"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Page(%q) did not panic", bad)
				}
			}()
			f.s.Page(bad, http.NotFoundHandler())
		}()
	}
}
