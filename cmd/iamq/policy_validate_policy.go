package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"slices"

	"github.com/iamq/iamq/internal/analysis"
	"github.com/iamq/iamq/internal/api/analyzerapi"
)

const policyValidatePolicyUsage = `Usage: iamq policy validate-policy [--policy-type T] [--resource-type R] [--format text|json] FILE

IAM Access Analyzer's ValidatePolicy, offline: findings with AWS's issue
codes (ERROR, SECURITY_WARNING, WARNING, SUGGESTION), printed as
FILE:LINE:COL: TYPE ISSUE_CODE: details, or as the API's JSON. Exits 1 when
there is an ERROR or a SECURITY_WARNING (what cfn-policy-validator blocks on
by default).

Flags:
`

// runPolicyValidatePolicy runs 'iamq policy validate-policy'.
func (m *Main) runPolicyValidatePolicy(ctx context.Context, args []string) error {
	const cmd = "iamq policy validate-policy"
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	typ := fs.String("policy-type", string(analysis.IdentityPolicy), "IDENTITY_POLICY, RESOURCE_POLICY, SERVICE_CONTROL_POLICY or RESOURCE_CONTROL_POLICY")
	rt := fs.String("resource-type", "", "for a RESOURCE_POLICY: AWS::IAM::AssumeRolePolicyDocument, AWS::S3::Bucket, …")
	format := fs.String("format", "text", "output format: text or json (the API's answer)")
	if err := m.parseFlags(fs, args, policyValidatePolicyUsage); err != nil {
		return err
	}
	if err := checkFormat(cmd, *format); err != nil {
		return err
	}
	switch {
	case !slices.Contains(analysis.PolicyTypes(), analysis.PolicyType(*typ)):
		return usagef("%s: unknown --policy-type %q", cmd, *typ)
	case fs.NArg() != 1:
		return usagef("%s: name one policy file (- reads standard input)", cmd)
	}
	text, err := m.readPolicyText(fs.Arg(0))
	if err != nil {
		return err
	}
	findings := analysis.ValidatePolicy(text, analysis.PolicyType(*typ), analysis.ValidateOptions{ResourceType: *rt})
	if *format == "json" {
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(analyzerapi.FindingsJSON(findings)); err != nil {
			return err
		}
	}
	blocking := false
	for _, f := range findings {
		if *format == "text" {
			at := f.Locations[0].Span.Start
			fmt.Fprintf(m.Stdout, "%s:%d:%d: %s %s: %s\n", fs.Arg(0), at.Line, at.Column, f.Type, f.IssueCode, f.Details)
		}
		blocking = blocking || f.Type == analysis.FindingError || f.Type == analysis.FindingSecurityWarning
	}
	if blocking {
		return exitStatus(1)
	}
	return nil
}
