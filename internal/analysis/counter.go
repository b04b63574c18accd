package analysis

import (
	"fmt"
	"strings"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/eval"
	"github.com/iamq/iamq/internal/catalog"
	"github.com/iamq/iamq/policy"
)

// The principal of every request the analysis builds: an IAM user of an
// example account, to whom both policies are attached.
const (
	principalAccount = "111122223333"
	principalName    = "analysis"
)

// maxTries bounds the requests tried per statement of A, and maxExpand the
// catalog actions a pattern may expand to for them to be tried.
const (
	maxTries  = 1500
	maxExpand = 2000
)

// principal returns the principal of every analysed request.
func principal() eval.Principal {
	return eval.Principal{Kind: eval.PrincipalUser, ARN: arn.User(principalAccount, "/", principalName).String(), Account: principalAccount}
}

// decider evaluates requests against A and B with eval, as principal.
type decider struct {
	a, b      *eval.Set
	principal eval.Principal // built once: decide runs for every request tried
}

func newDecider(a, b *policy.Document) (*decider, error) {
	sa, err := eval.Compile(eval.Policies{Identity: []eval.Policy{{ID: "A", Document: a}}})
	if err != nil {
		return nil, err
	}
	sb, err := eval.Compile(eval.Policies{Identity: []eval.Policy{{ID: "B", Document: b}}})
	if err != nil {
		return nil, err
	}
	return &decider{a: sa, b: sb, principal: principal()}, nil
}

// decide returns eval's decisions of r under A and under B.
func (d *decider) decide(r *Request) (eval.Decision, eval.Decision) {
	var ctx eval.Context
	for _, kv := range r.Context {
		vals := make([]eval.Value, len(kv.Values))
		for i, v := range kv.Values {
			vals[i] = eval.String(v)
		}
		ctx.Add(kv.Key, vals...)
	}
	req := &eval.Request{Principal: d.principal, Action: r.Action, Resource: r.Resource, Context: &ctx}
	return d.a.Evaluate(req), d.b.Evaluate(req)
}

// isCounterexample reports whether eval allows r under A and not under B.
func (d *decider) isCounterexample(r *Request) bool {
	da, db := d.decide(r)
	return da == eval.Allowed && db != eval.Allowed
}

// counterexample looks for a request that A allows and B does not, among
// requests drawn from the gaps of A's statements: actions of the catalog and
// synthetic ones that escape B's patterns or meet a Deny's, resources
// likewise, contexts that satisfy the statement's conditions (and a Deny's).
// Each is confirmed with eval.
func (c *checker) counterexample(gaps []gap) *Request {
	d, err := newDecider(c.a, c.b)
	if err != nil {
		return nil
	}
	plans := c.plans(gaps)
	memo := map[string][]string{}
	tries := 0
	try := func(acts, res []string, ctxs [][]KeyValues) *Request {
		for _, rc := range res {
			for _, ac := range acts {
				for _, kv := range ctxs {
					if tries++; tries > maxTries {
						return nil
					}
					r := &Request{Action: ac, Resource: rc, Context: kv}
					if d.isCounterexample(r) {
						return r
					}
				}
			}
		}
		return nil
	}
	// Actions of the catalog first, in every gap, so that a counterexample
	// names a real action when one exists; then action strings written
	// without wildcards (an action the catalog no longer lists); then
	// synthetic ones.
	for pass := 0; pass < 3; pass++ {
		for i, g := range gaps {
			if pass == 1 && (g.act.set.not || strings.ContainsAny(strings.Join(g.act.set.pats, ""), "*?")) {
				continue
			}
			p := &plans[i]
			if p.res == nil {
				p.res = c.resourceCandidates(g, memo)
			}
			acts := p.catalog
			if pass > 0 {
				acts = c.syntheticCandidates(g)
			}
			if r := try(acts, p.res, p.ctxs); r != nil {
				return r
			}
			if tries > maxTries {
				return nil
			}
		}
	}
	return nil
}

// plan is what counterexample tries for one gap: catalog actions,
// resources (found lazily) and contexts.
type plan struct {
	catalog, res []string
	ctxs         [][]KeyValues
}

// plans returns a plan per gap. Contexts: those that satisfy the A
// statement's conditions (and a Deny's), that probe B's condition values,
// that break one of B's conditions, and each again with values for the
// policy variables of the gap's resource.
func (c *checker) plans(gaps []gap) []plan {
	var others []*policy.Statement
	for i := range c.allow {
		others = append(others, c.allow[i].st)
	}
	plans := make([]plan, len(gaps))
	for i, g := range gaps {
		ctxs := contextCandidates(g.s.Conditions, c.singleValued)
		if g.deny != nil && len(g.deny.st.Conditions) > 0 {
			ctxs = append([][]KeyValues{merge(satisfying(g.s.Conditions), satisfying(g.deny.st.Conditions))}, ctxs...)
		}
		ctxs = append(ctxs, probeContexts(g.s, others)...)
		ctxs = append(ctxs, violations(others, satisfying(g.s.Conditions))...)
		if vc := varContext(g.res.raw); vc != nil {
			n := len(ctxs)
			for _, kv := range ctxs[:n] {
				ctxs = append(ctxs, merge(kv, vc))
			}
		}
		plans[i].ctxs = ctxs
		plans[i].catalog = c.catalogCandidates(g)
	}
	return plans
}

// merge returns kvs with the keys of more added or replaced.
func merge(kvs, more []KeyValues) []KeyValues {
	out := kvs
	for _, kv := range more {
		out = replaceKey(out, kv.Key, kv.Values)
	}
	return out
}

// catalogCandidates returns up to five catalog actions of gap g's action
// unit that B names with no Allow pattern (or that its Deny names).
func (c *checker) catalogCandidates(g gap) []string {
	var acts []*catalog.Action
	if g.act.set.not {
		acts = c.opts.Catalog.ExpandNot(g.act.set.pats...)
	} else if len(g.act.set.pats) == 1 {
		acts = c.opts.Catalog.Expand(g.act.set.pats[0])
	}
	if len(acts) > maxExpand {
		return nil
	}
	var out []string
	for _, a := range acts {
		name := a.String()
		if g.deny != nil && statementMatchesSet(g.deny.act, name) || g.deny == nil && !c.bGrantsName(name) {
			out = append(out, name)
			if len(out) >= 5 {
				break
			}
		}
	}
	return out
}

// syntheticCandidates returns actions of gap g's action unit made from its
// patterns: a witness that escapes B's patterns (or meets the Deny's), and
// an instance of the pattern.
func (c *checker) syntheticCandidates(g gap) []string {
	var out []string
	if g.deny != nil {
		if _, w, _ := meets(g.act.set, g.deny.act, true); w != "" {
			out = append(out, w)
		}
	} else {
		var ys []patSet
		for i := range c.allow {
			ys = append(ys, c.allow[i].act)
		}
		if _, w, _ := covered(g.act.set, nil, ys, true); w != "" {
			out = append(out, w)
		}
	}
	if !g.act.set.not && len(g.act.set.pats) == 1 {
		out = append(out, instance(g.act.set.pats[0]))
	}
	return out
}

// bGrantsName reports whether an Allow statement of B names action by its
// patterns.
func (c *checker) bGrantsName(action string) bool {
	for i := range c.allow {
		if statementMatchesSet(c.allow[i].act, action) {
			return true
		}
	}
	return false
}

func statementMatchesSet(s patSet, action string) bool {
	return anyMatch(s.pats, action) != s.not
}

func anyMatch(patterns []string, action string) bool {
	for _, p := range patterns {
		if catalog.MatchAction(p, action) {
			return true
		}
	}
	return false
}

// resourceCandidates returns resources of gap g's resource unit: one that
// escapes B's resources (or meets the Deny's), then an instance of the
// pattern with its policy variables rendered.
func (c *checker) resourceCandidates(g gap, memo map[string][]string) []string {
	key := fmt.Sprintf("%v|%s|%p", g.res.set, g.res.raw, g.deny)
	if out, ok := memo[key]; ok {
		return out
	}
	out := c.resourceCandidatesOf(g)
	memo[key] = out
	return out
}

func (c *checker) resourceCandidatesOf(g gap) []string {
	var out []string
	var ys []patSet
	for i := range c.allow {
		ys = append(ys, c.allow[i].res)
	}
	if g.deny != nil {
		if _, w, _ := meets(g.res.set, g.deny.res, false); w != "" {
			out = append(out, w)
		}
	} else if _, w, _ := covered(g.res.set, nil, ys, false); w != "" {
		out = append(out, w)
	}
	switch {
	case g.raw() != "":
		out = append(out, instance(renderVars(g.raw())))
	case g.res.set.not:
		if w, ok := escape(g.res.set.pats, false); ok {
			out = append(out, w)
		}
	case len(g.res.set.pats) == 1:
		out = append(out, instance(g.res.set.pats[0]))
	}
	return out
}

func (g gap) raw() string { return g.res.raw }

// instance returns a string pattern p matches: each '*' becomes "x" (so
// that "arn:aws:mq:*:*:broker:*" reads as an ARN) and each '?' "x".
func instance(p string) string {
	if p == "*" {
		return "*"
	}
	return strings.NewReplacer("*", "x", "?", "x").Replace(p)
}

// satisfying returns a context in which the simple positive conditions of
// a statement hold: the first value of each (an instance of a pattern, the
// address of a CIDR block), "true" for Null false; it leaves out the keys
// of conditions it cannot satisfy so simply (eval decides anyway).
func satisfying(conds []policy.Condition) []KeyValues {
	var out []KeyValues
	for i := range conds {
		cd := &conds[i]
		cmp := cd.Operator.Comparison
		if len(cd.Values) == 0 || cmp.Negated() {
			continue
		}
		v := cd.Values[0].Text
		if cmp == policy.Null {
			if strings.EqualFold(v, "true") {
				continue
			}
			v = "x"
		} else if w, ok := satisfyValue(cmp, v); ok {
			v = w
		} else {
			continue
		}
		out = append(out, KeyValues{Key: cd.Key, Values: []string{v}})
	}
	return out
}
