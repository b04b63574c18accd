package main

import (
	"io"
	"strings"
	"testing"

	"github.com/iamq/iamq/internal/httpserve"
)

// TestMaxConnectionsFlag: --max-connections and IAMQ_MAX_CONNECTIONS set the
// cap; without them it is httpserve's default, or half a lower open-file
// limit.
func TestMaxConnectionsFlag(t *testing.T) {
	tests := []struct {
		name string
		env  string
		args []string
		want int
	}{
		{"flag", "", []string{"--max-connections", "100"}, 100},
		{"environment", "250", nil, 250},
		{"flag over environment", "250", []string{"--max-connections", "100"}, 100},
		{"default", "", nil, defaultMaxConnections(openFileLimit())},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard,
				Getenv: func(k string) string {
					if k == "IAMQ_MAX_CONNECTIONS" {
						return tt.env
					}
					return ""
				}}
			cfg, err := m.serveFlags(tt.args)
			if err != nil || cfg.maxConns != tt.want {
				t.Fatalf("serveFlags(%q, env %q) = %v, %v; want max connections %d", tt.args, tt.env, cfg, err, tt.want)
			}
		})
	}
	for _, bad := range []string{"-1", "many"} {
		m := &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard, Getenv: func(string) string { return "" }}
		if _, err := m.serveFlags([]string{"--max-connections", bad}); err == nil {
			t.Errorf("serveFlags(--max-connections %s) accepted", bad)
		}
	}
	for limit, want := range map[uint64]int{0: httpserve.DefaultMaxConnections, 1024: 512, 1 << 20: httpserve.DefaultMaxConnections, 1: 1} {
		if got := defaultMaxConnections(limit); got != want {
			t.Errorf("defaultMaxConnections(%d) = %d, want %d", limit, got, want)
		}
	}
}
