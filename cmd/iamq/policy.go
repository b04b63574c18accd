package main

import (
	"context"
	"fmt"
)

const policyUsage = `Usage:
  iamq policy validate [--kind KIND] [--format text|json] FILE…   (- reads stdin)
  iamq policy simulate --policy FILE… --action A --resource ARN [flags]
`

// runPolicy runs 'iamq policy SUBCOMMAND'.
func (m *Main) runPolicy(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(m.Stderr, policyUsage)
		return ErrUsage
	}
	switch args[0] {
	case "validate":
		return m.runPolicyValidate(ctx, args[1:])
	case "simulate":
		return m.runPolicySimulate(ctx, args[1:])
	}
	fmt.Fprintf(m.Stderr, "iamq policy: unknown subcommand %q\n%s", args[0], policyUsage)
	return ErrUsage
}
