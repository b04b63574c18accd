package eval

import (
	"bytes"
	"encoding/base64"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/iamq/iamq/policy"
)

// refCondBroken reports whether the reference cannot evaluate c: an unknown
// operator or a value its family cannot read.
func refCondBroken(c policy.Condition, variables bool) bool {
	fam := c.Operator.Comparison.Family()
	if fam == "" {
		return true
	}
	for _, v := range c.Values {
		s := v.Text
		if variables && (fam == policy.FamilyString || fam == policy.FamilyARN) && refHasVariable(s) {
			continue
		}
		var err error
		switch fam {
		case policy.FamilyNumeric:
			_, err = policy.ParseNumber(s)
		case policy.FamilyDate:
			_, err = policy.ParseDate(s)
		case policy.FamilyBool, policy.FamilyNull:
			_, err = policy.ParseBool(s)
		case policy.FamilyBinary:
			_, err = policy.ParseBinary(s)
		case policy.FamilyIP:
			_, err = policy.ParseCIDR(s)
		case policy.FamilyARN:
			_, err = policy.ParseARN(s)
		}
		if err != nil {
			return true
		}
	}
	return false
}

// refHasVariable reports whether s holds at least one well-formed variable.
func refHasVariable(s string) bool {
	p, ok := refSubstitute(s, refContext{}, true)
	_ = p
	if !ok {
		return true
	}
	lit, _ := refLiteral(refPattern(s, true))
	got, _ := refLiteral(p)
	return got != lit
}

// refCondition evaluates one condition.
func refCondition(c policy.Condition, ctx refContext, variables bool) bool {
	op := c.Operator
	fam := op.Comparison.Family()
	vals, present := ctx[refLower(c.Key)]
	if fam == policy.FamilyNull {
		for _, v := range c.Values {
			b, _ := policy.ParseBool(v.Text)
			if b == !present {
				return true
			}
		}
		return false
	}
	if !present {
		if op.IfExists || op.Qualifier == policy.ForAllValues {
			return true
		}
		if op.Qualifier == policy.ForAnyValue {
			return false
		}
		return op.Comparison.Negated()
	}
	pvs, ok := refResolve(c, ctx, variables)
	if !ok {
		return false
	}
	positive := func(rv Value) bool {
		for _, p := range pvs {
			if refCompare(op.Comparison, p.text, p.pat, p.vars, rv) {
				return true
			}
		}
		return false
	}
	neg := op.Comparison.Negated()
	switch op.Qualifier {
	case policy.ForAnyValue:
		for _, rv := range vals {
			if positive(rv) != neg {
				return true
			}
		}
		return false
	case policy.ForAllValues:
		for _, rv := range vals {
			if positive(rv) == neg {
				return false
			}
		}
		return true
	}
	any := false
	for _, rv := range vals {
		any = any || positive(rv)
	}
	return any != neg
}

// refValue is a policy value, with its variables substituted.
type refValue struct {
	text string
	pat  []refItem
	vars bool
}

// refResolve substitutes the policy values' variables; one without a value
// makes the condition false.
func refResolve(c policy.Condition, ctx refContext, variables bool) ([]refValue, bool) {
	fam := c.Operator.Comparison.Family()
	var pvs []refValue
	for _, v := range c.Values {
		x := refValue{text: v.Text}
		if variables && (fam == policy.FamilyString || fam == policy.FamilyARN) && refHasVariable(v.Text) {
			like := c.Operator.Comparison == policy.StringLike || c.Operator.Comparison == policy.StringNotLike || fam == policy.FamilyARN
			p, ok := refSubstitute(v.Text, ctx, like)
			if !ok {
				return nil, false
			}
			x.pat, x.vars = p, true
		}
		pvs = append(pvs, x)
	}
	return pvs, true
}

// refCompare is the positive comparison of one request value with one policy
// value.
func refCompare(cmp policy.Comparison, text string, pat []refItem, vars bool, rv Value) bool {
	switch cmp.Family() {
	case policy.FamilyString:
		return refString(cmp, text, pat, vars, rv)
	case policy.FamilyNumeric:
		return refNumeric(cmp, text, rv)
	case policy.FamilyDate:
		return refDate(cmp, text, rv)
	case policy.FamilyBool:
		want, _ := policy.ParseBool(text)
		switch rv.kind {
		case kindBool:
			return (rv.n == 1) == want
		case kindString:
			got, err := policy.ParseBool(rv.s)
			return err == nil && got == want
		}
		return false
	case policy.FamilyBinary:
		want, _ := base64.StdEncoding.DecodeString(text)
		switch rv.kind {
		case kindBinary:
			return bytes.Equal(rv.b, want)
		case kindString:
			got, err := base64.StdEncoding.DecodeString(rv.s)
			return err == nil && bytes.Equal(got, want)
		}
		return false
	case policy.FamilyIP:
		return refIP(text, rv)
	case policy.FamilyARN:
		if !vars {
			pat = refPattern(text, true)
		}
		return refARN(pat, rv.Text())
	}
	return false
}

func refString(cmp policy.Comparison, text string, pat []refItem, vars bool, rv Value) bool {
	s := rv.Text()
	switch cmp {
	case policy.StringLike, policy.StringNotLike:
		if !vars {
			pat = refPattern(text, true)
		}
		return refGlob(pat, s)
	case policy.StringEqualsIgnoreCase, policy.StringNotEqualsIgnoreCase:
		if vars {
			text, _ = refLiteral(pat)
		}
		return refLower(text) == refLower(s)
	}
	if vars {
		text, _ = refLiteral(pat)
	}
	return text == s
}

func refNumeric(cmp policy.Comparison, text string, rv Value) bool {
	want, _ := policy.ParseNumber(text)
	var got float64
	switch rv.kind {
	case kindNumber:
		got = rv.n
	case kindString:
		n, err := policy.ParseNumber(rv.s)
		if err != nil {
			return false
		}
		got = n
	default:
		return false
	}
	switch cmp {
	case policy.NumericEquals, policy.NumericNotEquals:
		return got == want
	case policy.NumericLessThan:
		return got < want
	case policy.NumericLessThanEquals:
		return got <= want
	case policy.NumericGreaterThan:
		return got > want
	}
	return got >= want
}

func refDate(cmp policy.Comparison, text string, rv Value) bool {
	want, _ := policy.ParseDate(text)
	var got time.Time
	switch rv.kind {
	case kindDate:
		got = rv.t
	case kindNumber:
		sec, err := strconv.ParseInt(strconv.FormatFloat(rv.n, 'f', -1, 64), 10, 64)
		if err != nil {
			return false
		}
		got = time.Unix(sec, 0)
	case kindString:
		t, err := policy.ParseDate(rv.s)
		if err != nil {
			return false
		}
		got = t
	default:
		return false
	}
	a, b := got.Unix(), want.Unix()
	if a == b {
		a, b = int64(got.Nanosecond()), int64(want.Nanosecond())
	}
	switch cmp {
	case policy.DateEquals, policy.DateNotEquals:
		return a == b
	case policy.DateLessThan:
		return a < b
	case policy.DateLessThanEquals:
		return a <= b
	case policy.DateGreaterThan:
		return a > b
	}
	return a >= b
}

func refIP(text string, rv Value) bool {
	block, _ := policy.ParseCIDR(text)
	var addr netip.Addr
	switch rv.kind {
	case kindIP:
		addr = rv.ip
	case kindString:
		a, err := netip.ParseAddr(rv.s)
		if err != nil {
			return false
		}
		addr = a
	default:
		return false
	}
	if addr.Is4In6() {
		addr = netip.AddrFrom4(addr.As4())
	}
	return block.Contains(addr)
}

// refARN compares an ARN pattern with an ARN part by part: the first five
// colons separate parts; the sixth part keeps the rest.
func refARN(pat []refItem, s string) bool {
	got := strings.SplitN(s, ":", 6)
	if len(got) != 6 {
		return false
	}
	var want [][]refItem
	cur := []refItem{}
	for _, it := range pat {
		if it.wild == 0 && it.c == ':' && len(want) < 5 {
			want = append(want, cur)
			cur = []refItem{}
			continue
		}
		cur = append(cur, it)
	}
	want = append(want, cur)
	if len(want) != 6 {
		return false
	}
	for i := range got {
		if !refGlob(want[i], got[i]) {
			return false
		}
	}
	return true
}
