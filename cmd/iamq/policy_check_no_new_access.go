package main

import (
	"context"
	"flag"

	"github.com/iamq/iamq/internal/analysis"
)

const policyCheckNoNewAccessUsage = `Usage: iamq policy check-no-new-access [--policy-type T] [--format text|json] EXISTING NEW

IAM Access Analyzer's CheckNoNewAccess, offline: PASS when the NEW policy
grants no access that the EXISTING one does not, proven; otherwise FAIL with
each statement of NEW that may grant new access, and the request that shows
it (or why iamq could not decide: it never answers PASS then). Exits 1 on
FAIL. To check that an update took nothing away (the promise of AWS managed
policies), give the new version as EXISTING and the old one as NEW.

Flags:
`

// runPolicyCheckNoNewAccess runs 'iamq policy check-no-new-access'.
func (m *Main) runPolicyCheckNoNewAccess(ctx context.Context, args []string) error {
	const cmd = "iamq policy check-no-new-access"
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	typ := fs.String("policy-type", string(analysis.IdentityPolicy), "IDENTITY_POLICY or RESOURCE_POLICY")
	format := fs.String("format", "text", "output format: text or json (the API's answer)")
	if err := m.parseFlags(fs, args, policyCheckNoNewAccessUsage); err != nil {
		return err
	}
	t, err := checkPolicyType(cmd, *typ)
	if err != nil {
		return err
	}
	if err := checkFormat(cmd, *format); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return usagef("%s: name the EXISTING and the NEW policy files", cmd)
	}
	existing, err := m.readPolicyDoc(fs.Arg(0))
	if err != nil {
		return err
	}
	updated, err := m.readPolicyDoc(fs.Arg(1))
	if err != nil {
		return err
	}
	return m.writeOutcome(*format, analysis.CheckNoNewAccess(existing, updated, t, analysis.Options{}))
}
