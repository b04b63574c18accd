package eval

import "github.com/iamq/iamq/policy"

// matchBool is the Bool operator: the request's value, a Bool or a String
// "true"/"false" in any case, equals the policy's. IAM User Guide: "IAM JSON
// policy elements: Condition operators", section "Boolean condition
// operators".
func matchBool(pv *condValue, v *Value) bool {
	switch v.kind {
	case kindBool:
		return (v.n != 0) == pv.b
	case kindString:
		b, err := policy.ParseBool(v.s)
		return err == nil && b == pv.b
	}
	return false
}
