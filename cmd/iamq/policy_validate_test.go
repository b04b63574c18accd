package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iamq/iamq/policy"
)

const (
	validPolicy   = `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "mq:ListBrokers", "Resource": "*"}}`
	invalidPolicy = "{\n  \"Version\": \"2012-10-18\",\n  \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"ListBrokers\", \"Resource\": \"*\"}\n}"
	trustPolicy   = `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"Service": "mq.amazonaws.com"}, "Action": "sts:AssumeRole"}}`
	lintPolicy    = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["mq:DescribeBrokr"],"Resource":"*"}]}`
	warnPolicy    = `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "ec2: DescribeAccountAttributes", "Resource": "*"}}`
)

func TestPolicyValidate(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	valid, invalid := write("valid.json", validPolicy), write("invalid.json", invalidPolicy)
	trust, warn := write("trust.json", trustPolicy), write("warn.json", warnPolicy)
	lint := write("lint.json", lintPolicy)
	notJSON := write("not.json", "velero-policy.json")
	bigTrust := write("big-trust.json", strings.Replace(trustPolicy, `"Version"`, `"Id": "`+strings.Repeat("x", 2100)+`", "Version"`, 1))
	tests := []struct {
		name     string
		stdin    string
		args     []string
		wantCode int
		wantOut  []string // lines of stdout, with dir replaced by DIR
		wantErr  string   // a substring of stderr
	}{
		{"valid", "", []string{valid}, 0, nil, ""},
		{"invalid", "", []string{valid, invalid}, 1, []string{
			`DIR/invalid.json:2:3: error: Syntax errors in policy. (Version "2012-10-18" is not 2012-10-17 or 2008-10-17)`,
			`DIR/invalid.json:3:46: error: Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc. (action "ListBrokers" has no vendor prefix)`,
		}, ""},
		{"stdin", invalidPolicy, []string{"-"}, 1, []string{
			`<stdin>:2:3: error: Syntax errors in policy. (Version "2012-10-18" is not 2012-10-17 or 2008-10-17)`,
			`<stdin>:3:46: error: Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc. (action "ListBrokers" has no vendor prefix)`,
		}, ""},
		{"trust as identity", "", []string{trust}, 1, []string{
			`DIR/trust.json:1:40: error: Policy statement must contain resources. (the statement has no Resource or NotResource)`,
			`DIR/trust.json:1:60: error: Policy document should not specify a principal. (this kind of policy may not name a Principal)`,
		}, ""},
		{"trust", "", []string{"--kind", "trust", trust}, 0, nil, ""},
		{"warnings exit 0", "", []string{"--lint=false", warn}, 0, []string{
			`DIR/warn.json:1:70: warning: action name " DescribeAccountAttributes" has characters no action name has, so it matches no action`,
		}, ""},
		{"lint errors exit 1", "", []string{lint}, 1, []string{
			`DIR/lint.json:1:38: lint ERROR INVALID_ACTION Statement[0].Action[0]: The action mq:DescribeBrokr does not exist in Amazon MQ (mq).`,
		}, ""},
		{"not JSON for a trust policy", "", []string{"--kind=trust", notJSON}, 1, []string{
			`DIR/not.json:1:1: error: This policy contains invalid Json (unexpected 'v', want a JSON object)`,
		}, ""},
		{"trust policy too large", "", []string{"--kind", "trust", bigTrust}, 1, []string{
			`DIR/big-trust.json:1:1: error: Cannot exceed quota for ACLSizePerRole: 2048 (the document is 2232 characters, over the limit of 2048 for a trust policy)`,
		}, ""},
		{"missing file", "", []string{filepath.Join(dir, "nope.json")}, 1, nil, "no such file"},
		{"unknown kind", "", []string{"--kind", "bucket", valid}, 2, nil, `unknown --kind "bucket"`},
		{"unknown format", "", []string{"--format", "xml", valid}, 2, nil, `unknown --format "xml"`},
		{"no files", "", nil, 2, nil, "name the policy files"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"policy", "validate"}, tt.args...)
			stdout, stderr, err := run(t, tt.stdin, args...)
			var printed strings.Builder // what main prints of the error
			got := exitCode(&printed, err)
			stderr += printed.String()
			if got != tt.wantCode {
				t.Errorf("Run(%q) exit = %d, want %d (stderr %q)", tt.args, got, tt.wantCode, stderr)
			}
			var lines []string
			if stdout != "" {
				lines = strings.Split(strings.TrimSuffix(strings.ReplaceAll(stdout, dir, "DIR"), "\n"), "\n")
			}
			if strings.Join(lines, "\n") != strings.Join(tt.wantOut, "\n") {
				t.Errorf("Run(%q) stdout =\n%s\nwant\n%s", tt.args, strings.Join(lines, "\n"), strings.Join(tt.wantOut, "\n"))
			}
			if !strings.Contains(stderr, tt.wantErr) {
				t.Errorf("Run(%q) stderr = %q, want it to contain %q", tt.args, stderr, tt.wantErr)
			}
		})
	}
}

func TestPolicyValidateJSON(t *testing.T) {
	stdout, _, err := run(t, invalidPolicy, "policy", "validate", "--format", "json", "--kind", "identity", "-")
	if got := exitCode(new(strings.Builder), err); got != 1 {
		t.Errorf("exit = %d, want 1", got)
	}
	var files []fileFindings
	if err := json.Unmarshal([]byte(stdout), &files); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, stdout)
	}
	if len(files) != 1 || files[0].File != "<stdin>" || files[0].Kind != policy.KindIdentity || len(files[0].Findings) != 2 {
		t.Fatalf("files = %+v, want one file <stdin> with 2 findings", files)
	}
	f := files[0].Findings[0]
	want := policy.Finding{Code: policy.CodeVersion, Severity: policy.SeverityError, Path: "Version",
		Pos: policy.Position{Offset: 4, Line: 2, Column: 3}, Message: policy.MsgSyntax,
		Detail: `Version "2012-10-18" is not 2012-10-17 or 2008-10-17`}
	if f != want {
		t.Errorf("findings[0] = %+v, want %+v", f, want)
	}
}
