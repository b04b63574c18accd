package main

import (
	"context"
	"fmt"
)

const policyUsage = `Usage:
  iamq policy validate [--kind KIND] [--format text|json] FILE…   (- reads stdin)
  iamq policy simulate --policy FILE… --action A --resource ARN [flags]
  iamq policy diff [--format text|json] OLD NEW
  iamq policy covers [--format text|json] A B   (exit 0 proven, 1 counterexample, 3 unknown)
  iamq policy generate --principal ARN [--since T]   (from the decision log)
`

// runPolicy runs 'iamq policy SUBCOMMAND'.
func (m *Main) runPolicy(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usagef("iamq policy: which? 'iamq policy validate', 'simulate', 'diff', 'covers', 'validate-policy' or a 'check-…' (run 'iamq policy -h' for usage)")
	}
	if run := m.policyCheckCommand(args[0]); run != nil {
		return run(ctx, args[1:])
	}
	switch args[0] {
	case "help", "-h", "--help", "-help":
		fmt.Fprint(m.Stdout, policyUsage+policyCheckUsage)
		return nil
	case "validate":
		return m.runPolicyValidate(ctx, args[1:])
	case "simulate":
		return m.runPolicySimulate(ctx, args[1:])
	case "generate":
		return m.runPolicyGenerate(ctx, args[1:])
	case "diff":
		return m.runPolicyDiff(ctx, args[1:])
	case "covers":
		return m.runPolicyCovers(ctx, args[1:])
	}
	return usagef("iamq policy: unknown subcommand %q: it is validate, simulate, generate, diff, covers, validate-policy, check-no-new-access, check-access-not-granted or check-no-public-access (run 'iamq policy -h' for usage)", args[0])
}
