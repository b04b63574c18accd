package eval

import "github.com/iamq/iamq/policy"

// matchString is the positive form of the String operators: StringEquals
// (case-sensitive), StringEqualsIgnoreCase (ASCII case folded) and StringLike
// ('*' and '?' wildcards, case-sensitive). Policy variables render into
// literal characters. IAM User Guide: "IAM JSON policy elements: Condition
// operators", section "String condition operators".
func matchString(cmp policy.Comparison, pv *condValue, v *Value, r *Request, sc *scratch) bool {
	s := v.s
	if v.kind != kindString {
		s = v.Text()
	}
	like := cmp == policy.StringLike || cmp == policy.StringNotLike
	fold := cmp == policy.StringEqualsIgnoreCase || cmp == policy.StringNotEqualsIgnoreCase
	if pv.tmpl != nil {
		p, ok := sc.rendered(pv, r, like)
		if !ok {
			return false
		}
		if like {
			return matchPattern(p, s, false)
		}
		return equalPattern(p, s, fold)
	}
	switch {
	case like:
		return pv.glob.match(s)
	case fold:
		return equalFoldASCII(pv.text, s)
	}
	return pv.text == s
}
