package main

import (
	"context"
	"flag"
	"slices"
	"strings"

	"github.com/iamq/iamq/internal/analysis"
)

const policyCheckNoPublicAccessUsage = `Usage: iamq policy check-no-public-access --resource-type TYPE [--format text|json] FILE

IAM Access Analyzer's CheckNoPublicAccess, offline: PASS when the resource
policy grants no public access to a resource of TYPE (AWS::S3::Bucket,
AWS::KMS::Key, AWS::IAM::AssumeRolePolicyDocument, AWS::SQS::Queue,
AWS::SNS::Topic, AWS::SecretsManager::Secret, …); otherwise FAIL with the
statements that grant it. Exits 1 on FAIL.

Flags:
`

// runPolicyCheckNoPublicAccess runs 'iamq policy check-no-public-access'.
func (m *Main) runPolicyCheckNoPublicAccess(ctx context.Context, args []string) error {
	const cmd = "iamq policy check-no-public-access"
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	rt := fs.String("resource-type", "", "the resource type, as CloudFormation names it")
	format := fs.String("format", "text", "output format: text or json (the API's answer)")
	if err := m.parseFlags(fs, args, policyCheckNoPublicAccessUsage); err != nil {
		return err
	}
	if err := checkFormat(cmd, *format); err != nil {
		return err
	}
	switch {
	case !slices.Contains(analysis.ResourceTypes(), *rt):
		return usagef("%s: unknown --resource-type %q (want one of %s)", cmd, *rt, strings.Join(analysis.ResourceTypes(), ", "))
	case fs.NArg() != 1:
		return usagef("%s: name one policy file", cmd)
	}
	doc, err := m.readPolicyDoc(fs.Arg(0))
	if err != nil {
		return err
	}
	return m.writeOutcome(*format, analysis.CheckNoPublicAccess(doc, *rt))
}
