package eval

import "strings"

// glob is a precompiled wildcard pattern: '*' matches any run of characters
// (including none, and including ':' and '/'), '?' matches any one byte. IAM
// User Guide: "IAM JSON policy elements: Action" and "…: Resource".
type glob struct {
	// kind selects the fastest matcher the pattern allows.
	kind globKind
	// lit is the whole pattern for globExact; prefix and suffix surround the
	// first and last '*' for globStars, with mid the literal runs between.
	lit, prefix, suffix string
	mid                 []string
	// pat is the pattern as pattern characters, for globGeneral.
	pat []pchar
}

type globKind uint8

const (
	globAny     globKind = iota // "*"
	globExact                   // no wildcard
	globStars                   // '*' but no '?'
	globGeneral                 // '?'
)

// pchar is one pattern character: a byte (0–255), or pStar or pOne. Policy
// variables render into pattern characters so that a '*' in a variable's value
// (or ${*}) stays a literal.
type pchar uint16

const (
	pStar pchar = 256 + iota
	pOne
)

func compileGlob(p string) glob {
	switch {
	case p == "*":
		return glob{kind: globAny}
	case !strings.ContainsAny(p, "*?"):
		return glob{kind: globExact, lit: p}
	case !strings.Contains(p, "?"):
		parts := strings.Split(p, "*")
		return glob{kind: globStars, prefix: parts[0], suffix: parts[len(parts)-1], mid: parts[1 : len(parts)-1]}
	}
	pat := make([]pchar, len(p))
	for i := 0; i < len(p); i++ {
		pat[i] = literalOrWild(p[i])
	}
	return glob{kind: globGeneral, pat: pat}
}

func literalOrWild(c byte) pchar {
	switch c {
	case '*':
		return pStar
	case '?':
		return pOne
	}
	return pchar(c)
}

// match reports whether s matches the pattern, case-sensitively.
func (g *glob) match(s string) bool {
	switch g.kind {
	case globAny:
		return true
	case globExact:
		return s == g.lit
	case globStars:
		if len(s) < len(g.prefix)+len(g.suffix) || !strings.HasPrefix(s, g.prefix) || !strings.HasSuffix(s, g.suffix) {
			return false
		}
		s = s[len(g.prefix) : len(s)-len(g.suffix)]
		for _, m := range g.mid {
			i := strings.Index(s, m)
			if i < 0 {
				return false
			}
			s = s[i+len(m):]
		}
		return true
	}
	return matchPattern(g.pat, s, false)
}

// matchPattern reports whether s matches p; with fold, letters compare
// case-insensitively (ASCII). It backtracks only to the last '*', which is
// enough for patterns without character classes, and never allocates.
func matchPattern(p []pchar, s string, fold bool) bool {
	pi, si := 0, 0
	starP, starS := -1, 0
	for si < len(s) {
		if pi < len(p) {
			switch c := p[pi]; {
			case c == pStar:
				starP, starS = pi, si
				pi++
				continue
			case c == pOne, byte(c) == s[si] && c < 256, fold && c < 256 && lowerASCII(byte(c)) == lowerASCII(s[si]):
				pi++
				si++
				continue
			}
		}
		if starP < 0 {
			return false
		}
		starS++
		pi, si = starP+1, starS
	}
	for pi < len(p) && p[pi] == pStar {
		pi++
	}
	return pi == len(p)
}

// equalPattern reports whether s equals p taken literally (wildcards in p
// compare as the characters '*' and '?').
func equalPattern(p []pchar, s string, fold bool) bool {
	if len(p) != len(s) {
		return false
	}
	for i, c := range p {
		b := byte(c)
		switch c {
		case pStar:
			b = '*'
		case pOne:
			b = '?'
		}
		if b != s[i] && (!fold || lowerASCII(b) != lowerASCII(s[i])) {
			return false
		}
	}
	return true
}
