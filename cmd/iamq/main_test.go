package main

import (
	"bytes"
	"context"
	"errors"
	"testing"
)

// run runs the command line with buffers and returns what it wrote.
func run(t *testing.T, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	m := &Main{Stdin: bytes.NewBufferString(stdin), Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }}
	err = m.Run(context.Background(), args)
	return out.String(), errOut.String(), err
}

func TestUsage(t *testing.T) {
	tests := []struct {
		args     []string
		wantCode int
	}{
		{nil, 2},
		{[]string{"nonsense"}, 2},
		{[]string{"help"}, 0},
	}
	for _, tt := range tests {
		_, _, err := run(t, "", tt.args...)
		var buf bytes.Buffer
		if got := exitCode(&buf, err); got != tt.wantCode {
			t.Errorf("Run(%q) exit = %d, want %d", tt.args, got, tt.wantCode)
		}
	}
	if got := exitCode(new(bytes.Buffer), exitStatus(1)); got != 1 {
		t.Errorf("exitCode(exitStatus(1)) = %d, want 1", got)
	}
	if got := exitCode(new(bytes.Buffer), errors.New("boom")); got != 1 {
		t.Errorf("exitCode(boom) = %d, want 1", got)
	}
}
