package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// TestHelp: -h exits 0 and prints the usage once, on standard output, for
// every command.
func TestHelp(t *testing.T) {
	for _, args := range [][]string{
		{"-h"}, {"help"},
		{"serve", "-h"}, {"serve", "--help"},
		{"policy", "-h"}, {"policy", "validate", "-h"}, {"policy", "simulate", "-h"},
		{"catalog", "-h"}, {"catalog", "show", "-h"}, {"catalog", "expand", "-h"}, {"catalog", "diff", "-h"},
		{"admin", "-h"}, {"admin", "account", "-h"}, {"admin", "account", "create", "-h"}, {"admin", "account", "list", "-h"},
		{"admin", "export", "-h"}, {"admin", "import", "-h"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			stdout, stderr, err := run(t, "", args...)
			if code := exitCode(new(bytes.Buffer), err); code != 0 {
				t.Errorf("Run(%q) exit %d (%v), want 0", args, code, err)
			}
			if n := strings.Count(stdout, "Usage"); n != 1 {
				t.Errorf("Run(%q) printed the usage %d times:\n%s", args, n, stdout)
			}
			if stderr != "" {
				t.Errorf("Run(%q) wrote to stderr:\n%s", args, stderr)
			}
		})
	}
}

func TestVersion(t *testing.T) {
	stdout, _, err := run(t, "", "--version")
	if err != nil || !strings.HasPrefix(stdout, "iamq ") || !strings.Contains(stdout, "go1.") {
		t.Errorf("iamq --version = %q, %v", stdout, err)
	}
}

// TestRefusalsSayWhy: every refusal exits 2 with one line on stderr saying
// what is wrong and how to fix it.
func TestRefusalsSayWhy(t *testing.T) {
	policyFile := filepath.Join(writeFiles(t, map[string]string{"p.json": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`}), "p.json")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown command", []string{"nonsense"}, `unknown command "nonsense"`},
		{"principal not an ARN", []string{"policy", "simulate", "--policy", policyFile, "--action", "s3:GetObject", "--principal", "bob"}, `--principal "bob"`},
		{"context without =", []string{"policy", "simulate", "--policy", policyFile, "--action", "s3:GetObject", "--context", "foo"}, `--context "foo" is not KEY=TYPE:VALUE`},
		{"simulate without action", []string{"policy", "simulate", "--policy", policyFile}, "--action"},
		{"simulate unknown flag", []string{"policy", "simulate", "--nope"}, "-nope"},
		{"action without prefix", []string{"policy", "simulate", "--policy", policyFile, "--action", "GetObject"}, "service prefix"},
		{"serve extra argument", []string{"serve", "now"}, `unexpected argument "now"`},
		{"serve key id alone", []string{"serve", "--root-access-key-id", "AKIA"}, "--root-access-key-id needs --root-secret-access-key"},
		{"serve secret alone", []string{"serve", "--root-secret-access-key", "s"}, "--root-secret-access-key needs --root-access-key-id"},
		{"serve log format", []string{"serve", "--log-format", "xml"}, `--log-format (IAMQ_LOG_FORMAT) is text or json, not "xml"`},
		{"serve unknown flag", []string{"serve", "--nope"}, "flag provided but not defined: -nope"},
		{"policy without subcommand", []string{"policy"}, "validate"},
		{"admin account unknown", []string{"admin", "account", "delete"}, `unknown subcommand "delete"`},
		{"validate without files", []string{"policy", "validate"}, "name the policy files"},
		{"catalog show without prefix", []string{"catalog", "show"}, "service prefix"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, stderr, err := run(t, "", tt.args...)
			var printed bytes.Buffer
			code := exitCode(&printed, err)
			all := stderr + printed.String()
			if code != 2 {
				t.Errorf("Run(%q) exit %d (%v), want 2", tt.args, code, err)
			}
			if !strings.Contains(all, tt.want) || strings.Count(strings.TrimSpace(all), "\n") != 0 {
				t.Errorf("Run(%q) printed %q, want one line with %q", tt.args, all, tt.want)
			}
		})
	}
}
