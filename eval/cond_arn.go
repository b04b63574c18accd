package eval

import (
	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/policy"
)

// compileARN splits a policy ARN into its six parts, each a glob.
func compileARN(s string) ([6]glob, error) {
	var g [6]glob
	a, err := policy.ParseARN(s)
	if err != nil {
		return g, err
	}
	for i, part := range segments(a) {
		g[i] = compileGlob(part)
	}
	return g, nil
}

// segments lists the six colon-separated parts of a, "arn" first.
func segments(a arn.ARN) [6]string {
	return [6]string{"arn", a.Partition, a.Service, a.Region, a.Account, a.Resource}
}

// matchARN is ArnEquals and ArnLike, which AWS defines alike (ArnNotEquals
// and ArnNotLike are their negations): each of the six colon-separated parts
// of the ARN is matched separately, case-sensitively, with '*' and '?'. IAM
// User Guide: "IAM JSON policy elements: Condition operators", section
// "Amazon Resource Name (ARN) condition operators".
func matchARN(pv *condValue, v *Value, r *Request, sc *scratch) bool {
	s := v.s
	if v.kind != kindString {
		s = v.Text()
	}
	a, ok := arn.Split(s)
	if !ok {
		return false
	}
	parts := segments(a)
	if pv.tmpl == nil {
		for i := range parts {
			if !pv.arn[i].match(parts[i]) {
				return false
			}
		}
		return true
	}
	p, ok := sc.rendered(pv, r, true)
	if !ok {
		return false
	}
	for i := 0; i < 6; i++ {
		seg := p
		if i < 5 {
			j := indexPchar(p, ':')
			if j < 0 {
				return false
			}
			seg, p = p[:j], p[j+1:]
		}
		if !matchPattern(seg, parts[i], false) {
			return false
		}
	}
	return true
}

func indexPchar(p []pchar, c byte) int {
	for i, x := range p {
		if x == pchar(c) {
			return i
		}
	}
	return -1
}
