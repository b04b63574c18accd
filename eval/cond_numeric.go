package eval

import "github.com/iamq/iamq/policy"

// number returns v as a number: a Number value, or a String value that
// policy.ParseNumber reads.
func number(v *Value) (float64, bool) {
	switch v.kind {
	case kindNumber:
		return v.n, true
	case kindString:
		n, err := policy.ParseNumber(v.s)
		return n, err == nil
	}
	return 0, false
}

// matchNumeric is the positive form of the Numeric operators (NumericNotEquals
// is the negation of NumericEquals). IAM User Guide: "IAM JSON policy
// elements: Condition operators", section "Numeric condition operators".
func matchNumeric(cmp policy.Comparison, pv *condValue, v *Value) bool {
	n, ok := number(v)
	if !ok {
		return false
	}
	switch cmp {
	case policy.NumericEquals, policy.NumericNotEquals:
		return n == pv.num
	case policy.NumericLessThan:
		return n < pv.num
	case policy.NumericLessThanEquals:
		return n <= pv.num
	case policy.NumericGreaterThan:
		return n > pv.num
	case policy.NumericGreaterThanEquals:
		return n >= pv.num
	}
	return false
}
