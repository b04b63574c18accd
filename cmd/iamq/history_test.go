package main

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// TestHistoryCommand reads the built-in history (no store in the data
// directory): newest first, unknown dates said so, usage errors refused.
func TestHistoryCommand(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name    string
		args    []string
		want    []string
		lines   int
		wantErr error
	}{
		{"service", []string{"history", "--data-dir", dir, "mq"}, []string{
			"DATE", "2021-05-05", "Started tracking changes", "AmazonMQFullAccess         v5", "iam:CreateServiceLinkedRole"}, 13, nil},
		{"flags after the service", []string{"history", "mq", "--data-dir", dir, "--max", "2"}, []string{"Started tracking changes"}, 3, nil},
		{"policy", []string{"history", "--data-dir", dir, "--policy", "AmazonMQFullAccess"}, []string{"v1", "New policy", "2017-11-28"}, 6, nil},
		{"policy by ARN", []string{"history", "--data-dir", dir, "--policy", "arn:aws:iam::aws:policy/AmazonMQReadOnlyAccess"}, []string{"v2"}, 3, nil},
		{"unknown dates", []string{"history", "--data-dir", dir, "--policy", "ViewOnlyAccess", "--max", "20"},
			[]string{"date unknown (between", "Versions not recovered"}, 21, nil},
		{"a service without policies", []string{"history", "--data-dir", dir, "nosuchservice"}, []string{"DATE"}, 1, nil},
		{"neither", []string{"history", "--data-dir", dir}, nil, 0, ErrUsage},
		{"both", []string{"history", "--data-dir", dir, "--policy", "X", "mq"}, nil, 0, ErrUsage},
		{"two services", []string{"history", "mq", "ec2"}, nil, 0, ErrUsage},
		{"negative max", []string{"history", "--max", "-1", "mq"}, nil, 0, ErrUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _, err := run(t, "", tt.args...)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Errorf("Run(%q) = %v, want %v", tt.args, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Run(%q) = %v", tt.args, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("Run(%q) output lacks %q:\n%s", tt.args, w, out)
				}
			}
			if got := strings.Count(out, "\n"); got != tt.lines {
				t.Errorf("Run(%q) printed %d lines, want %d:\n%s", tt.args, got, tt.lines, out)
			}
		})
	}
	if _, _, err := run(t, "", "history", "--data-dir", dir, "--policy", "NoSuchPolicy"); err == nil || !strings.Contains(err.Error(), "NoSuchPolicy") {
		t.Errorf("--policy NoSuchPolicy = %v, want an error naming it", err)
	}
	out, _, err := run(t, "", "history", "--data-dir", dir, "--json", "--policy", "AmazonMQFullAccess", "--max", "1")
	var e struct{ ID, Version, Kind string }
	if err != nil || json.Unmarshal([]byte(out), &e) != nil || e.Version != "v5" || e.ID != "arn:aws:iam::aws:policy/AmazonMQFullAccess#v5" {
		t.Errorf("--json = %q, %v", out, err)
	}
}
