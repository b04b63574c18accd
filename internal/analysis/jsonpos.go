package analysis

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/iamq/iamq/policy"
)

// PathElem is one step of a JSON path into a policy document: a key of an
// object, or (Index true) an element of an array. Access Analyzer's findings
// name where they are with such paths (its PathElement: index, key, …).
type PathElem struct {
	Key     string
	Index   int
	IsIndex bool
}

// Key returns the path step into an object's member k.
func Key(k string) PathElem { return PathElem{Key: k} }

// Index returns the path step into an array's i-th element.
func Index(i int) PathElem { return PathElem{Index: i, IsIndex: true} }

// Span is the text of a JSON value: from the position of its first byte to
// the position just after its last one.
type Span struct {
	Start policy.Position
	End   policy.Position
}

// Locate returns the span of the value at path in text. An index 0 into a
// value that is not an array is that value itself, as IAM reads a lone
// string as a list of one. It reports false when text is not JSON along the
// path or has no such value. It reads only the text it must, and never
// recurses, so any text is safe to give it.
func Locate(text string, path []PathElem) (Span, bool) {
	sc := &jscan{s: text}
	sc.ws()
	for _, e := range path {
		if !sc.enter(e) {
			return Span{}, false
		}
	}
	start := sc.i
	if !sc.skip() {
		return Span{}, false
	}
	return Span{Start: PositionAt(text, start), End: PositionAt(text, sc.i)}, true
}

// PositionAt returns the position of byte offset off in text: its 1-based
// line and column (columns count bytes). An offset past the end is the end.
func PositionAt(text string, off int) policy.Position {
	off = min(max(off, 0), len(text))
	line := 1 + strings.Count(text[:off], "\n")
	return policy.Position{Offset: off, Line: line, Column: off - strings.LastIndexByte(text[:off], '\n')}
}

// jscan reads JSON text forwards from offset i.
type jscan struct {
	s string
	i int
}

func (sc *jscan) ws() {
	for sc.i < len(sc.s) {
		switch sc.s[sc.i] {
		case ' ', '\t', '\n', '\r':
			sc.i++
		default:
			return
		}
	}
}

func (sc *jscan) peek() byte {
	if sc.i < len(sc.s) {
		return sc.s[sc.i]
	}
	return 0
}

// eat consumes c (after white space) and reports whether it was there.
func (sc *jscan) eat(c byte) bool {
	sc.ws()
	if sc.peek() != c {
		return false
	}
	sc.i++
	sc.ws()
	return true
}

// enter moves from the value at i to its member or element e.
func (sc *jscan) enter(e PathElem) bool {
	switch {
	case e.IsIndex && sc.peek() == '[':
		return sc.element(e.Index)
	case e.IsIndex:
		return e.Index == 0
	case sc.peek() == '{':
		return sc.member(e.Key)
	}
	return false
}

// member moves into the object at i to the value of key (the last one of
// that name, as policy.Parse keeps it; an exact match first, else one that
// differs in case).
func (sc *jscan) member(key string) bool {
	sc.i++
	exact, folded := -1, -1
	for sc.ws(); sc.peek() != '}'; {
		k, ok := sc.str()
		if !ok || !sc.eat(':') {
			return false
		}
		switch {
		case k == key:
			exact = sc.i
		case strings.EqualFold(k, key):
			folded = sc.i
		}
		if !sc.skip() {
			return false
		}
		if sc.ws(); sc.peek() == ',' {
			sc.i++
			sc.ws()
		} else if sc.peek() != '}' {
			return false
		}
	}
	if exact < 0 {
		exact = folded
	}
	sc.i = exact
	return exact >= 0
}

// element moves into the array at i to its n-th element.
func (sc *jscan) element(n int) bool {
	sc.i++
	for k := 0; ; k++ {
		if sc.ws(); sc.peek() == ']' || sc.i >= len(sc.s) {
			return false
		}
		if k == n {
			return true
		}
		if !sc.skip() {
			return false
		}
		if sc.ws(); sc.peek() == ',' {
			sc.i++
		} else {
			return false
		}
	}
}

// str reads a string at i and returns its decoded value.
func (sc *jscan) str() (string, bool) {
	start := sc.i
	if !sc.skipString() {
		return "", false
	}
	raw := sc.s[start:sc.i]
	if !strings.Contains(raw, `\`) {
		return raw[1 : len(raw)-1], true
	}
	var v string
	if json.Unmarshal([]byte(raw), &v) != nil {
		return "", false
	}
	return v, true
}

func (sc *jscan) skipString() bool {
	if sc.peek() != '"' {
		return false
	}
	for sc.i++; sc.i < len(sc.s); sc.i++ {
		switch sc.s[sc.i] {
		case '\\':
			sc.i++
		case '"':
			sc.i++
			return true
		}
	}
	return false
}

// skip moves past the value at i. Nesting is counted, not recursed into.
func (sc *jscan) skip() bool {
	depth := 0
	for {
		sc.ws()
		switch c := sc.peek(); c {
		case 0:
			return false
		case '"':
			if !sc.skipString() {
				return false
			}
		case '{', '[':
			depth++
			sc.i++
			continue
		case '}', ']':
			if depth == 0 {
				return false
			}
			depth--
			sc.i++
		case ',', ':':
			if depth == 0 {
				return false
			}
			sc.i++
			continue
		default:
			if !sc.skipLiteral() {
				return false
			}
		}
		if depth == 0 {
			return true
		}
	}
}

// skipLiteral moves past a number, true, false or null.
func (sc *jscan) skipLiteral() bool {
	start := sc.i
	for sc.i < len(sc.s) && strings.IndexByte(" \t\r\n,:]}[{\"", sc.s[sc.i]) < 0 {
		sc.i++
	}
	return sc.i > start
}

// ParsePath splits a path as package policy and the catalog's lint write
// them ("Statement[1].Condition.StringEquals.aws:SourceIp[0]") into steps.
// A condition key may itself hold dots: everything after the operator is the
// key.
func ParsePath(p string) []PathElem {
	var out []PathElem
	segs := strings.Split(p, ".")
	for i := 0; i < len(segs); i++ {
		seg := segs[i]
		if len(out) >= 2 && !out[len(out)-1].IsIndex && out[len(out)-2].Key == "Condition" && i < len(segs)-1 {
			seg = strings.Join(segs[i:], ".")
			i = len(segs)
		}
		out = append(out, splitIndexes(seg)...)
	}
	return out
}

// splitIndexes splits "Action[2]" into the key and its indexes.
func splitIndexes(seg string) []PathElem {
	var idx []PathElem
	for strings.HasSuffix(seg, "]") {
		open := strings.LastIndexByte(seg, '[')
		if open < 0 {
			break
		}
		n, err := strconv.Atoi(seg[open+1 : len(seg)-1])
		if err != nil || n < 0 {
			break
		}
		idx = append([]PathElem{Index(n)}, idx...)
		seg = seg[:open]
	}
	if seg == "" {
		return idx
	}
	return append([]PathElem{Key(seg)}, idx...)
}
