package analysis

import "strings"

// patSet is a set of strings given by wildcard patterns: the strings one of
// pats matches, or, when not, those none matches (a NotAction or
// NotResource element).
type patSet struct {
	pats []string
	not  bool
}

// covered reports whether every string of x that no set of excl holds is in
// one of ys: proven (true), refuted (false with a witness) or undecided
// (decided false). fold ignores case, as actions are matched.
func covered(x patSet, excl, ys []patSet, fold bool) (ok bool, w string, decided bool) {
	var ins []*lang
	var out []string
	// A string outside a positive set must avoid its patterns; one outside
	// a complement must match one of them.
	add := func(s patSet) {
		if s.not {
			ins = append(ins, newLang(s.pats, fold))
		} else {
			out = append(out, s.pats...)
		}
	}
	if x.not {
		out = append(out, x.pats...)
	} else {
		ins = append(ins, newLang(x.pats, fold))
	}
	for _, e := range excl {
		add(e)
	}
	for _, y := range ys {
		add(y)
	}
	if !x.not {
		out = relevant(out, x.pats, fold)
	}
	outL := newLang(out, fold)
	if !x.not {
		// Most refutations have an obvious witness: an instance of x.
		for _, p := range x.pats {
			if w := instance(p); langsAccept(ins, w, fold) && !langAccepts(outL, w, fold) {
				return false, w, true
			}
		}
	}
	return verdict(search(ins, outL, "x"))
}

// langAccepts reports whether l holds s, by running its automaton.
func langAccepts(l *lang, s string, fold bool) bool {
	if fold {
		s = strings.ToLower(s)
	}
	st := normalize(l.start())
	for i := 0; i < len(s) && len(st) > 0; i++ {
		st = l.step(st, s[i])
	}
	return l.accepts(st)
}

func langsAccept(ls []*lang, s string, fold bool) bool {
	for _, l := range ls {
		if !langAccepts(l, s, fold) {
			return false
		}
	}
	return true
}

// meets reports whether x and y share no string (true), or a string they
// share; decided is false when the search gave up.
func meets(x, y patSet, fold bool) (dis bool, w string, decided bool) {
	var ins []*lang
	var out []string
	for _, s := range []patSet{x, y} {
		if s.not {
			out = append(out, s.pats...)
		} else {
			ins = append(ins, newLang(s.pats, fold))
		}
	}
	return verdict(search(ins, newLang(out, fold), "x"))
}

// relevant returns the patterns of pats that may match a string one of xs
// matches: those whose literal beginnings (up to the first wildcard) are
// compatible with one of xs'. Leaving the others out of a language to avoid
// changes no difference with xs, and keeps the automata small.
func relevant(pats, xs []string, fold bool) []string {
	var out []string
	for _, p := range pats {
		for _, x := range xs {
			if prefixCompatible(p, x, fold) {
				out = append(out, p)
				break
			}
		}
	}
	return out
}

// prefixCompatible reports whether the literal beginnings of p and q agree
// as far as both go.
func prefixCompatible(p, q string, fold bool) bool {
	for i := 0; i < len(p) && i < len(q); i++ {
		a, b := p[i], q[i]
		if a == '*' || b == '*' {
			return true
		}
		if a == '?' || b == '?' {
			continue
		}
		if fold {
			a, b = lower(a), lower(b)
		}
		if a != b {
			return false
		}
	}
	return true
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// widen returns pattern p with each policy variable replaced by '*': a
// pattern matching every string p can match once its variables are
// rendered (their values become literal characters).
func widen(p string) string {
	return mapVars(p, func(string, string) string { return "*" })
}
