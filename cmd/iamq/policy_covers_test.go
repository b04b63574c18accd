package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iamq/iamq/internal/analysis"
)

const (
	mqRead      = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["mq:Describe*","mq:List*"],"Resource":"*"}]}`
	mqReadLess  = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["mq:Describe*"],"Resource":"*"}]}`
	mqReadWrite = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["mq:Describe*","mq:List*","mq:CreateBroker"],"Resource":"*"}]}`
	// One key under two operator families: sound, the analysis does not
	// relate them, and no request it tries tells them apart.
	mqMFAAge = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"mq:*","Resource":"*","Condition":{"NumericLessThan":{"aws:MultiFactorAuthAge":"10"}}}]}`
	mqMFAAny = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"mq:*","Resource":"*","Condition":{"StringLike":{"aws:MultiFactorAuthAge":"*"}}}]}`
)

// policyFiles writes each name=text pair with writeFiles and returns the
// paths by name.
func policyFiles(t *testing.T, files map[string]string) map[string]string {
	t.Helper()
	dir := writeFiles(t, files)
	out := map[string]string{}
	for name := range files {
		out[name] = filepath.Join(dir, name)
	}
	return out
}

func TestPolicyCovers(t *testing.T) {
	f := policyFiles(t, map[string]string{"read.json": mqRead, "less.json": mqReadLess, "more.json": mqReadWrite,
		"taga.json": mqMFAAge, "tagb.json": mqMFAAny, "bad.json": `{"Version":`})
	tests := []struct {
		name     string
		stdin    string
		args     []string
		wantCode int
		wantOut  string // a substring of stdout
		wantErr  string // a substring of stderr
	}{
		{"proven", "", []string{f["read.json"], f["more.json"]}, 0, "proven: B allows every request A allows", ""},
		{"counterexample", "", []string{f["read.json"], f["less.json"]}, 1, "counterexample: mq:List", ""},
		{"unknown", "", []string{f["taga.json"], f["tagb.json"]}, 3, "unknown: Statement[0]", ""},
		{"stdin", mqReadWrite, []string{"-", f["read.json"]}, 1, "counterexample: mq:CreateBroker on *", ""},
		{"unreadable", "", []string{f["read.json"], f["bad.json"]}, 2, "", "bad.json"},
		{"missing", "", []string{f["read.json"], "/nonexistent/p.json"}, 2, "", "no such file"},
		{"one file", "", []string{f["read.json"]}, 2, "", "name two policy files"},
		{"bad format", "", []string{"--format", "xml", f["read.json"], f["read.json"]}, 2, "", `unknown --format "xml"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, err := run(t, tt.stdin, append([]string{"policy", "covers"}, tt.args...)...)
			var printed strings.Builder
			got := exitCode(&printed, err)
			stderr += printed.String()
			if got != tt.wantCode {
				t.Errorf("Run(%q) exit = %d, want %d (stdout %q, stderr %q)", tt.args, got, tt.wantCode, stdout, stderr)
			}
			if !strings.Contains(stdout, tt.wantOut) || !strings.Contains(stderr, tt.wantErr) {
				t.Errorf("Run(%q) stdout %q, stderr %q, want them to contain %q and %q", tt.args, stdout, stderr, tt.wantOut, tt.wantErr)
			}
		})
	}
}

func TestPolicyCoversJSON(t *testing.T) {
	f := policyFiles(t, map[string]string{"read.json": mqRead, "less.json": mqReadLess})
	stdout, _, err := run(t, "", "policy", "covers", "--format", "json", f["read.json"], f["less.json"])
	if got := exitCode(new(strings.Builder), err); got != 1 {
		t.Errorf("exit = %d, want 1", got)
	}
	var r struct {
		Verdict string            `json:"verdict"`
		Request *analysis.Request `json:"request"`
		Reason  string            `json:"reason"`
	}
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, stdout)
	}
	if r.Verdict != "counterexample" || r.Request == nil || !strings.HasPrefix(r.Request.Action, "mq:List") || r.Request.Resource != "*" {
		t.Errorf("covers --format json = %+v, want a counterexample with an mq:List… action on *", r)
	}
}
