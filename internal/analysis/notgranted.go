package analysis

import (
	"strings"

	"github.com/iamq/iamq/policy"
)

// Access is one entry of CheckAccessNotGranted's access list: actions
// and/or resources (patterns, as a policy writes them). No actions means
// any action; no resources means any resource.
type Access struct {
	Actions   []string
	Resources []string
}

// CheckAccessNotGranted reports whether doc grants none of access: for
// each entry, no Allow statement may grant one of its actions on one of its
// resources, unless an unconditional Deny statement of doc takes back all
// of the entry. Conditions of Allow statements are assumed satisfiable, so
// a FAIL may be a statement that only grants the access under a condition;
// it is never a PASS that is not proven.
func CheckAccessNotGranted(doc *policy.Document, typ PolicyType, access []Access) Outcome {
	probe := &policy.Document{}
	for _, a := range access {
		probe.Statements = append(probe.Statements, policy.Statement{Action: a.Actions, Resource: a.Resources})
	}
	if err := Complexity(doc, probe); err != nil {
		return tooComplex(err)
	}
	var reasons []Reason
	for _, a := range access {
		acts, ress := orStar(a.Actions), orStar(a.Resources)
		if deniedAll(doc, typ, acts, ress) {
			continue
		}
		for i := range doc.Statements {
			s := &doc.Statements[i]
			if !grantsSome(s, typ, acts, ress) {
				continue
			}
			reasons = append(reasons, Reason{Index: s.Index, Sid: s.Sid, Description: "The statement may grant " +
				describeAccess(a) + conditional(s) + "."})
		}
	}
	if len(reasons) == 0 {
		return Outcome{Result: Pass, Message: msgNotGrantedPass}
	}
	return Outcome{Result: Fail, Message: msgNotGrantedFail, Reasons: reasons}
}

func orStar(list []string) []string {
	if len(list) == 0 {
		return []string{"*"}
	}
	return list
}

func describeAccess(a Access) string {
	s := "access"
	if len(a.Actions) > 0 {
		s = strings.Join(a.Actions, ", ")
	}
	if len(a.Resources) > 0 {
		s += " on " + strings.Join(a.Resources, ", ")
	}
	return s
}

func conditional(s *policy.Statement) string {
	if len(s.Conditions) > 0 {
		return " (under its conditions)"
	}
	return ""
}

// grantsSome reports whether Allow statement s may allow one of acts on one
// of ress. A pattern with a policy variable may become anything.
func grantsSome(s *policy.Statement, typ PolicyType, acts, ress []string) bool {
	if s.Effect != policy.Allow || (s.Action == nil && s.NotAction == nil) {
		return false
	}
	if (typ == IdentityPolicy) != (s.Principal == nil && s.NotPrincipal == nil) {
		// An identity policy's statement with a Principal, or a resource
		// policy's without one, grants nothing.
		return false
	}
	return overlaps(s.Action, s.NotAction, acts, true) && overlaps(resourcesOrNil(s), s.NotResource, ress, false)
}

// resourcesOrNil is s's Resource list, "*" when it has neither Resource
// nor NotResource.
func resourcesOrNil(s *policy.Statement) []string {
	if s.NotResource != nil {
		return nil
	}
	return resources(s)
}

// overlaps reports whether some string matches one of want and is matched by
// the element (pats, or anything but notPats). Undecided is overlapping.
func overlaps(pats, notPats, want []string, fold bool) bool {
	wantL := newLang(accessWiden(want), fold)
	if notPats != nil {
		ok, _, decided := included(wantL, newLang(accessWiden(notPats), fold), "x")
		return !ok || !decided
	}
	ok, _, decided := disjoint(wantL, newLang(accessWiden(pats), fold), "x")
	return !ok || !decided
}

// widen reads a pattern with a policy variable as "*".
func accessWiden(pats []string) []string {
	out := make([]string, len(pats))
	for i, p := range pats {
		if strings.Contains(p, "${") {
			p = "*"
		}
		out[i] = p
	}
	return out
}

// deniedAll reports whether one unconditional Deny statement of doc denies
// every action of acts on every resource of ress (for every principal, in a
// resource policy).
func deniedAll(doc *policy.Document, typ PolicyType, acts, ress []string) bool {
	for i := range doc.Statements {
		d := &doc.Statements[i]
		if d.Effect != policy.Deny || len(d.Conditions) > 0 || d.NotPrincipal != nil {
			continue
		}
		if typ == IdentityPolicy && d.Principal != nil || typ != IdentityPolicy && (d.Principal == nil || principalKey(d.Principal) != "*") {
			continue
		}
		if accessCovered(d.Action, d.NotAction, acts, true) && accessCovered(resourcesOrNil(d), d.NotResource, ress, false) {
			return true
		}
	}
	return false
}

// covered reports whether every string matching want is matched by the
// element (pats, or anything but notPats), proven.
func accessCovered(pats, notPats, want []string, fold bool) bool {
	for _, p := range append(append([]string(nil), pats...), notPats...) {
		if strings.Contains(p, "${") {
			return false
		}
	}
	wantL := newLang(accessWiden(want), fold)
	if notPats != nil {
		ok, _, decided := disjoint(wantL, newLang(notPats, fold), "x")
		return ok && decided
	}
	if pats == nil {
		return false
	}
	ok, _, decided := included(wantL, newLang(pats, fold), "x")
	return ok && decided
}
