package policy

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// locate finds where element key of statement st was written in d.Text and,
// when elem >= 0, where its elem-th value was (a lone string is value 0). It
// returns that position and its JSON path. Parse keeps positions only for
// statements and condition keys, so that the common case (a valid document)
// stays cheap; findings are rare, and pay for this second look.
//
// A Document that was not parsed from Text (built in code) gets the
// statement's position.
func (d *Document) locate(st *Statement, key string, elem int) (Position, string) {
	return d.locateIn(st.Pos, index("Statement", st.Index), key, elem)
}

// locateIn is locate for the object that begins at start, whose path is
// prefix.
func (d *Document) locateIn(start Position, prefix, key string, elem int) (Position, string) {
	path := join(prefix, key)
	at := start
	o := start.Offset
	if start.Line == 0 || o >= len(d.Text) || d.Text[o] != '{' {
		if elem >= 0 {
			path = index(path, elem)
		}
		return at, path
	}
	sc := &scanner{s: d.Text, i: o, line: start.Line, lineStart: o - start.Column + 1}
	list := false
	_ = sc.object(func(k string, keyAt Position) error {
		if k != key {
			return sc.skip()
		}
		at = keyAt
		if elem < 0 {
			return sc.skip()
		}
		if sc.peek() != '[' {
			list = false
			at = sc.pos()
			return sc.skip()
		}
		list = true
		return sc.array(func(i int) error {
			if i == elem {
				sc.space()
				at = sc.pos()
			}
			return sc.skip()
		})
	})
	if list {
		path = index(path, elem)
	}
	return at, path
}

// start returns the position of the document's opening brace.
func (d *Document) start() Position {
	sc := newScanner(d.Text)
	sc.space()
	return sc.pos()
}

// positionAt returns the position of byte offset off in text.
func positionAt(text string, off int) Position {
	line := 1 + strings.Count(text[:off], "\n")
	return Position{Offset: off, Line: line, Column: off - strings.LastIndexByte(text[:off], '\n')}
}

// allowedRune reports whether IAM accepts r in a policy document: tab, LF,
// CR and U+0020 to U+00FF (IAM User Guide, "IAM and AWS STS quotas").
func allowedRune(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r <= 0xFF)
}

// characterFinding reports the first character of text that IAM does not
// accept, with the number of such characters.
func characterFinding(text string) (Finding, bool) {
	// Fast path: printable ASCII and the three allowed controls.
	i := 0
	for ; i < len(text); i++ {
		if c := text[i]; c >= utf8.RuneSelf || c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			break
		}
	}
	if i == len(text) {
		return Finding{}, false
	}
	first, n := -1, 0
	var bad rune
	for i < len(text) {
		start := i
		r := rune(text[i])
		if r < utf8.RuneSelf {
			i++
		} else {
			var w int
			r, w = utf8.DecodeRuneInString(text[i:])
			i += w
		}
		if allowedRune(r) {
			continue
		}
		if first < 0 {
			first, bad = start, r
		}
		n++
	}
	if first < 0 {
		return Finding{}, false
	}
	detail := "character " + strconv.QuoteRuneToASCII(bad) + " is outside tab, LF, CR and U+0020–U+00FF"
	if n > 1 {
		detail += " (" + strconv.Itoa(n) + " such characters)"
	}
	// Unverified: IAM's text for this case; its catch-all is the likeliest.
	return Finding{Code: CodeCharacter, Pos: positionAt(text, first), Message: MsgSyntax, Detail: detail}, true
}
