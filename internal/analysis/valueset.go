package analysis

import (
	"bytes"
	"net/netip"
	"strings"
	"time"

	"github.com/iamq/iamq/arn"

	"github.com/iamq/iamq/policy"
)

// valuesIncluded reports whether every request value that passes ps's test
// passes pt's (see pred): the values' matches compared by family, the
// complements taken into account. Sound, not complete: false when unsure.
func valuesIncluded(ps, pt pred) bool {
	fs, ft := family(ps.op.Comparison), family(pt.op.Comparison)
	if fs == policy.FamilyString && ft == policy.FamilyARN && !ps.neg && !pt.neg {
		return stringsInARNs(ps, pt)
	}
	if fs != ft {
		return false
	}
	switch {
	case !ps.neg && !pt.neg:
		return matchIncluded(ps, pt)
	case ps.neg && pt.neg:
		return matchIncluded(pt, ps)
	case !ps.neg && pt.neg:
		return matchDisjoint(ps, pt)
	}
	// Everything ps's match leaves out must match pt: only a pattern that
	// matches every string can.
	return fs == policy.FamilyString && stringUniversal(pt)
}

// family returns the family of cmp.
func family(cmp policy.Comparison) policy.Family { return cmp.Family() }

// valuesReadable reports whether eval reads every value for family f.
func valuesReadable(f policy.Family, vs []policy.Value) bool {
	for _, v := range vs {
		var err error
		switch f {
		case policy.FamilyNumeric:
			_, err = policy.ParseNumber(v.Text)
		case policy.FamilyDate:
			_, err = policy.ParseDate(v.Text)
		case policy.FamilyBool, policy.FamilyNull:
			_, err = policy.ParseBool(v.Text)
		case policy.FamilyBinary:
			_, err = policy.ParseBinary(v.Text)
		case policy.FamilyIP:
			_, err = policy.ParseCIDR(v.Text)
		case policy.FamilyARN:
			_, err = policy.ParseARN(v.Text)
		}
		if err != nil {
			return false
		}
	}
	return true
}

// matchIncluded reports whether every value x's positive test matches, y's
// matches too.
func matchIncluded(x, y pred) bool {
	switch family(x.op.Comparison) {
	case policy.FamilyString:
		xl, yl, ok := stringLangs(x, y, false)
		if !ok {
			return false
		}
		in, _, decided := included(xl, yl, "x")
		return in && decided
	case policy.FamilyNumeric:
		return ordIncluded(numbers(x), numbers(y), cmpFloat)
	case policy.FamilyDate:
		return ordIncluded(dates(x), dates(y), time.Time.Compare)
	case policy.FamilyBool:
		bx, by := bools(x), bools(y)
		return bx&^by == 0
	case policy.FamilyIP:
		return prefixesIncluded(prefixes(x), prefixes(y))
	case policy.FamilyARN:
		return arnsIncluded(x.vals, y.vals)
	case policy.FamilyBinary:
		return binariesIncluded(x.vals, y.vals)
	}
	return false
}

// matchDisjoint reports whether no value matches both x's positive test and
// y's.
func matchDisjoint(x, y pred) bool {
	switch family(x.op.Comparison) {
	case policy.FamilyString:
		xl, yl, ok := stringLangs(x, y, true)
		if !ok {
			return false
		}
		dis, _, decided := disjoint(xl, yl, "x")
		return dis && decided
	case policy.FamilyNumeric:
		return ordDisjoint(numbers(x), numbers(y), cmpFloat)
	case policy.FamilyDate:
		return ordDisjoint(dates(x), dates(y), time.Time.Compare)
	case policy.FamilyBool:
		return bools(x)&bools(y) == 0
	case policy.FamilyIP:
		for _, p := range prefixes(x) {
			for _, q := range prefixes(y) {
				if p.Overlaps(q) {
					return false
				}
			}
		}
		return true
	case policy.FamilyARN:
		for _, a := range x.vals {
			for _, b := range y.vals {
				if !arnDisjoint(a.Text, b.Text) {
					return false
				}
			}
		}
		return true
	case policy.FamilyBinary:
		return !binariesMeet(x.vals, y.vals)
	}
	return false
}

// stringLangs returns the languages of x's and y's String values: StringLike
// values are patterns, the others literals (refused if they hold a wildcard
// character, which the patterns would misread). IgnoreCase folds ASCII case:
// for inclusion only y may fold (then both are folded: v in x gives
// lower(v) in lower(x) ⊆ lower(y), so v matches y), for disjointness either
// (folding only grows both). Non-ASCII text is refused when folding, since
// eval folds ASCII only.
func stringLangs(x, y pred, either bool) (*lang, *lang, bool) {
	fx, fy := isFold(x.op.Comparison), isFold(y.op.Comparison)
	if fx && !fy && !either {
		return nil, nil, false
	}
	fold := fx || fy
	xp, ok1 := stringPatterns(x, fold)
	yp, ok2 := stringPatterns(y, fold)
	if !ok1 || !ok2 {
		return nil, nil, false
	}
	return newLang(xp, fold), newLang(yp, fold), true
}

func isFold(c policy.Comparison) bool {
	return c == policy.StringEqualsIgnoreCase || c == policy.StringNotEqualsIgnoreCase
}

func stringPatterns(p pred, fold bool) ([]string, bool) {
	like := p.op.Comparison == policy.StringLike || p.op.Comparison == policy.StringNotLike
	out := make([]string, len(p.vals))
	for i, v := range p.vals {
		if !like && strings.ContainsAny(v.Text, "*?") {
			return nil, false
		}
		if fold && !isASCII(v.Text) {
			return nil, false
		}
		out[i] = v.Text
	}
	return out, true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// stringUniversal reports whether y's positive test matches every string.
func stringUniversal(y pred) bool {
	if y.op.Comparison != policy.StringLike && y.op.Comparison != policy.StringNotLike {
		return false
	}
	pats, _ := stringPatterns(y, false)
	in, _, decided := included(newLang([]string{"*"}, false), newLang(pats, false), "x")
	return in && decided
}

// ival is an interval of an ordered domain, possibly unbounded.
type ival[T any] struct {
	lo, hi         T
	loInf, hiInf   bool
	loOpen, hiOpen bool
}

// ivalOf returns the values that comparison cmp (its positive form) accepts
// against policy value v: a point or a ray.
func ivalOf[T any](cmp policy.Comparison, v T) ival[T] {
	name := string(cmp)
	switch {
	case strings.HasSuffix(name, "LessThan"):
		return ival[T]{hi: v, loInf: true, hiOpen: true}
	case strings.HasSuffix(name, "LessThanEquals"):
		return ival[T]{hi: v, loInf: true}
	case strings.HasSuffix(name, "GreaterThan"):
		return ival[T]{lo: v, hiInf: true, loOpen: true}
	case strings.HasSuffix(name, "GreaterThanEquals"):
		return ival[T]{lo: v, hiInf: true}
	}
	return ival[T]{lo: v, hi: v}
}

// ordIncluded reports whether the union of xs lies in the union of ys. The
// intervals of one condition share one shape (points, or rays of one
// direction), so a union of them holds an interval exactly when one of them
// does.
func ordIncluded[T any](xs, ys []ival[T], cmp func(T, T) int) bool {
	for _, i := range xs {
		ok := false
		for _, j := range ys {
			if ivalWithin(i, j, cmp) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return xs != nil
}

func ivalWithin[T any](i, j ival[T], cmp func(T, T) int) bool {
	lo := j.loInf || !i.loInf && func() bool {
		c := cmp(j.lo, i.lo)
		return c < 0 || c == 0 && (!j.loOpen || i.loOpen)
	}()
	hi := j.hiInf || !i.hiInf && func() bool {
		c := cmp(i.hi, j.hi)
		return c < 0 || c == 0 && (!j.hiOpen || i.hiOpen)
	}()
	return lo && hi
}

// ordDisjoint reports whether no interval of xs meets one of ys.
func ordDisjoint[T any](xs, ys []ival[T], cmp func(T, T) int) bool {
	below := func(i, j ival[T]) bool { // i lies wholly below j
		if i.hiInf || j.loInf {
			return false
		}
		c := cmp(i.hi, j.lo)
		return c < 0 || c == 0 && (i.hiOpen || j.loOpen)
	}
	for _, i := range xs {
		for _, j := range ys {
			if !below(i, j) && !below(j, i) {
				return false
			}
		}
	}
	return true
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func numbers(p pred) []ival[float64] {
	out := make([]ival[float64], 0, len(p.vals))
	for _, v := range p.vals {
		n, err := policy.ParseNumber(v.Text)
		if err != nil {
			return nil
		}
		out = append(out, ivalOf(p.op.Comparison, n))
	}
	return out
}

func dates(p pred) []ival[time.Time] {
	out := make([]ival[time.Time], 0, len(p.vals))
	for _, v := range p.vals {
		t, err := policy.ParseDate(v.Text)
		if err != nil {
			return nil
		}
		out = append(out, ivalOf(p.op.Comparison, t))
	}
	return out
}

// bools returns the Bool values p accepts: bit 1 true, bit 2 false.
func bools(p pred) uint8 {
	var b uint8
	for _, v := range p.vals {
		switch t, err := policy.ParseBool(v.Text); {
		case err != nil:
		case t:
			b |= 1
		default:
			b |= 2
		}
	}
	return b
}

func prefixes(p pred) []netip.Prefix {
	out := make([]netip.Prefix, 0, len(p.vals))
	for _, v := range p.vals {
		if q, err := policy.ParseCIDR(v.Text); err == nil {
			out = append(out, q)
		}
	}
	return out
}

// prefixesIncluded reports whether each block of xs lies in a block of ys.
func prefixesIncluded(xs, ys []netip.Prefix) bool {
	for _, p := range xs {
		ok := false
		for _, q := range ys {
			if q.Addr().Is4() == p.Addr().Is4() && q.Bits() <= p.Bits() && q.Contains(p.Addr()) {
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

// arnsIncluded reports whether each ARN pattern of xs lies, segment by
// segment, within one of ys (eval matches the segments separately).
func arnsIncluded(xs, ys []policy.Value) bool {
	for _, x := range xs {
		ok := false
		for _, y := range ys {
			if arnWithin(x.Text, y.Text) {
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

func arnSegments(s string) ([5]string, bool) {
	a, err := policy.ParseARN(s)
	if err != nil {
		return [5]string{}, false
	}
	return [5]string{a.Partition, a.Service, a.Region, a.Account, a.Resource}, true
}

func arnWithin(x, y string) bool {
	sx, ok1 := arnSegments(x)
	sy, ok2 := arnSegments(y)
	if !ok1 || !ok2 {
		return false
	}
	for i := range sx {
		in, _, decided := included(newLang([]string{sx[i]}, false), newLang([]string{sy[i]}, false), "x")
		if !in || !decided {
			return false
		}
	}
	return true
}

func arnDisjoint(x, y string) bool {
	sx, ok1 := arnSegments(x)
	sy, ok2 := arnSegments(y)
	if !ok1 || !ok2 {
		return false
	}
	for i := range sx {
		if dis, _, decided := disjoint(newLang([]string{sx[i]}, false), newLang([]string{sy[i]}, false), "x"); dis && decided {
			return true
		}
	}
	return false
}

func binariesIncluded(xs, ys []policy.Value) bool {
	for _, x := range xs {
		if !binariesMeet([]policy.Value{x}, ys) {
			return false
		}
	}
	return true
}

// binariesMeet reports whether a value of xs decodes to the bytes of one of
// ys.
func binariesMeet(xs, ys []policy.Value) bool {
	for _, x := range xs {
		bx, err := policy.ParseBinary(x.Text)
		if err != nil {
			continue
		}
		for _, y := range ys {
			if by, err := policy.ParseBinary(y.Text); err == nil && bytes.Equal(bx, by) {
				return true
			}
		}
	}
	return false
}

// stringsInARNs reports whether every string x's positive String test
// matches is an ARN y's positive Arn test matches: each x value must read
// as an ARN whose first five colon-separated parts hold no wildcard (so a
// '*' of StringLike cannot stand for a colon there), and lie segment by
// segment within a value of y.
func stringsInARNs(x, y pred) bool {
	like := x.op.Comparison == policy.StringLike
	if !like && x.op.Comparison != policy.StringEquals {
		return false
	}
	for _, v := range x.vals {
		a, ok := arn.Split(v.Text)
		if !ok || strings.ContainsAny(a.Partition+a.Service+a.Region+a.Account, "*?") ||
			!like && strings.ContainsAny(a.Resource, "*?") {
			return false
		}
		parts := [6]string{"", a.Partition, a.Service, a.Region, a.Account, a.Resource}
		ok = false
		for _, w := range y.vals {
			sy, good := arnSegments(w.Text)
			if !good {
				continue
			}
			ok = true
			for i := 0; i < 5 && ok; i++ {
				in, _, decided := included(newLang([]string{parts[i+1]}, false), newLang([]string{sy[i]}, false), "x")
				ok = in && decided
			}
			if ok {
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}
