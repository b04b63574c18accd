package analysis

import (
	"fmt"
	"slices"
	"strings"

	"github.com/iamq/iamq/internal/catalog"
	"github.com/iamq/iamq/policy"
)

// This file holds Access Analyzer's custom policy checks, offline:
// CheckNoNewAccess and CheckAccessNotGranted (CheckNoPublicAccess is in
// public.go). Each answers PASS only when it is proven; whatever the
// analysis cannot decide is a FAIL that says why (IAM User Guide, "IAM
// Access Analyzer custom policy checks").

// CheckResult is a custom check's answer.
type CheckResult string

// The two answers.
const (
	Pass CheckResult = "PASS"
	Fail CheckResult = "FAIL"
)

// Reason is why a check failed: a statement of the policy checked (Index,
// from 0, and its Sid) and what it grants. Index is -1 for a reason that is
// about no one statement.
type Reason struct {
	Description string
	Index       int
	Sid         string
}

// Outcome is the answer of a custom check.
type Outcome struct {
	Result  CheckResult
	Message string
	Reasons []Reason
}

// The messages of the custom checks.
const (
	msgNoNewAccessPass   = "The updated policy grants no access that the existing policy does not grant."
	msgNoNewAccessFail   = "The updated policy may grant new access compared to the existing policy."
	msgNotGrantedPass    = "The policy does not grant the specified access."
	msgNotGrantedFail    = "The policy may grant the specified access."
	msgNoPublicPass      = "The resource policy does not grant public access for the resource type."
	msgNoPublicFail      = "The resource policy may grant public access for the resource type."
	maxStatementsChecked = 1000
)

// CheckNoNewAccess reports whether updated grants only access that
// existing grants (typ IdentityPolicy or ResourcePolicy). PASS means
// [Covers] proved it; a FAIL names each statement of updated that may
// grant new access, with the request that shows it (a counterexample) or
// the reason the analysis could not decide.
func CheckNoNewAccess(existing, updated *policy.Document, typ PolicyType, opts Options) Outcome {
	if err := Complexity(existing, updated); err != nil {
		return tooComplex(err)
	}
	if opts.Catalog == nil {
		// Decoded once for every statement's comparison.
		opts.Catalog = catalog.Embedded()
	}
	var reasons []Reason
	if typ == ResourcePolicy {
		reasons = newAccessByPrincipal(existing, updated, opts)
	} else {
		reasons = newAccess(existing, updated, updated.Statements, opts)
	}
	if len(reasons) == 0 {
		return Outcome{Result: Pass, Message: msgNoNewAccessPass}
	}
	return Outcome{Result: Fail, Message: msgNoNewAccessFail, Reasons: reasons}
}

// newAccess returns a reason for each of stmts (statements of updated)
// whose access existing is not proven to grant. Covers proves a policy
// statement by statement, so updated is proven covered exactly when each
// of its statements is.
func newAccess(existing, updated *policy.Document, stmts []policy.Statement, opts Options) []Reason {
	var reasons []Reason
	for i := range stmts {
		s := stmts[i]
		if !allows(&s) {
			continue
		}
		if len(reasons) == maxStatementsChecked {
			break
		}
		one := &policy.Document{Version: updated.Version, Statements: []policy.Statement{s}}
		if r := Covers(one, existing, opts); r.Verdict != Proven {
			reasons = append(reasons, Reason{Description: describeCheck(r), Index: s.Index, Sid: s.Sid})
		}
	}
	return reasons
}

// describe says what a Result that is not Proven found.
func describeCheck(r Result) string {
	if r.Verdict == Counterexample && r.Request != nil {
		s := fmt.Sprintf("New access: %s on %s", r.Request.Action, r.Request.Resource)
		for _, kv := range r.Request.Context {
			s += fmt.Sprintf(" with %s=%s", kv.Key, strings.Join(kv.Values, ","))
		}
		return s + " is allowed by the updated policy and not by the existing one."
	}
	return "Not proven to grant no new access (" + r.Reason + "): iamq answers FAIL when it cannot decide."
}

// newAccessByPrincipal compares resource policies principal by principal:
// the statements of updated that name a principal must be covered by the
// statements of existing that name the same principal, or every principal
// ("*"). Existing's Deny statements count for every principal, which can
// only make a PASS harder. NotPrincipal in an Allow of updated is not
// reasoned about.
func newAccessByPrincipal(existing, updated *policy.Document, opts Options) []Reason {
	groups := map[string][]policy.Statement{}
	var order []string
	var reasons []Reason
	for _, s := range updated.Statements {
		if s.Effect != policy.Allow {
			continue
		}
		if s.NotPrincipal != nil || s.Principal == nil {
			reasons = append(reasons, Reason{Index: s.Index, Sid: s.Sid,
				Description: "Not proven to grant no new access (NotPrincipal, or no Principal, is not reasoned about): iamq answers FAIL when it cannot decide."})
			continue
		}
		k := principalKey(s.Principal)
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], stripPrincipal(s))
	}
	for _, k := range order {
		var b []policy.Statement
		for _, s := range existing.Statements {
			switch {
			case s.Effect == policy.Deny:
				b = append(b, stripPrincipal(s))
			case s.Effect == policy.Allow && s.Principal != nil && s.NotPrincipal == nil &&
				(principalKey(s.Principal) == k || principalKey(s.Principal) == "*"):
				b = append(b, stripPrincipal(s))
			}
		}
		ex := &policy.Document{Version: existing.Version, Statements: b}
		reasons = append(reasons, newAccess(ex, updated, groups[k], opts)...)
	}
	slices.SortStableFunc(reasons, func(a, b Reason) int { return a.Index - b.Index })
	return reasons
}

// principalKey is a principal in one canonical text: "*" for everyone.
func principalKey(p *policy.Principal) string {
	if p.Wildcard || slices.Contains(p.AWS, "*") {
		return "*"
	}
	var parts []string
	for _, e := range []struct {
		name string
		vs   []string
	}{{"AWS", p.AWS}, {"Service", p.Service}, {"Federated", p.Federated}, {"CanonicalUser", p.CanonicalUser}} {
		vs := slices.Clone(e.vs)
		slices.Sort(vs)
		parts = append(parts, e.name+"="+strings.Join(slices.Compact(vs), ","))
	}
	return strings.Join(parts, ";")
}

// stripPrincipal returns s as an identity policy's statement.
func stripPrincipal(s policy.Statement) policy.Statement {
	s.Principal, s.NotPrincipal = nil, nil
	return s
}

// Prepare returns the options of ValidatePolicy and of the comparisons with
// the embedded catalog decoded once, to keep for many calls (a server's):
// their zero values decode it on every call. Catalogs already set are kept.
func Prepare(v ValidateOptions, c Options) (ValidateOptions, Options) {
	if v.Catalog == nil || c.Catalog == nil {
		cat := catalog.Embedded()
		if v.Catalog == nil {
			v.Catalog = cat
		}
		if c.Catalog == nil {
			c.Catalog = cat
		}
	}
	return v, c
}
