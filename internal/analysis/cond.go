package analysis

import (
	"slices"
	"strings"

	"github.com/iamq/iamq/policy"
)

// A condition of one key, read as eval evaluates it (IAM User Guide: "IAM
// JSON policy elements: Condition operators" and "Single-valued vs.
// multivalued context keys"): with p(v) the operator's test of one request
// value (the values of the condition OR'ed, negated for a negated
// operator), a condition is "some value passes p" (∃) or "every value
// passes p" (∀), and has a fixed answer when the request lacks the key
// (eval treats a key with no values as absent):
//
//	no qualifier, positive        ∃ p   absent: IfExists
//	no qualifier, negated         ∀ p   absent: true
//	ForAnyValue                   ∃ p   absent: IfExists
//	ForAllValues                  ∀ p   absent: true
//	Null                          absent: "true" among the values, present: "false" among them
//
// A condition then implies another of the same key when the absent answers
// agree in that direction, the quantifiers allow it (∃ never implies ∀), and
// p's set of values is included in the other's (valueset.go). Its negation
// is of the same shape, which is how a Deny's condition is shown never to
// hold where an Allow's does. For a key the catalog types as single-valued
// the two quantifiers coincide (IAM User Guide: "Single-valued vs.
// multivalued context keys").
type pred struct {
	key  string
	null bool
	// Null: which of absent and present make it true.
	absentOK, presentOK bool
	// Other families.
	all    bool // ∀ (else ∃)
	absent bool // the answer when the key is absent
	neg    bool // p is the complement of the values' match
	op     policy.Operator
	vals   []policy.Value
}

// predOf reads condition c, or reports false when eval could not evaluate
// it (an unknown operator or a value its family cannot read: such a
// condition is never true, which the shapes above do not express).
func predOf(c *policy.Condition) (pred, bool) {
	cmp := c.Operator.Comparison
	p := pred{key: c.Key, op: c.Operator, vals: c.Values}
	if !cmp.Known() || !valuesReadable(cmp.Family(), c.Values) {
		return p, false
	}
	if cmp.Family() == policy.FamilyNull {
		p.null = true
		for _, v := range c.Values {
			b, _ := policy.ParseBool(v.Text)
			p.absentOK = p.absentOK || b
			p.presentOK = p.presentOK || !b
		}
		return p, true
	}
	p.neg = cmp.Negated()
	switch c.Operator.Qualifier {
	case policy.ForAllValues:
		p.all, p.absent = true, true
	case policy.ForAnyValue:
		p.absent = c.Operator.IfExists
	default:
		p.all = p.neg
		p.absent = p.neg || c.Operator.IfExists
	}
	return p, true
}

// negate returns the condition that holds exactly where p does not.
func (p pred) negate() pred {
	if p.null {
		p.absentOK, p.presentOK = !p.absentOK, !p.presentOK
		return p
	}
	p.all, p.absent, p.neg = !p.all, !p.absent, !p.neg
	return p
}

// predImplies reports whether pt holds on every request on which ps holds,
// both of the same key.
func predImplies(ps, pt pred) bool {
	switch {
	case ps.null && pt.null:
		return (!ps.absentOK || pt.absentOK) && (!ps.presentOK || pt.presentOK)
	case ps.null:
		// A present key would need pt to hold for every value: not
		// reasoned about.
		return !ps.presentOK && (!ps.absentOK || pt.absent)
	case pt.null:
		return pt.presentOK && (!ps.absent || pt.absentOK)
	}
	if ps.absent && !pt.absent || !ps.all && pt.all {
		return false
	}
	return valuesIncluded(ps, pt)
}

// condImplies reports whether every condition of B's statement t holds
// whenever the conditions of A's statement s hold: each condition of t is
// implied by one of s (conditions are AND'ed, so t may have fewer).
func (c *checker) condImplies(s, t *policy.Statement) bool {
	for i := range t.Conditions {
		ct := &t.Conditions[i]
		ok := false
		for j := range s.Conditions {
			if c.implies(&s.Conditions[j], ct, false) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// condExcludes reports whether B's Deny statement d never applies when the
// conditions of A's statement s hold: one of s's conditions implies the
// negation of one of d's.
func (c *checker) condExcludes(s, d *policy.Statement) bool {
	for i := range d.Conditions {
		for j := range s.Conditions {
			if c.implies(&s.Conditions[j], &d.Conditions[i], true) {
				return true
			}
		}
	}
	return false
}

// implies reports whether condition cs of A implies condition ct of B (or,
// with negated, implies that ct does not hold). Values with policy
// variables must be written alike, with the same operator, in documents
// that both substitute them (a variable without a value makes its whole
// condition false, so an extra one could only take away); they are not
// reasoned about under negation.
func (c *checker) implies(cs, ct *policy.Condition, negated bool) bool {
	if !strings.EqualFold(cs.Key, ct.Key) {
		return false
	}
	if !negated && cs.Operator == ct.Operator && slices.Equal(cs.Values, ct.Values) &&
		(c.a.Version.Variables() == c.b.Version.Variables() || !hasVarValue(cs.Values)) {
		return true // written alike
	}
	if hasVarValue(cs.Values) || hasVarValue(ct.Values) {
		if c.a.Version.Variables() || c.b.Version.Variables() {
			return !negated && c.a.Version.Variables() == c.b.Version.Variables() &&
				cs.Operator.Comparison == ct.Operator.Comparison && cs.Operator.Qualifier == ct.Operator.Qualifier &&
				(!cs.Operator.IfExists || ct.Operator.IfExists) && sameValues(cs.Values, ct.Values)
		}
	}
	ps, ok := predOf(cs)
	if !ok {
		return false
	}
	pt, ok := predOf(ct)
	if !ok {
		return false
	}
	if negated {
		pt = pt.negate()
	}
	if c.singleValued(cs.Key) {
		// A request carries one value of such a key: "some value passes"
		// and "every value passes" say the same.
		ps.all, pt.all = false, false
	}
	return predImplies(ps, pt)
}

// singleValued reports whether the catalog types key as single-valued
// (String, Numeric, Date, Bool, IPAddress, ARN; not ArrayOf…). Keys the
// catalog does not know are taken as multivalued.
func (c *checker) singleValued(key string) bool {
	k, ok := c.opts.Catalog.ConditionKey(key)
	return ok && k.Type != "" && !strings.HasPrefix(string(k.Type), "ArrayOf")
}

func hasVarValue(vs []policy.Value) bool {
	for _, v := range vs {
		if strings.Contains(v.Text, "${") {
			return true
		}
	}
	return false
}

// subsetValues reports whether every value of x is among y.
func subsetValues(x, y []policy.Value) bool {
	for _, v := range x {
		found := false
		for _, w := range y {
			if v == w {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func sameValues(x, y []policy.Value) bool {
	return subsetValues(x, y) && subsetValues(y, x)
}
