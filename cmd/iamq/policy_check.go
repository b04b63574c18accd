package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/iamq/iamq/internal/analysis"
	"github.com/iamq/iamq/internal/api/analyzerapi"
	"github.com/iamq/iamq/policy"
)

// The helpers the Access Analyzer subcommands share
// (policy_check_*.go, policy_validate_policy.go): reading a policy file and
// writing an answer in the API's JSON or as text.

// policyCheckUsage lists the Access Analyzer subcommands in 'iamq policy -h'.
const policyCheckUsage = `IAM Access Analyzer's checks, offline:
  iamq policy validate-policy [--policy-type T] [--resource-type R] FILE
  iamq policy check-no-new-access [--policy-type T] EXISTING NEW
  iamq policy check-access-not-granted --actions A,B [--resources R,S] FILE
  iamq policy check-no-public-access --resource-type TYPE FILE
`

// policyCheckCommand returns the Access Analyzer subcommand called name, or
// nil.
func (m *Main) policyCheckCommand(name string) func(context.Context, []string) error {
	switch name {
	case "validate-policy":
		return m.runPolicyValidatePolicy
	case "check-no-new-access":
		return m.runPolicyCheckNoNewAccess
	case "check-access-not-granted":
		return m.runPolicyCheckAccessNotGranted
	case "check-no-public-access":
		return m.runPolicyCheckNoPublicAccess
	}
	return nil
}

// readPolicyText reads a policy file ("-" is standard input), at most
// policy.MaxTextBytes.
func (m *Main) readPolicyText(name string) (string, error) {
	r := m.Stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return "", err
		}
		defer f.Close()
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, policy.MaxTextBytes+1))
	if err != nil {
		return "", err
	}
	if len(b) > policy.MaxTextBytes {
		return "", fmt.Errorf("%s: longer than %d bytes", name, policy.MaxTextBytes)
	}
	return string(b), nil
}

// readPolicyDoc reads and parses a policy file.
func (m *Main) readPolicyDoc(name string) (*policy.Document, error) {
	text, err := m.readPolicyText(name)
	if err != nil {
		return nil, err
	}
	d, err := policy.Parse(text)
	if err != nil {
		return nil, fmt.Errorf("%s: not a policy document: %w", name, err)
	}
	return d, nil
}

// checkPolicyType reads --policy-type of the custom checks.
func checkPolicyType(cmd, s string) (analysis.PolicyType, error) {
	switch t := analysis.PolicyType(s); t {
	case analysis.IdentityPolicy, analysis.ResourcePolicy:
		return t, nil
	}
	return "", usagef("%s: unknown --policy-type %q (want IDENTITY_POLICY or RESOURCE_POLICY)", cmd, s)
}

// writeOutcome writes a custom check's answer: the API's JSON, or text
// ("FAIL: message" and a line for each reason). A FAIL exits 1.
func (m *Main) writeOutcome(format string, o analysis.Outcome) error {
	if format == "json" {
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(analyzerapi.CheckJSON(o)); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(m.Stdout, "%s: %s\n", o.Result, o.Message)
		for _, r := range o.Reasons {
			where := "  "
			if r.Index >= 0 {
				where += fmt.Sprintf("Statement[%d]", r.Index)
				if r.Sid != "" {
					where += " (" + r.Sid + ")"
				}
				where += ": "
			}
			fmt.Fprintln(m.Stdout, where+r.Description)
		}
	}
	if o.Result != analysis.Pass {
		return exitStatus(1)
	}
	return nil
}

// checkFormat checks --format.
func checkFormat(cmd, format string) error {
	if format != "text" && format != "json" {
		return usagef("%s: unknown --format %q (want text or json)", cmd, format)
	}
	return nil
}

// splitList splits a comma-separated flag value, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
