package analysis

import (
	"fmt"
	"strings"

	"github.com/iamq/iamq/internal/catalog"
	"github.com/iamq/iamq/policy"
)

// Verdict is the answer of [Covers].
type Verdict uint8

// The verdicts.
const (
	// Unknown: the analysis could not decide; Result.Reason says why.
	Unknown Verdict = iota
	// Proven: every request the first policy allows, the second allows too.
	Proven
	// Counterexample: Result.Request is allowed by the first policy and not
	// by the second, as eval decided.
	Counterexample
)

var verdictNames = [...]string{"unknown", "proven", "counterexample"}

// MarshalText writes the verdict's name, as String does.
func (v Verdict) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

// UnmarshalText reads a verdict's name.
func (v *Verdict) UnmarshalText(b []byte) error {
	for i, n := range verdictNames {
		if string(b) == n {
			*v = Verdict(i)
			return nil
		}
	}
	return fmt.Errorf("analysis: unknown verdict %q", b)
}

// String returns "unknown", "proven" or "counterexample".
func (v Verdict) String() string {
	if int(v) < len(verdictNames) {
		return verdictNames[v]
	}
	return fmt.Sprintf("Verdict(%d)", v)
}

// KeyValues is one context key of a counterexample request with its values
// (strings, which each operator parses as it reads them).
type KeyValues struct {
	Key    string   `json:"key"`
	Values []string `json:"values"`
}

// Request is a concrete request of a counterexample, made by the principal
// [Options.Principal] names.
type Request struct {
	Action   string      `json:"action"`
	Resource string      `json:"resource"`
	Context  []KeyValues `json:"context,omitempty"`
}

// Result is the answer of [Covers].
type Result struct {
	Verdict Verdict `json:"verdict"`
	// Request is the counterexample, when Verdict is Counterexample.
	Request *Request `json:"request,omitempty"`
	// Reason says why the answer is Unknown (or, for a counterexample, which
	// statement of A it comes from).
	Reason string `json:"reason,omitempty"`
}

// Options configure [Covers]. The zero value uses the embedded catalog.
type Options struct {
	// Catalog supplies real action names for counterexamples; nil means
	// catalog.Embedded().
	Catalog *catalog.Catalog
}

// Covers reports whether identity policy b allows every request identity
// policy a allows, for the same principal: Proven only when that holds for
// every action (those not in today's catalog too), resource and context; a
// Counterexample confirmed by eval; or Unknown with the reason.
//
// Action and Resource patterns (and NotAction and NotResource, as their
// complements) are compared as languages, the way eval matches them (IAM
// User Guide: "IAM JSON policy elements: Action", "…: NotAction", "…:
// Resource", "…: NotResource"). A statement of A is covered by statements of
// B whose conditions are each implied by one of its own (cond.go). B's Deny
// statements must be disjoint from what A allows, by action, by resource or
// by a condition of A that rules one of theirs out. Policy variables are
// widened to '*' where that only makes A larger or B's denies larger, and
// otherwise must be written alike on both sides.
func Covers(a, b *policy.Document, opts Options) Result {
	if a == nil || b == nil {
		return Result{Reason: "a policy has no document"}
	}
	if opts.Catalog == nil {
		opts.Catalog = catalog.Embedded()
	}
	c := newChecker(a, b, opts)
	var gaps []gap
	for i := range a.Statements {
		s := &a.Statements[i]
		if allows(s) {
			gaps = append(gaps, c.stmtGaps(s)...)
		}
	}
	if len(gaps) == 0 {
		return Result{Verdict: Proven}
	}
	reason := fmt.Sprintf("Statement[%d]: %s", gaps[0].s.Index, gaps[0].reason)
	if req := c.counterexample(gaps); req != nil {
		return Result{Verdict: Counterexample, Request: req, Reason: reason}
	}
	return Result{Reason: reason}
}

// Comparison is the answer of [Compare]: coverage in both directions.
type Comparison struct {
	// AInB is Covers(a, b): b allows everything a allows.
	AInB Result
	// BInA is Covers(b, a).
	BInA Result
}

// Equivalent is Proven when both directions are, Counterexample when either
// direction has one (its request then tells the two apart), else Unknown.
func (c Comparison) Equivalent() Verdict {
	switch {
	case c.AInB.Verdict == Proven && c.BInA.Verdict == Proven:
		return Proven
	case c.AInB.Verdict == Counterexample || c.BInA.Verdict == Counterexample:
		return Counterexample
	}
	return Unknown
}

// Compare checks coverage in both directions: whether a and b allow the same
// requests, and if not, which allows what the other does not.
func Compare(a, b *policy.Document, opts Options) Comparison {
	return Comparison{AInB: Covers(a, b, opts), BInA: Covers(b, a, opts)}
}

// allows reports whether s can allow anything in an identity policy: eval
// never lets a statement with an unknown Effect, no Action or a Principal
// allow.
func allows(s *policy.Statement) bool {
	return s.Effect == policy.Allow && (s.Action != nil || s.NotAction != nil) &&
		s.Principal == nil && s.NotPrincipal == nil
}

// resources returns a statement's Resource list; eval reads a statement with
// neither Resource nor NotResource as covering every resource.
func resources(s *policy.Statement) []string {
	if s.Resource == nil && s.NotResource == nil {
		return []string{"*"}
	}
	return s.Resource
}

// hasVar reports whether pattern p holds a policy variable in a document
// that substitutes them.
func hasVar(d *policy.Document, p string) bool {
	return d.Version.Variables() && strings.Contains(p, "${")
}

// isStars reports whether pattern p matches every string.
func isStars(p string) bool { return p != "" && strings.Trim(p, "*") == "" }
