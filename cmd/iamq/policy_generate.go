package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"time"

	"github.com/iamq/iamq/internal/analysis"
	"github.com/iamq/iamq/internal/audit"
	"github.com/iamq/iamq/internal/store"
)

const policyGenerateUsage = `Usage: iamq policy generate --principal ARN [--since T] [flags]

Writes a least-privilege identity policy from the decision log that 'iamq
serve' keeps: the actions the principal's calls were authorized for (allowed,
denied, or let through by --enforce=soft), grouped per service, with
resources as specific as the calls named them (a pattern when there were
many). It proves, with the same coverage check as 'iamq policy' analysis,
that the policy allows every logged call, and says so on standard error; it
exits 1 when it cannot. The principal is a user's or role's ARN (every
session of the role), or one assumed-role session's ARN.
`

func (m *Main) runPolicyGenerate(ctx context.Context, args []string) error {
	cfg := &serveConfig{}
	fs := flag.NewFlagSet("iamq policy generate", flag.ContinueOnError)
	storeFlags(fs, cfg, m.Getenv)
	var principal, since string
	var collapse int
	fs.StringVar(&principal, "principal", "", "the `ARN` of a user, a role, or an assumed-role session")
	fs.StringVar(&since, "since", "", "only calls from this time: a duration before now (24h) or an RFC 3339 time (default: the whole log)")
	fs.IntVar(&collapse, "collapse", analysis.DefaultCollapse, "an action that named more resources than this gets one pattern")
	if err := m.parseFlags(fs, args, policyGenerateUsage); err != nil {
		return err
	}
	from, err := generateFlags(fs, principal, since, collapse, time.Now())
	if err != nil {
		return err
	}
	st, _, err := openExistingStore(ctx, cfg, newLogger(m.Stderr, "text", slog.LevelWarn))
	if err != nil {
		return err
	}
	defer st.Close()
	calls, complete, err := audit.PrincipalCalls(ctx, st, principal, from, time.Time{})
	if err != nil {
		return err
	}
	if len(calls) == 0 {
		return fmt.Errorf("the decision log holds no authorized call of %s%s", principal, sinceText(since))
	}
	in := make([]analysis.Call, len(calls))
	for i, c := range calls {
		in[i] = analysis.Call{Action: c.Action, Resource: c.Resource}
	}
	g, err := analysis.Generate(in, analysis.GenerateOptions{Collapse: collapse})
	if err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, g.Text)
	if !complete {
		fmt.Fprintf(m.Stderr, "iamq: only the newest %d records were read: narrow --since to cover the rest\n", store.MaxAuditLimit)
	}
	if g.Proof.Verdict != analysis.Proven {
		fmt.Fprintf(m.Stderr, "iamq: NOT PROVEN that the policy allows every logged call (%s): %s\n", g.Proof.Verdict, g.Proof.Reason)
		return exitStatus(1)
	}
	fmt.Fprintf(m.Stderr, "proven: the policy allows every one of the %d logged calls (%d distinct)\n", len(calls), g.Calls)
	return nil
}

// generateFlags checks the flags and returns the time the calls are read
// from.
func generateFlags(fs *flag.FlagSet, principal, since string, collapse int, now time.Time) (time.Time, error) {
	if fs.NArg() > 0 {
		return time.Time{}, usagef("iamq policy generate: unexpected argument %q: the principal is given with --principal", fs.Arg(0))
	}
	if _, err := audit.PrincipalQuery(principal, time.Time{}, time.Time{}); err != nil {
		return time.Time{}, usagef("iamq policy generate: --principal must be the ARN of a user, a role or an assumed-role session, not %q", principal)
	}
	if collapse < 1 {
		return time.Time{}, usagef("iamq policy generate: --collapse must be at least 1")
	}
	from, err := parseWhen(since, now)
	if err != nil {
		return time.Time{}, usagef("iamq policy generate: --since: %v", err)
	}
	return from, nil
}

func sinceText(since string) string {
	if since == "" {
		return ""
	}
	return " since " + since
}
