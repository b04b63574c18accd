package main

import (
	"context"
	"flag"

	"github.com/iamq/iamq/internal/analysis"
)

const policyCheckAccessNotGrantedUsage = `Usage: iamq policy check-access-not-granted [--policy-type T] --actions A,B --resources R,S [--format text|json] FILE

IAM Access Analyzer's CheckAccessNotGranted, offline: PASS when the policy
grants none of the actions on any of the resources (either list may be left
out: any action, any resource), proven; otherwise FAIL with the statements
that may grant it. Exits 1 on FAIL.

Flags:
`

// runPolicyCheckAccessNotGranted runs 'iamq policy check-access-not-granted'.
func (m *Main) runPolicyCheckAccessNotGranted(ctx context.Context, args []string) error {
	const cmd = "iamq policy check-access-not-granted"
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	typ := fs.String("policy-type", string(analysis.IdentityPolicy), "IDENTITY_POLICY or RESOURCE_POLICY")
	actions := fs.String("actions", "", "comma-separated actions that must not be granted")
	resources := fs.String("resources", "", "comma-separated resource ARNs that must not be reachable")
	format := fs.String("format", "text", "output format: text or json (the API's answer)")
	if err := m.parseFlags(fs, args, policyCheckAccessNotGrantedUsage); err != nil {
		return err
	}
	t, err := checkPolicyType(cmd, *typ)
	if err != nil {
		return err
	}
	if err := checkFormat(cmd, *format); err != nil {
		return err
	}
	access := analysis.Access{Actions: splitList(*actions), Resources: splitList(*resources)}
	switch {
	case len(access.Actions) == 0 && len(access.Resources) == 0:
		return usagef("%s: give --actions, --resources or both", cmd)
	case len(access.Actions) > 100 || len(access.Resources) > 100:
		return usagef("%s: at most 100 actions and 100 resources", cmd)
	case fs.NArg() != 1:
		return usagef("%s: name one policy file", cmd)
	}
	doc, err := m.readPolicyDoc(fs.Arg(0))
	if err != nil {
		return err
	}
	return m.writeOutcome(*format, analysis.CheckAccessNotGranted(doc, t, []analysis.Access{access}))
}
