package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/iamq/iamq/internal/analysis"
	"github.com/iamq/iamq/policy"
)

const policyCoversUsage = `Usage: iamq policy covers [--format text|json] A B

Checks whether identity policy B allows every request identity policy A
allows (for the same principal), offline: "proven" (for every action, also
those not in today's catalog, every resource and every context), a
"counterexample" (a request A allows and B does not, confirmed by iamq's
evaluation engine) or "unknown" with the reason. A or B - reads standard input.
Exits 0 when proven, 1 for a counterexample, 3 when unknown, and 2 for a bad
command line or a file that cannot be read or parsed.

Flags:
`

// runPolicyCovers runs 'iamq policy covers'.
func (m *Main) runPolicyCovers(_ context.Context, args []string) error {
	fs := flag.NewFlagSet("iamq policy covers", flag.ContinueOnError)
	format := fs.String("format", "text", "output format: text or json")
	if err := m.parseFlags(fs, args, policyCoversUsage); err != nil {
		return err
	}
	switch {
	case *format != "text" && *format != "json":
		return usagef("iamq policy covers: unknown --format %q (want text or json)", *format)
	case fs.NArg() != 2:
		return usagef("iamq policy covers: name two policy files, A and B (- reads standard input)")
	}
	a, err := m.readPolicy("iamq policy covers", fs.Arg(0))
	if err != nil {
		return err
	}
	b, err := m.readPolicy("iamq policy covers", fs.Arg(1))
	if err != nil {
		return err
	}
	r := analysis.Covers(a, b, analysis.Options{})
	if *format == "json" {
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(r); err != nil {
			return err
		}
	} else if _, err := fmt.Fprintln(m.Stdout, resultText(r, "B allows every request A allows")); err != nil {
		return err
	}
	switch r.Verdict {
	case analysis.Proven:
		return nil
	case analysis.Counterexample:
		return exitStatus(1)
	}
	return exitStatus(3)
}

// readPolicy reads and parses the policy file name ("-" is standard input);
// a file that cannot be read or parsed is a usage error of cmd.
func (m *Main) readPolicy(cmd, name string) (*policy.Document, error) {
	var r io.Reader = m.Stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, usagef("%s: %v", cmd, err)
		}
		defer f.Close()
		r = f
	}
	d, err := policy.ParseReader(r)
	if err != nil {
		return nil, usagef("%s: %s: %v", cmd, name, err)
	}
	return d, nil
}

// resultText renders a coverage result on one line: the verdict, then the
// counterexample request or the reason.
func resultText(r analysis.Result, proven string) string {
	switch r.Verdict {
	case analysis.Proven:
		return "proven: " + proven
	case analysis.Counterexample:
		return "counterexample: " + requestText(r.Request) + " (" + r.Reason + ")"
	}
	return "unknown: " + r.Reason
}

// requestText renders a request as "action on resource [key=v1,v2 …]".
func requestText(q *analysis.Request) string {
	if q == nil {
		return "(none)"
	}
	s := q.Action + " on " + q.Resource
	for _, kv := range q.Context {
		s += " " + kv.Key + "=" + strings.Join(kv.Values, ",")
	}
	return s
}
