package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const simIdentity = `{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Read", "Effect": "Allow", "Action": "mq:Describe*", "Resource": "*",
     "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}},
    {"Sid": "NoDelete", "Effect": "Deny", "Action": "mq:DeleteBroker", "Resource": "*"},
    {"Sid": "Logs", "Effect": "Allow", "Action": "logs:*", "Resource": "*"}
  ]
}`

const simBoundary = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "mq:*", "Resource": "*"}]}`

const simTrust = `{"Version": "2012-10-17", "Statement": [
  {"Sid": "Lambda", "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}`

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestPolicySimulate(t *testing.T) {
	dir := writeFiles(t, map[string]string{"id.json": simIdentity, "boundary.json": simBoundary, "trust.json": simTrust})
	id, boundary, trust := filepath.Join(dir, "id.json"), filepath.Join(dir, "boundary.json"), filepath.Join(dir, "trust.json")
	tests := []struct {
		name     string
		args     []string
		wantCode int
		want     []string // substrings of stdout
	}{
		{"allowed with context", []string{"--policy", id, "--action", "mq:DescribeBroker", "--context", "aws:SourceIp=ip:10.1.2.3"},
			0, []string{"decision: allowed", `Sid "Read"`, "line 4 column 5"}},
		{"context as a plain string", []string{"--policy", id, "--action", "mq:DescribeBroker", "--context", "aws:SourceIp=10.1.2.3"},
			0, []string{"decision: allowed"}},
		{"missing context key", []string{"--policy", id, "--action", "mq:DescribeBroker"},
			0, []string{"decision: implicitDeny", "no allow in: identity", "missing context keys: aws:SourceIp"}},
		{"explicit deny", []string{"--policy", id, "--action", "mq:DeleteBroker", "--resource", "arn:aws:mq:us-east-1:123456789012:broker:b:b-1"},
			0, []string{"decision: explicitDeny", `Sid "NoDelete"`}},
		{"boundary lacks allow", []string{"--policy", id, "--boundary", boundary, "--action", "logs:GetLogEvents"},
			0, []string{"decision: implicitDeny", "no allow in: boundary"}},
		{"json", []string{"--policy", id, "--action", "logs:GetLogEvents", "--format", "json"},
			0, []string{`"decision": "allowed"`, `"sid": "Logs"`, `"line": 7`}},
		{"trust policy and a service principal", []string{"--resource-policy", trust, "--principal", "lambda.amazonaws.com", "--action", "sts:AssumeRole", "--resource", "arn:aws:iam::123456789012:role/R"},
			0, []string{"decision: allowed", "resource policy"}},
		{"role session principal", []string{"--policy", id, "--principal", "arn:aws:sts::123456789012:assumed-role/R/s", "--action", "logs:PutLogEvents"},
			0, []string{"decision: allowed"}},
		{"role ARN simulated as a session", []string{"--policy", id, "--principal", "arn:aws:iam::123456789012:role/app/R", "--action", "logs:PutLogEvents",
			"--context", "aws:PrincipalArn=x"}, 0, []string{"decision: allowed"}},
		{"no action", []string{"--policy", id}, 2, nil},
		{"bad format", []string{"--policy", id, "--action", "a:b", "--format", "yaml"}, 2, nil},
		{"bad context type value", []string{"--policy", id, "--action", "a:b", "--context", "k=numeric:ten"}, 1, nil},
		{"bad principal", []string{"--policy", id, "--action", "a:b", "--principal", "alice"}, 2, nil},
		{"missing file", []string{"--policy", filepath.Join(dir, "nope.json"), "--action", "a:b"}, 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _, err := run(t, "", append([]string{"policy", "simulate"}, tt.args...)...)
			if got := exitCode(new(bytes.Buffer), err); got != tt.wantCode {
				t.Fatalf("simulate %q: exit %d (%v), want %d", tt.args, got, err, tt.wantCode)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("simulate %q output lacks %q:\n%s", tt.args, w, out)
				}
			}
		})
	}
}

func TestPolicySimulateBatch(t *testing.T) {
	dir := writeFiles(t, map[string]string{"id.json": simIdentity})
	id := filepath.Join(dir, "id.json")
	tests := []struct {
		name     string
		in       string
		wantCode int
		want     []string // decision of each output line, or "error"
	}{
		{"all as wanted", `{"id":"a","action":"mq:DeleteBroker","want":"explicitDeny"}
{"id":"b","action":"mq:DescribeBroker","context":[{"key":"aws:SourceIp","type":"ip","values":["10.0.0.1"]}],"want":"allowed"}

{"id":"c","action":"logs:GetLogEvents","principal":"arn:aws:iam::123456789012:root"}
`, 0, []string{"explicitDeny", "allowed", "allowed"}},
		{"a decision differs", `{"id":"a","action":"mq:DescribeBroker","want":"allowed"}`, 1, []string{"implicitDeny"}},
		{"a bad line", `{"id":"a","action":"mq:DescribeBroker","unknown":1}
{"id":"b","action":"logs:X"}`, 1, []string{"error", "allowed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _, err := run(t, tt.in, "policy", "simulate", "--policy", id, "--batch", "-")
			if got := exitCode(new(bytes.Buffer), err); got != tt.wantCode {
				t.Fatalf("batch exit %d (%v), want %d", got, err, tt.wantCode)
			}
			lines := strings.Split(strings.TrimSpace(out), "\n")
			if len(lines) != len(tt.want) {
				t.Fatalf("batch wrote %d lines, want %d:\n%s", len(lines), len(tt.want), out)
			}
			for i, line := range lines {
				var res struct {
					Decision, Error string
				}
				if err := json.Unmarshal([]byte(line), &res); err != nil {
					t.Fatal(err)
				}
				got := res.Decision
				if res.Error != "" {
					got = "error"
				}
				if got != tt.want[i] {
					t.Errorf("batch line %d = %s, want %s", i+1, got, tt.want[i])
				}
			}
		})
	}
}
