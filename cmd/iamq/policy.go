package main

import (
	"context"
	"fmt"
)

const policyUsage = `Usage:
  iamq policy validate [--kind KIND] [--format text|json] FILE…   (- reads stdin)
  iamq policy simulate --policy FILE… --action A --resource ARN [flags]
  iamq policy generate --principal ARN [--since T]   (from the decision log)
`

// runPolicy runs 'iamq policy SUBCOMMAND'.
func (m *Main) runPolicy(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usagef("iamq policy: which? 'iamq policy validate' or 'iamq policy simulate' (run 'iamq policy -h' for usage)")
	}
	switch args[0] {
	case "help", "-h", "--help", "-help":
		fmt.Fprint(m.Stdout, policyUsage)
		return nil
	case "validate":
		return m.runPolicyValidate(ctx, args[1:])
	case "simulate":
		return m.runPolicySimulate(ctx, args[1:])
	case "generate":
		return m.runPolicyGenerate(ctx, args[1:])
	}
	return usagef("iamq policy: unknown subcommand %q: it is validate, simulate or generate (run 'iamq policy -h' for usage)", args[0])
}
