package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/iamq/iamq/internal/analysis"
)

func TestPolicyDiff(t *testing.T) {
	f := policyFiles(t, map[string]string{"read.json": mqRead, "less.json": mqReadLess, "more.json": mqReadWrite})
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  []string // substrings of stdout
		wantErr  string
	}{
		{"write added", []string{f["read.json"], f["more.json"]}, 0, []string{
			"mq (Amazon MQ)\n",
			"  +! mq:CreateBroker  [Write]\n",
			"narrowed: proven: the new version allows every request the old one did\n",
			"widened: counterexample: mq:CreateBroker on *",
		}, ""},
		{"list removed", []string{f["read.json"], f["less.json"]}, 0, []string{
			"  -  mq:ListBrokers  [List]  lost: mq:ListBrokers on *\n",
			"action strings\n  - mq:List*\n",
			"narrowed: counterexample: mq:List",
			"widened: proven: the new version allows nothing the old one did not\n",
		}, ""},
		{"same", []string{f["read.json"], f["read.json"]}, 0, []string{"narrowed: proven", "widened: proven"}, ""},
		{"one file", []string{f["read.json"]}, 2, nil, "name two policy files"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, err := run(t, "", append([]string{"policy", "diff"}, tt.args...)...)
			var printed strings.Builder
			got := exitCode(&printed, err)
			stderr += printed.String()
			if got != tt.wantCode {
				t.Errorf("Run(%q) exit = %d, want %d (stderr %q)", tt.args, got, tt.wantCode, stderr)
			}
			for _, w := range tt.wantOut {
				if !strings.Contains(stdout, w) {
					t.Errorf("Run(%q) stdout =\n%s\nwant it to contain %q", tt.args, stdout, w)
				}
			}
			if !strings.Contains(stderr, tt.wantErr) {
				t.Errorf("Run(%q) stderr = %q, want it to contain %q", tt.args, stderr, tt.wantErr)
			}
		})
	}
}

func TestPolicyDiffJSON(t *testing.T) {
	f := policyFiles(t, map[string]string{"read.json": mqRead, "more.json": mqReadWrite})
	stdout, _, err := run(t, "", "policy", "diff", "--format", "json", f["read.json"], f["more.json"])
	if err != nil {
		t.Fatal(err)
	}
	var ch analysis.Changes
	if err := json.Unmarshal([]byte(stdout), &ch); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, stdout)
	}
	if len(ch.Services) != 1 || ch.Services[0].Prefix != "mq" || len(ch.Services[0].Added) != 1 ||
		ch.Services[0].Added[0].Action != "mq:CreateBroker" || !ch.Services[0].Added[0].Flagged {
		t.Errorf("diff --format json services = %+v, want mq with mq:CreateBroker added and flagged", ch.Services)
	}
	if !strings.Contains(stdout, `"verdict": "proven"`) || !strings.Contains(stdout, `"verdict": "counterexample"`) {
		t.Errorf("diff --format json has no verdict names:\n%s", stdout)
	}
}
