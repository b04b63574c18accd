package eval

import (
	"time"

	"github.com/iamq/iamq/policy"
)

// date returns v as a time: a Time value, a Number of seconds since the epoch,
// or a String that policy.ParseDate reads (ISO 8601 or epoch seconds).
func date(v *Value) (time.Time, bool) {
	switch v.kind {
	case kindDate:
		return v.t, true
	case kindNumber:
		if v.n != float64(int64(v.n)) {
			return time.Time{}, false
		}
		return time.Unix(int64(v.n), 0), true
	case kindString:
		t, err := policy.ParseDate(v.s)
		return t, err == nil
	}
	return time.Time{}, false
}

// matchDate is the positive form of the Date operators. IAM User Guide: "IAM
// JSON policy elements: Condition operators", section "Date condition
// operators".
func matchDate(cmp policy.Comparison, pv *condValue, v *Value) bool {
	t, ok := date(v)
	if !ok {
		return false
	}
	switch cmp {
	case policy.DateEquals, policy.DateNotEquals:
		return t.Equal(pv.t)
	case policy.DateLessThan:
		return t.Before(pv.t)
	case policy.DateLessThanEquals:
		return !t.After(pv.t)
	case policy.DateGreaterThan:
		return t.After(pv.t)
	case policy.DateGreaterThanEquals:
		return !t.Before(pv.t)
	}
	return false
}
