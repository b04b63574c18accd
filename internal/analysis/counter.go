package analysis

import (
	"net/netip"
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
	maxTries  = 400
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
// requests drawn from A's Allow statements: actions of the catalog and
// synthetic ones that escape B's patterns or meet its denies, resources
// likewise, contexts that satisfy the statement's simple conditions. Each is
// confirmed with eval.
func (c *checker) counterexample() *Request {
	d, err := newDecider(c.a, c.b)
	if err != nil {
		return nil
	}
	var bActs, bRes []string
	var denies []*policy.Statement
	for i := range c.b.Statements {
		t := &c.b.Statements[i]
		switch {
		case allows(t) && t.Action != nil:
			bActs = append(bActs, t.Action...)
			if t.NotResource == nil {
				bRes = append(bRes, c.plainResources(t)...)
			}
		case t.Effect == policy.Deny:
			denies = append(denies, t)
		}
	}
	for i := range c.a.Statements {
		s := &c.a.Statements[i]
		if !allows(s) || s.Action == nil || s.NotResource != nil {
			continue
		}
		ctxs := [][]KeyValues{nil}
		if kv := satisfying(s.Conditions); kv != nil {
			ctxs = append([][]KeyValues{kv}, ctxs...)
		}
		tries := 0
		for _, act := range s.Action {
			acts := c.actionCandidates(act, bActs, denies)
			for _, res := range resources(s) {
				if hasVar(c.a, res) {
					continue
				}
				for _, rc := range resourceCandidates(res, bRes, denies) {
					for _, ac := range acts {
						for _, kv := range ctxs {
							if tries++; tries > maxTries {
								break
							}
							r := &Request{Action: ac, Resource: rc, Context: kv}
							if d.isCounterexample(r) {
								return r
							}
						}
					}
				}
			}
		}
	}
	return nil
}

// actionCandidates returns actions matching pattern act, the catalog's
// first: those that no Allow pattern of B matches, then witnesses that escape
// B's patterns or meet a Deny's, then an instance of act.
func (c *checker) actionCandidates(act string, bActs []string, denies []*policy.Statement) []string {
	var out []string
	bL := newLang(bActs, true)
	if acts := c.opts.Catalog.Expand(act); len(acts) <= maxExpand {
		for _, a := range acts {
			name := a.Service + ":" + a.Name
			if !anyMatch(bActs, name) {
				out = append(out, name)
				if len(out) >= 5 {
					break
				}
			}
		}
	}
	actL := newLang([]string{act}, true)
	if _, w, _ := included(actL, bL, "x"); w != "" {
		out = append(out, w)
	}
	for _, d := range denies {
		if d.Action != nil {
			if _, w, _ := disjoint(actL, newLang(d.Action, true), "x"); w != "" {
				out = append(out, w)
			}
		}
	}
	return append(out, instance(act))
}

func anyMatch(patterns []string, action string) bool {
	for _, p := range patterns {
		if catalog.MatchAction(p, action) {
			return true
		}
	}
	return false
}

// resourceCandidates returns resources matching res: one that escapes B's
// Allow patterns, ones that meet B's Deny patterns, and an instance of res.
func resourceCandidates(res string, bRes []string, denies []*policy.Statement) []string {
	var out []string
	resL := newLang([]string{res}, false)
	if _, w, _ := included(resL, newLang(bRes, false), "x"); w != "" {
		out = append(out, w)
	}
	for _, d := range denies {
		if d.Resource != nil {
			if _, w, _ := disjoint(resL, newLang(d.Resource, false), "x"); w != "" {
				out = append(out, w)
			}
		}
	}
	return append(out, instance(res))
}

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
		switch cmp {
		case policy.StringEquals, policy.StringEqualsIgnoreCase, policy.ArnEquals,
			policy.NumericEquals, policy.DateEquals, policy.Bool, policy.BinaryEquals:
		case policy.StringLike, policy.ArnLike:
			v = instance(v)
		case policy.IPAddress:
			if p, err := netip.ParsePrefix(v); err == nil {
				v = p.Addr().String()
			}
		case policy.Null:
			if strings.EqualFold(v, "true") {
				continue
			}
			v = "x"
		default:
			continue
		}
		out = append(out, KeyValues{Key: cd.Key, Values: []string{v}})
	}
	return out
}
