package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPolicyChecks runs the Access Analyzer subcommands: their answers,
// exit codes and refusals.
func TestPolicyChecks(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	v1 := write("v1.json", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"mq:DescribeBroker","Resource":"*"}]}`)
	v2 := write("v2.json", `{"Version":"2012-10-17","Statement":[{"Sid":"More","Effect":"Allow","Action":["mq:DescribeBroker","mq:DeleteBroker"],"Resource":"*"}]}`)
	bucket := write("bucket.json", `{"Version":"2012-10-17","Statement":[{"Sid":"Public","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`)
	passRole := write("passrole.json", "{\n \"Version\": \"2012-10-17\",\n \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"iam:PassRole\", \"Resource\": \"*\"}]\n}")
	notJSON := write("not.json", "{")
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string // a substring of stdout
		wantErr  string // a substring of stderr
	}{
		{"no new access: PASS", []string{"check-no-new-access", v2, v1}, 0, "PASS: ", ""},
		{"no new access: FAIL names it", []string{"check-no-new-access", v1, v2}, 1, "Statement[0] (More): New access: mq:DeleteBroker", ""},
		{"no new access: resource policies", []string{"check-no-new-access", "--policy-type", "RESOURCE_POLICY", bucket, bucket}, 0, "PASS", ""},
		{"no new access: one file", []string{"check-no-new-access", v1}, 2, "", "EXISTING and the NEW"},
		{"no new access: not a policy", []string{"check-no-new-access", v1, notJSON}, 1, "", "not a policy document"},
		{"no new access: SCP", []string{"check-no-new-access", "--policy-type", "SERVICE_CONTROL_POLICY", v1, v2}, 2, "", "unknown --policy-type"},
		{"not granted: FAIL", []string{"check-access-not-granted", "--actions", "mq:DeleteBroker", v2}, 1, "FAIL: ", ""},
		{"not granted: PASS", []string{"check-access-not-granted", "--actions", "mq:DeleteBroker", v1}, 0, "PASS: ", ""},
		{"not granted: nothing to check", []string{"check-access-not-granted", v1}, 2, "", "give --actions"},
		{"public: FAIL", []string{"check-no-public-access", "--resource-type", "AWS::S3::Bucket", bucket}, 1, "Statement[0] (Public)", ""},
		{"public: unknown type", []string{"check-no-public-access", "--resource-type", "AWS::MQ::Broker", bucket}, 2, "", "unknown --resource-type"},
		{"validate-policy: security warning", []string{"validate-policy", passRole}, 1, "passrole.json:3:74: SECURITY_WARNING PASS_ROLE_WITH_STAR_IN_RESOURCE: ", ""},
		{"validate-policy: clean", []string{"validate-policy", v1}, 0, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, err := run(t, "", append([]string{"policy"}, tt.args...)...)
			var printed strings.Builder
			got := exitCode(&printed, err)
			stderr += printed.String()
			if got != tt.wantCode || !strings.Contains(stdout, tt.wantOut) || !strings.Contains(stderr, tt.wantErr) {
				t.Errorf("Run(%q) = exit %d, stdout %q, stderr %q; want exit %d, stdout with %q, stderr with %q",
					tt.args, got, stdout, stderr, tt.wantCode, tt.wantOut, tt.wantErr)
			}
		})
	}
}

// TestPolicyCheckJSON: --format json is the API's answer.
func TestPolicyCheckJSON(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "p.json")
	if err := os.WriteFile(p, []byte(`{"Version":"2012-10-17","Statement":[{"Sid":"All","Effect":"Allow","Action":"s3:*","Resource":"*"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, _, err := run(t, "", "policy", "check-access-not-granted", "--format", "json", "--actions", "s3:DeleteBucket", p)
	if got := exitCode(new(strings.Builder), err); got != 1 {
		t.Errorf("exit = %d, want 1", got)
	}
	var out struct {
		Result  string `json:"result"`
		Message string `json:"message"`
		Reasons []struct {
			Description    string `json:"description"`
			StatementIndex *int   `json:"statementIndex"`
			StatementID    string `json:"statementId"`
		} `json:"reasons"`
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, stdout)
	}
	if out.Result != "FAIL" || out.Message == "" || len(out.Reasons) != 1 || out.Reasons[0].StatementIndex == nil ||
		*out.Reasons[0].StatementIndex != 0 || out.Reasons[0].StatementID != "All" {
		t.Errorf("answer = %+v, want FAIL for statement 0 (All)", out)
	}
}
