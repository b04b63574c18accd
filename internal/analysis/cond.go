package analysis

import (
	"strings"

	"github.com/iamq/iamq/policy"
)

// condImplies reports whether every condition of B's statement t holds
// whenever the conditions of A's statement s hold: each condition of t is
// implied by one of s (conditions are AND'ed, so t may have fewer). IAM User
// Guide: "IAM JSON policy elements: Condition operators".
func (c *checker) condImplies(s, t *policy.Statement) bool {
	for i := range t.Conditions {
		ct := &t.Conditions[i]
		ok := false
		for j := range s.Conditions {
			if c.implies(&s.Conditions[j], ct) {
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

// implies reports whether condition cs of A implies condition ct of B: the
// same key, comparison and set qualifier; ct may add IfExists (it then also
// holds when the key is absent); and ct's values are cs's, or — for a
// positive string comparison, whose values are OR'ed and always readable — a
// superset of them. Values with policy variables must be written alike in
// documents that both substitute them (a variable without a value makes its
// whole condition false, so an extra one could only take away).
func (c *checker) implies(cs, ct *policy.Condition) bool {
	os, ot := cs.Operator, ct.Operator
	if !strings.EqualFold(cs.Key, ct.Key) || os.Comparison != ot.Comparison || os.Qualifier != ot.Qualifier {
		return false
	}
	if !os.Comparison.Known() || (os.IfExists && !ot.IfExists) {
		return false
	}
	vars := false
	for _, v := range append(append([]policy.Value(nil), cs.Values...), ct.Values...) {
		if strings.Contains(v.Text, "${") {
			vars = true
		}
	}
	if vars && (c.a.Version.Variables() || c.b.Version.Variables()) {
		if c.a.Version.Variables() != c.b.Version.Variables() {
			return false
		}
		return sameValues(cs.Values, ct.Values)
	}
	if os.Comparison.Family() == policy.FamilyString && !os.Comparison.Negated() {
		return subsetValues(cs.Values, ct.Values)
	}
	return sameValues(cs.Values, ct.Values)
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
