package main

import (
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

// TestServeMetrics: one GET /metrics serves the Go runtime's and the
// process's metrics, the store's latency and the endpoint's calls.
func TestServeMetrics(t *testing.T) {
	dir := t.TempDir()
	s := startServe(t, dir, nil)
	key, err := readCredentials(filepath.Join(dir, "credentials"), profileName)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := callerIdentity(t, s.endpoint, key.ID, key.Secret); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(s.endpoint + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{
		"go_goroutines ",
		"go_memstats_heap_alloc_bytes ",
		"process_resident_memory_bytes ",
		`iamq_store_duration_seconds_count{operation="AccessKey"} 1`,
		`iamq_store_duration_seconds_bucket{operation="Update",le="+Inf"}`,
		`iamq_requests_total{code="OK",operation="GetCallerIdentity",service="sts"} 1`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("GET /metrics lacks %q", want)
		}
	}
	if t.Failed() {
		t.Logf("GET /metrics:\n%s", body)
	}
}
