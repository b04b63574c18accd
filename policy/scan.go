package policy

import (
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// maxDepth bounds the nesting of JSON values, so that hostile input cannot
// grow the stack. Real policies nest four levels deep (Statement, Condition,
// operator, values).
const maxDepth = 64

// scanner reads JSON from a string and keeps the line and column of its
// position. It is this package's own tokenizer because encoding/json does not
// report where a value was written, and findings must.
//
// Strings without escapes are returned as substrings of the text, so parsing
// a policy allocates little beyond the Document itself.
type scanner struct {
	s         string
	i         int
	line      int // line of s[lineStart], from 1
	lineStart int // offset where the current line begins
	depth     int
	// nonASCII: a byte ≥ 0x80 was read. Only strings may hold one, and
	// slowStr is where they are read.
	nonASCII bool
}

func newScanner(s string) *scanner { return &scanner{s: s, line: 1} }

// pos returns the current position.
func (sc *scanner) pos() Position {
	return Position{Offset: sc.i, Line: sc.line, Column: sc.i - sc.lineStart + 1}
}

// space skips JSON white space. Newlines can only occur here (JSON strings may
// not contain raw control characters), so this is where lines are counted.
func (sc *scanner) space() {
	s, i := sc.s, sc.i
	for ; i < len(s); i++ {
		switch s[i] {
		case ' ', '\t', '\r':
		case '\n':
			sc.line++
			sc.lineStart = i + 1
		default:
			sc.i = i
			return
		}
	}
	sc.i = i
}

// peek skips white space and returns the next byte, or 0 at the end.
func (sc *scanner) peek() byte {
	sc.space()
	if sc.i >= len(sc.s) {
		return 0
	}
	return sc.s[sc.i]
}

// syntax returns a syntax error at the current position.
func (sc *scanner) syntax(detail string) *ParseError {
	return newParseError(CodeSyntax, sc.pos(), detail)
}

// unexpected describes the byte at the current position in a syntax error.
func (sc *scanner) unexpected(want string) *ParseError {
	if sc.i >= len(sc.s) {
		return sc.syntax("unexpected end of text, want " + want)
	}
	r, _ := utf8.DecodeRuneInString(sc.s[sc.i:])
	return sc.syntax("unexpected " + strconv.QuoteRune(r) + ", want " + want)
}

// str reads a JSON string at the current position (after white space).
func (sc *scanner) str() (string, error) {
	if sc.peek() != '"' {
		return "", sc.unexpected("a string")
	}
	s := sc.s
	start := sc.i + 1
	for j := start; j < len(s); j++ {
		switch c := s[j]; {
		case c == '"':
			sc.i = j + 1
			return s[start:j], nil
		case c == '\\' || c < 0x20 || c >= utf8.RuneSelf:
			// Leave the fast path: escapes, control characters and
			// multi-byte characters (which must be valid UTF-8).
			return sc.slowStr(start, j)
		}
	}
	sc.i = len(s)
	return "", sc.syntax("unterminated string")
}

// slowStr finishes a string that began at start and needs a closer look
// from j on. A string without escapes is still returned as a substring.
func (sc *scanner) slowStr(start, j int) (string, error) {
	var b *strings.Builder // nil until the first escape
	for j < len(sc.s) {
		c := sc.s[j]
		switch {
		case c == '"':
			sc.i = j + 1
			if b == nil {
				return sc.s[start:j], nil
			}
			return b.String(), nil
		case c < 0x20:
			sc.i = j
			return "", sc.syntax("control character in string")
		case c >= utf8.RuneSelf:
			sc.nonASCII = true
			r, n := utf8.DecodeRuneInString(sc.s[j:])
			if r == utf8.RuneError && n == 1 {
				sc.i = j
				return "", sc.syntax("invalid UTF-8")
			}
			if b != nil {
				b.WriteString(sc.s[j : j+n])
			}
			j += n
		case c == '\\':
			if b == nil {
				b = new(strings.Builder)
				b.WriteString(sc.s[start:j])
			}
			n, err := sc.escape(b, j)
			if err != nil {
				return "", err
			}
			j += n
		default:
			if b != nil {
				b.WriteByte(c)
			}
			j++
		}
	}
	sc.i = len(sc.s)
	return "", sc.syntax("unterminated string")
}

// escape decodes the escape sequence at s[j] (a backslash) into b and returns
// its length. A lone UTF-16 surrogate decodes to U+FFFD, as encoding/json does.
func (sc *scanner) escape(b *strings.Builder, j int) (int, error) {
	if j+1 >= len(sc.s) {
		sc.i = j
		return 0, sc.syntax("unterminated string")
	}
	switch c := sc.s[j+1]; c {
	case '"', '\\', '/':
		b.WriteByte(c)
	case 'b':
		b.WriteByte('\b')
	case 'f':
		b.WriteByte('\f')
	case 'n':
		b.WriteByte('\n')
	case 'r':
		b.WriteByte('\r')
	case 't':
		b.WriteByte('\t')
	case 'u':
		r, ok := hex4(sc.s, j+2)
		if !ok {
			sc.i = j
			return 0, sc.syntax(`invalid \u escape`)
		}
		if utf16.IsSurrogate(r) {
			if r2, ok := hex4(sc.s, j+8); ok && sc.s[j+6] == '\\' && sc.s[j+7] == 'u' {
				if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
					b.WriteRune(d)
					return 12, nil
				}
			}
			r = utf8.RuneError
		}
		b.WriteRune(r)
		return 6, nil
	default:
		sc.i = j
		return 0, sc.syntax("invalid escape in string")
	}
	return 2, nil
}

// hex4 decodes four hex digits at s[i:].
func hex4(s string, i int) (rune, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	var r rune
	for _, c := range []byte(s[i : i+4]) {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// number reads a JSON number and returns its text as written.
func (sc *scanner) number() (string, error) {
	sc.space()
	start := sc.i
	j := start
	if j < len(sc.s) && sc.s[j] == '-' {
		j++
	}
	switch {
	case j < len(sc.s) && sc.s[j] == '0':
		j++
	case j < len(sc.s) && sc.s[j] >= '1' && sc.s[j] <= '9':
		j = digits(sc.s, j)
	default:
		sc.i = j
		return "", sc.unexpected("a digit")
	}
	if j < len(sc.s) && sc.s[j] == '.' {
		k := digits(sc.s, j+1)
		if k == j+1 {
			sc.i = k
			return "", sc.unexpected("a digit")
		}
		j = k
	}
	if j < len(sc.s) && (sc.s[j] == 'e' || sc.s[j] == 'E') {
		j++
		if j < len(sc.s) && (sc.s[j] == '+' || sc.s[j] == '-') {
			j++
		}
		k := digits(sc.s, j)
		if k == j {
			sc.i = k
			return "", sc.unexpected("a digit")
		}
		j = k
	}
	sc.i = j
	return sc.s[start:j], nil
}

func digits(s string, j int) int {
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	return j
}

// literal reads true, false or null.
func (sc *scanner) literal(word string) error {
	sc.space()
	if !strings.HasPrefix(sc.s[sc.i:], word) {
		return sc.unexpected(word)
	}
	sc.i += len(word)
	return nil
}

// object reads a JSON object, calling member for each key with the scanner
// placed before the key's value; member must read that value.
func (sc *scanner) object(member func(key string, at Position) error) error {
	if sc.peek() != '{' {
		return sc.unexpected("an object")
	}
	if sc.depth++; sc.depth > maxDepth {
		return sc.syntax("nested too deeply")
	}
	sc.i++
	if sc.peek() == '}' {
		sc.i++
		sc.depth--
		return nil
	}
	for {
		sc.space()
		at := sc.pos()
		key, err := sc.str()
		if err != nil {
			return err
		}
		if sc.peek() != ':' {
			return sc.unexpected("':'")
		}
		sc.i++
		if err := member(key, at); err != nil {
			return err
		}
		switch sc.peek() {
		case ',':
			sc.i++
		case '}':
			sc.i++
			sc.depth--
			return nil
		default:
			return sc.unexpected("',' or '}'")
		}
	}
}

// array reads a JSON array, calling elem for each element with the scanner
// placed before it; elem must read the element.
func (sc *scanner) array(elem func(i int) error) error {
	if sc.peek() != '[' {
		return sc.unexpected("an array")
	}
	if sc.depth++; sc.depth > maxDepth {
		return sc.syntax("nested too deeply")
	}
	sc.i++
	if sc.peek() == ']' {
		sc.i++
		sc.depth--
		return nil
	}
	for n := 0; ; n++ {
		if err := elem(n); err != nil {
			return err
		}
		switch sc.peek() {
		case ',':
			sc.i++
		case ']':
			sc.i++
			sc.depth--
			return nil
		default:
			return sc.unexpected("',' or ']'")
		}
	}
}

// skip reads any JSON value and discards it.
func (sc *scanner) skip() error {
	switch sc.peek() {
	case '{':
		return sc.object(func(string, Position) error { return sc.skip() })
	case '[':
		return sc.array(func(int) error { return sc.skip() })
	case '"':
		_, err := sc.str()
		return err
	case 't':
		return sc.literal("true")
	case 'f':
		return sc.literal("false")
	case 'n':
		return sc.literal("null")
	}
	_, err := sc.number()
	return err
}
