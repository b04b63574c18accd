package eval

import (
	"encoding/base64"
	"strconv"
	"strings"
	"time"
)

// template is a policy element's text with policy variables: ${aws:username},
// ${aws:PrincipalTag/team, 'default'}, and the escapes ${*}, ${?} and ${$}.
// IAM User Guide: "IAM policy elements: Variables and tags". Variables are
// resolved at request time into pattern characters, never into a new string.
type template struct {
	parts []tmplPart
}

type tmplPart struct {
	lit    string // literal text (may hold wildcards)
	key    keyRef // variable key; empty name for literal text
	def    string // default value after the comma
	hasDef bool
	escape byte // '*', '?' or '$' for ${*}, ${?}, ${$}: a literal character
}

// parseTemplate splits s into literal text and variables. It reports false
// when s has no variable, so the caller can use the plain, faster form.
func parseTemplate(s string) (template, bool) {
	var t template
	found := false
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i+2:], '}')
		if j < 0 {
			break
		}
		part, ok := parseVariable(s[i+2 : i+2+j])
		if !ok {
			// Not a variable: keep "${" as text and look further on.
			t.parts = append(t.parts, tmplPart{lit: s[:i+2]})
			s = s[i+2:]
			continue
		}
		found = true
		if i > 0 {
			t.parts = append(t.parts, tmplPart{lit: s[:i]})
		}
		t.parts = append(t.parts, part)
		s = s[i+2+j+1:]
	}
	if s != "" {
		t.parts = append(t.parts, tmplPart{lit: s})
	}
	return t, found
}

// parseVariable parses the inside of ${…}.
func parseVariable(in string) (tmplPart, bool) {
	switch in {
	case "*", "?", "$":
		return tmplPart{escape: in[0]}, true
	}
	key, def, hasDef := strings.Cut(in, ",")
	key = strings.TrimSpace(key)
	if key == "" || strings.ContainsAny(key, " \t'${") {
		return tmplPart{}, false
	}
	p := tmplPart{key: newKeyRef(key)}
	if hasDef {
		def = strings.TrimSpace(def)
		if len(def) < 2 || def[0] != '\'' || def[len(def)-1] != '\'' {
			return tmplPart{}, false
		}
		p.def, p.hasDef = def[1:len(def)-1], true
	}
	return p, true
}

// keys returns the variables' keys.
func (t *template) keys() []string {
	var out []string
	for _, p := range t.parts {
		if p.key.name != "" {
			out = append(out, p.key.name)
		}
	}
	return out
}

// render appends the pattern characters of t for request r to dst. With
// wild, '*' and '?' in literal text are wildcards; text from variables is
// always literal. It reports false when a variable has no value and no
// default: the element it is in does not match.
func (t *template) render(dst []pchar, r *Request, wild bool) ([]pchar, bool) {
	var buf [64]byte
	for i := range t.parts {
		p := &t.parts[i]
		switch {
		case p.escape != 0:
			dst = append(dst, pchar(p.escape))
		case p.key.name == "":
			for j := 0; j < len(p.lit); j++ {
				if wild {
					dst = append(dst, literalOrWild(p.lit[j]))
				} else {
					dst = append(dst, pchar(p.lit[j]))
				}
			}
		default:
			vals, derived, ok := lookup(r, &p.key)
			var text string
			switch {
			case ok && vals == nil:
				text = derived
			case ok && len(vals) == 1 && vals[0].kind == kindString:
				text = vals[0].s
			case ok && len(vals) == 1:
				// A multivalued key cannot be a variable: more than one
				// value counts as none (the default applies, if any).
				b := appendText(buf[:0], &vals[0])
				for _, c := range b {
					dst = append(dst, pchar(c))
				}
				continue
			case p.hasDef:
				text = p.def
			default:
				return dst, false
			}
			for j := 0; j < len(text); j++ {
				dst = append(dst, pchar(text[j]))
			}
		}
	}
	return dst, true
}

// appendText appends v's text (see Value.Text) without allocating, unless
// the value is a long string, which it returns as is.
func appendText(dst []byte, v *Value) []byte {
	switch v.kind {
	case kindNumber:
		return strconv.AppendFloat(dst, v.n, 'f', -1, 64)
	case kindBool:
		return strconv.AppendBool(dst, v.n != 0)
	case kindDate:
		return v.t.UTC().AppendFormat(dst, time.RFC3339)
	case kindIP:
		return v.ip.AppendTo(dst)
	case kindBinary:
		return base64.StdEncoding.AppendEncode(dst, v.b)
	}
	return append(dst, v.s...)
}
