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
	Key    string
	Values []string
}

// Request is a concrete request of a counterexample, made by the principal
// [Options.Principal] names.
type Request struct {
	Action   string
	Resource string
	Context  []KeyValues
}

// Result is the answer of [Covers].
type Result struct {
	Verdict Verdict
	// Request is the counterexample, when Verdict is Counterexample.
	Request *Request
	// Reason says why the answer is Unknown (or, for a counterexample, which
	// statement of A it comes from).
	Reason string
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
// Action and Resource patterns are compared as languages, the way eval
// matches them (IAM User Guide: "IAM JSON policy elements: Action", "…:
// Resource"). A statement of A is covered by statements of B whose
// conditions are each implied by one of its own (see condImplies). B's Deny
// statements must be disjoint from what A allows, by action or by resource.
// NotAction and NotResource in A's Allow statements, and policy variables
// that are not written alike on both sides, are not reasoned about yet: they
// make the answer Unknown unless a counterexample is found.
func Covers(a, b *policy.Document, opts Options) Result {
	if a == nil || b == nil {
		return Result{Reason: "a policy has no document"}
	}
	if opts.Catalog == nil {
		opts.Catalog = catalog.Embedded()
	}
	c := &checker{a: a, b: b, opts: opts}
	reason := ""
	for i := range a.Statements {
		s := &a.Statements[i]
		if !allows(s) {
			continue
		}
		if r := c.stmtCovered(s); r != "" && reason == "" {
			reason = fmt.Sprintf("Statement[%d]: %s", s.Index, r)
		}
	}
	if reason == "" {
		return Result{Verdict: Proven}
	}
	if req := c.counterexample(); req != nil {
		return Result{Verdict: Counterexample, Request: req, Reason: reason}
	}
	return Result{Reason: reason}
}

type checker struct {
	a, b *policy.Document
	opts Options
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

// stmtCovered returns "" when every request statement s of A can allow is
// allowed by B, or why that is not proven.
func (c *checker) stmtCovered(s *policy.Statement) string {
	if s.NotAction != nil {
		return "NotAction in A is not reasoned about yet"
	}
	if s.NotResource != nil {
		return "NotResource in A is not reasoned about yet"
	}
	for _, act := range s.Action {
		for _, res := range resources(s) {
			if r := c.pairAllowed(s, act, res); r != "" {
				return r
			}
			if r := c.pairNotDenied(act, res); r != "" {
				return r
			}
		}
	}
	return ""
}

// pairAllowed returns "" when B's Allow statements allow every request of
// statement s with an action matching act and a resource matching res.
func (c *checker) pairAllowed(s *policy.Statement, act, res string) string {
	var cands []*policy.Statement
	for i := range c.b.Statements {
		t := &c.b.Statements[i]
		if allows(t) && t.Action != nil && t.NotResource == nil && c.condImplies(s, t) {
			cands = append(cands, t)
		}
	}
	actL := newLang([]string{act}, true)
	// Either the B statements that cover all of res together cover act, or
	// those that cover all of act together cover res.
	var acts, ress []string
	for _, t := range cands {
		if c.resIncluded(res, resources(t)) {
			acts = append(acts, t.Action...)
		}
		if ok, _, _ := included(actL, newLang(t.Action, true), "x"); ok {
			ress = append(ress, c.plainResources(t)...)
		}
	}
	if ok, _, _ := included(actL, newLang(acts, true), "x"); ok {
		return ""
	}
	if !hasVar(c.a, res) {
		if ok, _, _ := included(newLang([]string{res}, false), newLang(ress, false), "x"); ok {
			return ""
		}
	}
	return fmt.Sprintf("action %q on resource %q is not proven allowed by B", act, res)
}

// plainResources returns t's Resource patterns without policy variables.
func (c *checker) plainResources(t *policy.Statement) []string {
	var out []string
	for _, r := range resources(t) {
		if !hasVar(c.b, r) {
			out = append(out, r)
		}
	}
	return out
}

// resIncluded reports whether every resource res matches (for every request)
// matches one of B's patterns. A pattern with policy variables is covered
// only by the same text in a document that substitutes them too.
func (c *checker) resIncluded(res string, bres []string) bool {
	if hasVar(c.a, res) {
		for _, r := range bres {
			// A variable renders to any text; only "*" (or "**"…) takes it
			// all, or the same text rendered the same way.
			if r != "" && strings.Trim(r, "*") == "" || r == res && c.b.Version.Variables() {
				return true
			}
		}
		return false
	}
	var plain []string
	for _, r := range bres {
		if !hasVar(c.b, r) {
			plain = append(plain, r)
		}
	}
	ok, _, _ := included(newLang([]string{res}, false), newLang(plain, false), "x")
	return ok
}

// pairNotDenied returns "" when no Deny statement of B applies to a request
// with an action matching act and a resource matching res.
func (c *checker) pairNotDenied(act, res string) string {
	actL := newLang([]string{act}, true)
	for i := range c.b.Statements {
		d := &c.b.Statements[i]
		if d.Effect != policy.Deny || (d.Action == nil && d.NotAction == nil) {
			continue
		}
		if d.Action != nil {
			if ok, _, _ := disjoint(actL, newLang(d.Action, true), "x"); ok {
				continue
			}
		} else if ok, _, _ := included(actL, newLang(d.NotAction, true), "x"); ok {
			continue
		}
		if c.resDisjoint(res, d) {
			continue
		}
		return fmt.Sprintf("B's Deny Statement[%d] may apply to action %q on resource %q", d.Index, act, res)
	}
	return ""
}

// resDisjoint reports whether Deny statement d of B applies to no resource
// that res matches. A pattern with a policy variable can become anything.
func (c *checker) resDisjoint(res string, d *policy.Statement) bool {
	if hasVar(c.a, res) {
		return false
	}
	resL := newLang([]string{res}, false)
	if d.NotResource != nil {
		ok, _, _ := included(resL, newLang(c.plainOf(d.NotResource), false), "x")
		return ok
	}
	pats := resources(d)
	for _, r := range pats {
		if hasVar(c.b, r) {
			return false
		}
	}
	ok, _, _ := disjoint(resL, newLang(pats, false), "x")
	return ok
}

func (c *checker) plainOf(pats []string) []string {
	var out []string
	for _, r := range pats {
		if !hasVar(c.b, r) {
			out = append(out, r)
		}
	}
	return out
}
