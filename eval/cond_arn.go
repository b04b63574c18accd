package eval

import (
	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/policy"
)

// compileARN splits a policy ARN into its segments after "arn", each a glob.
func compileARN(s string) ([5]glob, error) {
	var g [5]glob
	a, err := policy.ParseARN(s)
	if err != nil {
		return g, err
	}
	for i, seg := range [5]string{a.Partition, a.Service, a.Region, a.Account, a.Resource} {
		g[i] = compileGlob(seg)
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
	if pv.tmpl == nil {
		g := &pv.arn
		return g[0].match(a.Partition) && g[1].match(a.Service) && g[2].match(a.Region) &&
			g[3].match(a.Account) && g[4].match(a.Resource)
	}
	parts := segments(a)
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
