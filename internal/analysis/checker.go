package analysis

import (
	"fmt"
	"strings"

	"github.com/iamq/iamq/policy"
)

// checker holds both policies of one Covers call, with B's statements read
// once.
type checker struct {
	a, b   *policy.Document
	opts   Options
	allow  []bStmt
	denies []dStmt
	// same holds the text of B's Allow statements (statementKey): an A
	// statement written the same way is allowed by it whole.
	same map[string]bool
	// resMemo remembers resCovered's answers: statements repeat resource
	// patterns.
	resMemo map[string]bool
}

// anyGlob reports whether one of patterns matches s, case-sensitively, as
// eval matches resources.
func anyGlob(patterns []string, s string) bool {
	for _, p := range patterns {
		if langAccepts(newLang([]string{p}, false), s, false) {
			return true
		}
	}
	return false
}

// bStmt is an Allow statement of B: what it grants, under-approximated
// where policy variables make it uncertain.
type bStmt struct {
	st  *policy.Statement
	act patSet
	res patSet
	// folded holds its Action patterns in lower case, for the common case
	// of an A pattern written the same way.
	folded map[string]bool
}

// dStmt is a Deny statement of B, over-approximated where policy variables
// make it uncertain.
type dStmt struct {
	st       *policy.Statement
	act, res patSet
}

func newChecker(a, b *policy.Document, opts Options) *checker {
	c := &checker{a: a, b: b, opts: opts, same: map[string]bool{}, resMemo: map[string]bool{}}
	aDenies := map[string]bool{}
	for i := range a.Statements {
		if s := &a.Statements[i]; s.Effect == policy.Deny {
			aDenies[statementKey(s)] = true
		}
	}
	for i := range b.Statements {
		t := &b.Statements[i]
		switch {
		case allows(t):
			bs := bStmt{st: t, act: actionSet(t), res: c.bResources(t)}
			if t.Action != nil {
				bs.folded = make(map[string]bool, len(t.Action))
				for _, p := range t.Action {
					bs.folded[strings.ToLower(p)] = true
				}
			}
			c.allow = append(c.allow, bs)
			c.same[statementKey(t)] = true
		case t.Effect == policy.Deny && aDenies[statementKey(t)] && a.Version == b.Version:
			// A has the same Deny: whatever it takes from B, it takes
			// from A too.
		case t.Effect == policy.Deny && (t.Action != nil || t.NotAction != nil):
			c.denies = append(c.denies, dStmt{st: t, act: actionSet(t), res: c.denyResources(t)})
		}
	}
	return c
}

// statementKey renders what statement s says, Sid and place aside.
func statementKey(s *policy.Statement) string {
	var sb strings.Builder
	sb.WriteString(string(s.Effect))
	if s.Principal != nil || s.NotPrincipal != nil {
		fmt.Fprintf(&sb, "|P%v|%v", s.Principal, s.NotPrincipal)
	}
	fmt.Fprintf(&sb, "|A%q|NA%q|R%q|NR%q|", s.Action, s.NotAction, s.Resource, s.NotResource)
	for _, c := range sortedConditions(s) {
		sb.WriteString(c)
		sb.WriteByte(';')
	}
	return sb.String()
}

func actionSet(s *policy.Statement) patSet {
	if s.NotAction != nil {
		return patSet{pats: s.NotAction, not: true}
	}
	return patSet{pats: s.Action}
}

// bResources returns the resources B's Allow statement t surely grants:
// its Resource patterns without policy variables, or the complement of its
// NotResource patterns with each variable widened.
func (c *checker) bResources(t *policy.Statement) patSet {
	if t.NotResource != nil {
		out := make([]string, len(t.NotResource))
		for i, r := range t.NotResource {
			out[i] = c.widenIn(c.b, r)
		}
		return patSet{pats: out, not: true}
	}
	var out []string
	for _, r := range resources(t) {
		if !hasVar(c.b, r) {
			out = append(out, r)
		}
	}
	return patSet{pats: out}
}

// denyResources returns every resource B's Deny statement d may apply to.
func (c *checker) denyResources(d *policy.Statement) patSet {
	if d.NotResource != nil {
		var out []string
		for _, r := range d.NotResource {
			if !hasVar(c.b, r) {
				out = append(out, r)
			}
		}
		return patSet{pats: out, not: true}
	}
	rs := resources(d)
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = c.widenIn(c.b, r)
	}
	return patSet{pats: out}
}

func (c *checker) widenIn(d *policy.Document, p string) string {
	if hasVar(d, p) {
		return widen(p)
	}
	return p
}

// unit is a part of an A statement's actions or resources checked on its
// own: one pattern, or a whole NotAction or NotResource element.
type unit struct {
	set patSet
	// raw is the pattern as written, when it holds a policy variable.
	raw string
}

func actionUnits(s *policy.Statement) []unit {
	if s.NotAction != nil {
		return []unit{{set: patSet{pats: s.NotAction, not: true}}}
	}
	out := make([]unit, len(s.Action))
	for i, p := range s.Action {
		out[i] = unit{set: patSet{pats: []string{p}}}
	}
	return out
}

// resourceUnits returns the resources A's statement s may apply to,
// over-approximated: variables widened, NotResource patterns with variables
// left out.
func (c *checker) resourceUnits(s *policy.Statement) []unit {
	if s.NotResource != nil {
		var out []string
		for _, r := range s.NotResource {
			if !hasVar(c.a, r) {
				out = append(out, r)
			}
		}
		return []unit{{set: patSet{pats: out, not: true}}}
	}
	rs := resources(s)
	out := make([]unit, len(rs))
	for i, r := range rs {
		out[i] = unit{set: patSet{pats: []string{r}}}
		if hasVar(c.a, r) {
			out[i] = unit{set: patSet{pats: []string{widen(r)}}, raw: r}
		}
	}
	return out
}

// gap is a part of an A statement not proven allowed by B: its actions and
// resources, and why.
type gap struct {
	s        *policy.Statement
	act, res unit
	deny     *dStmt // set when the gap is a Deny of B that may apply
	reason   string
}

// stmtGaps returns the parts of A's Allow statement s not proven allowed by
// B (nil: all of s is).
func (c *checker) stmtGaps(s *policy.Statement) []gap {
	var cands []*bStmt
	for i := range c.allow {
		if c.condImplies(s, c.allow[i].st) {
			cands = append(cands, &c.allow[i])
		}
	}
	acts := actionUnits(s)
	same := c.same[statementKey(s)] && c.a.Version == c.b.Version
	var gaps []gap
	for _, r := range c.resourceUnits(s) {
		if same {
			for _, a := range acts {
				if d := c.denyMeeting(s, a, r); d != nil {
					gaps = append(gaps, gap{s: s, act: a, res: r, deny: d, reason: fmt.Sprintf("B's Deny Statement[%d] may apply to %s on %s", d.st.Index, describe(a, "action"), describe(r, "resource"))})
				}
			}
			continue
		}
		var covR []*bStmt
		for _, t := range cands {
			if c.resCovered(r, t) {
				covR = append(covR, t)
			}
		}
		ys, folded, all := actionUnion(covR)
		for _, a := range acts {
			if !quickCovered(a, folded, all) {
				if ok, _, _ := covered(a.set, nil, ys, true); !ok && !c.resourcesCover(a, r, cands) {
					gaps = append(gaps, gap{s: s, act: a, res: r, reason: fmt.Sprintf("%s on %s is not proven allowed by B", describe(a, "action"), describe(r, "resource"))})
					continue
				}
			}
			if d := c.denyMeeting(s, a, r); d != nil {
				gaps = append(gaps, gap{s: s, act: a, res: r, deny: d, reason: fmt.Sprintf("B's Deny Statement[%d] may apply to %s on %s", d.st.Index, describe(a, "action"), describe(r, "resource"))})
			}
		}
	}
	return gaps
}

func describe(u unit, what string) string {
	switch {
	case u.raw != "":
		return fmt.Sprintf("%s %q", what, u.raw)
	case u.set.not:
		return fmt.Sprintf("every %s but %q", what, u.set.pats)
	case len(u.set.pats) == 1:
		return fmt.Sprintf("%s %q", what, u.set.pats[0])
	}
	return fmt.Sprintf("%s %q", what, u.set.pats)
}

// actionUnion returns the action sets of ts, their Action patterns in lower
// case, and whether one of them grants every action.
func actionUnion(ts []*bStmt) (ys []patSet, folded map[string]bool, all bool) {
	folded = map[string]bool{}
	for _, t := range ts {
		ys = append(ys, t.act)
		for p := range t.folded {
			folded[p] = true
			all = all || isStars(p)
		}
	}
	return ys, folded, all
}

// quickCovered reports whether action unit a is written among the folded
// patterns, or within a whole service's "prefix:*" among them.
func quickCovered(a unit, folded map[string]bool, all bool) bool {
	if all {
		return true
	}
	if a.set.not || len(a.set.pats) != 1 {
		return false
	}
	p := strings.ToLower(a.set.pats[0])
	if folded[p] {
		return true
	}
	svc, _, ok := strings.Cut(p, ":")
	return ok && !strings.ContainsAny(svc, "*?") && folded[svc+":*"]
}

// resCovered reports whether B's statement t grants every resource of unit
// r. A pattern with policy variables is covered by one that matches every
// string, by the same text in a document that substitutes them too, or
// through its widened form.
func (c *checker) resCovered(r unit, t *bStmt) bool {
	if r.raw != "" && t.st.NotResource == nil && c.b.Version.Variables() {
		for _, p := range resources(t.st) {
			if p == r.raw {
				return true
			}
		}
	}
	if !t.res.not && !r.set.not {
		for _, p := range t.res.pats {
			if isStars(p) || len(r.set.pats) == 1 && p == r.set.pats[0] {
				return true
			}
		}
	}
	if !r.set.not && len(r.set.pats) == 1 && !strings.ContainsAny(r.set.pats[0], "*?") {
		// One literal resource: covered exactly when t's patterns take it.
		return anyGlob(t.res.pats, r.set.pats[0]) != t.res.not
	}
	key := fmt.Sprintf("%q|%v|%p", r.set.pats, r.set.not, t)
	if ok, seen := c.resMemo[key]; seen {
		return ok
	}
	ok, _, _ := covered(r.set, nil, []patSet{t.res}, false)
	c.resMemo[key] = ok
	return ok
}

// resourcesCover reports whether the candidates that grant every action of
// unit a together grant every resource of unit r.
func (c *checker) resourcesCover(a, r unit, cands []*bStmt) bool {
	var ress []patSet
	for _, t := range cands {
		if ok, _, _ := covered(a.set, nil, []patSet{t.act}, true); ok {
			ress = append(ress, t.res)
		}
	}
	if len(ress) == 0 {
		return false
	}
	ok, _, _ := covered(r.set, nil, ress, false)
	return ok
}

// denyMeeting returns a Deny statement of B that may apply to a request of
// A's statement s with an action of a and a resource of r, or nil.
func (c *checker) denyMeeting(s *policy.Statement, a, r unit) *dStmt {
	for i := range c.denies {
		d := &c.denies[i]
		if dis, _, _ := meets(a.set, d.act, true); dis {
			continue
		}
		if dis, _, _ := meets(r.set, d.res, false); dis {
			continue
		}
		if c.condExcludes(s, d.st) {
			continue
		}
		return d
	}
	return nil
}
