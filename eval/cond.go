package eval

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/iamq/iamq/policy"
)

// cond is one compiled condition: an operator, a key and the policy's values,
// parsed once for the operator's family. IAM User Guide: "IAM JSON policy
// elements: Condition operators" and "Single-valued vs. multivalued context
// keys".
type cond struct {
	src     *policy.Condition
	op      policy.Operator
	family  policy.Family
	negated bool
	key     keyRef
	// err is why the condition cannot be evaluated (an unknown operator, a
	// value its operator cannot read); such a condition never allows.
	err  string
	vals []condValue
	// templated is set when a value holds a policy variable.
	templated bool
}

// condValue is one policy value of a condition, in the form its family
// compares.
type condValue struct {
	text   string
	tmpl   *template // String and Arn values with policy variables
	slot   int       // where its rendering is kept in scratch, or -1
	glob   glob      // StringLike
	arn    [5]glob   // Arn operators: one glob per ARN segment after "arn"
	num    float64
	t      time.Time
	prefix netip.Prefix
	b      bool
	bin    []byte
}

func compileCond(c *policy.Condition, variables bool) cond {
	k := cond{src: c, op: c.Operator, key: newKeyRef(c.Key)}
	cmp := c.Operator.Comparison
	if !cmp.Known() {
		k.err = fmt.Sprintf("unknown condition operator %q", c.Operator.Name)
		return k
	}
	k.family, k.negated = cmp.Family(), cmp.Negated()
	k.vals = make([]condValue, len(c.Values))
	slots := 0
	for i, v := range c.Values {
		cv, err := compileValue(cmp, k.family, v.Text, variables)
		if err != nil {
			k.err = fmt.Sprintf("%s: %v", c.Operator.Name, err)
			return k
		}
		cv.slot = -1
		if cv.tmpl != nil && slots < maxSlots {
			cv.slot = slots
			slots++
		}
		k.templated = k.templated || cv.tmpl != nil
		k.vals[i] = cv
	}
	return k
}

func compileValue(cmp policy.Comparison, f policy.Family, s string, variables bool) (condValue, error) {
	cv := condValue{text: s}
	if variables && (f == policy.FamilyString || f == policy.FamilyARN) {
		if t, ok := parseTemplate(s); ok {
			cv.tmpl = &t
			return cv, nil
		}
	}
	var err error
	switch f {
	case policy.FamilyString:
		if cmp == policy.StringLike || cmp == policy.StringNotLike {
			cv.glob = compileGlob(s)
		}
	case policy.FamilyNumeric:
		cv.num, err = policy.ParseNumber(s)
	case policy.FamilyDate:
		cv.t, err = policy.ParseDate(s)
	case policy.FamilyBool, policy.FamilyNull:
		cv.b, err = policy.ParseBool(s)
	case policy.FamilyBinary:
		cv.bin, err = policy.ParseBinary(s)
	case policy.FamilyIP:
		cv.prefix, err = policy.ParseCIDR(s)
	case policy.FamilyARN:
		cv.arn, err = compileARN(s)
	}
	return cv, err
}

// eval evaluates the condition for r. present reports whether the key had a
// value, for the explanation's list of missing keys.
func (c *cond) eval(r *Request, sc *scratch) (ok, present bool) {
	if c.err != "" {
		return false, true
	}
	vals, derived, has := lookup(r, &c.key)
	if c.family == policy.FamilyNull {
		return c.null(has), true
	}
	if !has {
		// The missing-key rules: …IfExists and ForAllValues match, ForAnyValue
		// does not, and a negated operator matches because nothing in the
		// request equals its values.
		switch {
		case c.op.IfExists, c.op.Qualifier == policy.ForAllValues:
			return true, false
		case c.op.Qualifier == policy.ForAnyValue:
			return false, false
		}
		return c.negated, false
	}
	if !c.resolvable(r, sc) {
		return false, true
	}
	if vals == nil {
		// One value derived from the request: a set of one.
		one := [1]Value{{kind: kindString, s: derived}}
		return c.set(one[:], r, sc), true
	}
	return c.set(vals, r, sc), true
}

// set applies the operator to the request's values, by the set qualifier
// (IAM User Guide: "Single-valued vs. multivalued context keys"): without one,
// the positive operator matches when any value matches and a negated one when
// none does.
func (c *cond) set(vals []Value, r *Request, sc *scratch) bool {
	switch c.op.Qualifier {
	case policy.ForAnyValue:
		for i := range vals {
			if c.matchAny(&vals[i], r, sc) != c.negated {
				return true
			}
		}
		return false
	case policy.ForAllValues:
		for i := range vals {
			if c.matchAny(&vals[i], r, sc) == c.negated {
				return false
			}
		}
		return true
	}
	for i := range vals {
		if c.matchAny(&vals[i], r, sc) {
			return !c.negated
		}
	}
	return c.negated
}

// resolvable reports whether every policy variable in the values has a value;
// a variable without one makes the whole condition false.
// The renderings are kept in sc, so each template is rendered once per
// condition, not once per request value.
func (c *cond) resolvable(r *Request, sc *scratch) bool {
	if !c.templated {
		return true
	}
	sc.n = 0
	wild := c.op.Comparison == policy.StringLike || c.op.Comparison == policy.StringNotLike || c.family == policy.FamilyARN
	for i := range c.vals {
		pv := &c.vals[i]
		if pv.tmpl == nil {
			continue
		}
		start := sc.n
		out, ok := pv.tmpl.render(sc.buf[start:start:len(sc.buf)], r, wild)
		if !ok {
			return false
		}
		if pv.slot >= 0 && len(out) > 0 && start < len(sc.buf) && &out[0] == &sc.buf[start] {
			sc.spans[pv.slot] = [2]int{start, start + len(out)}
			sc.n += len(out)
		} else if pv.slot >= 0 {
			sc.spans[pv.slot] = [2]int{-1, -1} // empty, or too long to keep: render again when used
		}
	}
	return true
}

// rendered returns the rendering of pv that resolvable kept, or renders it.
func (sc *scratch) rendered(pv *condValue, r *Request, wild bool) ([]pchar, bool) {
	if pv.slot >= 0 {
		if sp := sc.spans[pv.slot]; sp[0] >= 0 {
			return sc.buf[sp[0]:sp[1]], true
		}
	}
	return pv.tmpl.render(nil, r, wild)
}

// matchAny reports whether request value v matches any of the policy values
// under the operator's positive form (values are OR'ed).
func (c *cond) matchAny(v *Value, r *Request, sc *scratch) bool {
	for i := range c.vals {
		pv := &c.vals[i]
		var m bool
		switch c.family {
		case policy.FamilyString:
			m = matchString(c.op.Comparison, pv, v, r, sc)
		case policy.FamilyNumeric:
			m = matchNumeric(c.op.Comparison, pv, v)
		case policy.FamilyDate:
			m = matchDate(c.op.Comparison, pv, v)
		case policy.FamilyBool:
			m = matchBool(pv, v)
		case policy.FamilyBinary:
			m = matchBinary(pv, v)
		case policy.FamilyIP:
			m = matchIP(pv, v)
		case policy.FamilyARN:
			m = matchARN(pv, v, r, sc)
		}
		if m {
			return true
		}
	}
	return false
}

// scratch is per-evaluation memory for rendering policy variables, kept on
// the caller's stack.
type scratch struct {
	buf   [256]pchar
	n     int
	spans [maxSlots][2]int
}

// maxSlots is how many templated values of one condition keep their
// rendering in scratch.
const maxSlots = 4
