package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/iamq/iamq/internal/analysis"
	"github.com/iamq/iamq/internal/catalog"
)

const policyDiffUsage = `Usage: iamq policy diff [--format text|json] OLD NEW

Compares two versions of an identity policy by meaning: per service, the
catalog actions the new version adds (+), removes (-) and grants under other
resources or conditions (~), with their access levels; additions of Write
or Permissions management are flagged (!); each loss comes with a request
the old version allows and the new one does not. Then whether the update
narrows (removes any access, for every action, also those not in today's
catalog) or widens the policy. OLD or NEW - reads standard input.
Exits 0, or 2 for a bad command line or a file that cannot be read or parsed.

Flags:
`

// runPolicyDiff runs 'iamq policy diff'.
func (m *Main) runPolicyDiff(_ context.Context, args []string) error {
	fs := flag.NewFlagSet("iamq policy diff", flag.ContinueOnError)
	format := fs.String("format", "text", "output format: text or json")
	if err := m.parseFlags(fs, args, policyDiffUsage); err != nil {
		return err
	}
	switch {
	case *format != "text" && *format != "json":
		return usagef("iamq policy diff: unknown --format %q (want text or json)", *format)
	case fs.NArg() != 2:
		return usagef("iamq policy diff: name two policy files, OLD and NEW (- reads standard input)")
	}
	oldDoc, err := m.readPolicy("iamq policy diff", fs.Arg(0))
	if err != nil {
		return err
	}
	newDoc, err := m.readPolicy("iamq policy diff", fs.Arg(1))
	if err != nil {
		return err
	}
	ch := analysis.Diff(oldDoc, newDoc, analysis.Options{})
	if *format == "json" {
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(ch)
	}
	return writeDiffText(m.Stdout, &ch)
}

// writeDiffText writes a diff for people: one block per service, then the
// action strings and both coverage results.
func writeDiffText(w io.Writer, ch *analysis.Changes) error {
	var b strings.Builder
	for _, s := range ch.Services {
		fmt.Fprintf(&b, "%s", s.Prefix)
		if s.Name != "" {
			fmt.Fprintf(&b, " (%s)", s.Name)
		}
		b.WriteString("\n")
		for _, a := range s.Added {
			mark := " "
			if a.Flagged {
				mark = "!"
			}
			fmt.Fprintf(&b, "  +%s %s  %s\n", mark, a.Action, levels(a.AccessLevels))
		}
		for _, a := range s.Removed {
			fmt.Fprintf(&b, "  -  %s  %s  lost: %s\n", a.Action, levels(a.AccessLevels), requestText(a.Request))
		}
		for _, a := range s.Changed {
			fmt.Fprintf(&b, "  ~  %s  %s", a.Action, levels(a.AccessLevels))
			if a.Request != nil {
				fmt.Fprintf(&b, "  lost: %s", requestText(a.Request))
			}
			b.WriteString("\n")
		}
		list(&b, "resources +", s.ResourcesAdded)
		list(&b, "resources -", s.ResourcesRemoved)
		list(&b, "conditions +", s.ConditionsAdded)
		list(&b, "conditions -", s.ConditionsRemoved)
	}
	if len(ch.ActionPatternsAdded)+len(ch.ActionPatternsRemoved) > 0 {
		b.WriteString("action strings\n")
		list(&b, "+", ch.ActionPatternsAdded)
		list(&b, "-", ch.ActionPatternsRemoved)
	}
	fmt.Fprintf(&b, "narrowed: %s\n", resultText(ch.Narrowed, "the new version allows every request the old one did"))
	fmt.Fprintf(&b, "widened: %s\n", resultText(ch.Widened, "the new version allows nothing the old one did not"))
	_, err := io.WriteString(w, b.String())
	return err
}

func list(b *strings.Builder, label string, xs []string) {
	if len(xs) > 0 {
		fmt.Fprintf(b, "  %s %s\n", label, strings.Join(xs, ", "))
	}
}

func levels(ls []catalog.AccessLevel) string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = string(l)
	}
	return "[" + strings.Join(out, ", ") + "]"
}
