package policy

import (
	"cmp"
	"slices"
	"strings"
	"unicode/utf8"
)

// Print writes d in its canonical form, never d.Text:
//
//   - elements in a fixed order: Version, Id, Statement; in a statement Sid,
//     Effect, Principal, NotPrincipal, Action, NotAction, Resource,
//     NotResource, Condition; principal types AWS, CanonicalUser, Federated,
//     Service;
//   - Statement, and every element that may be a string or a list, always as
//     a list;
//   - conditions sorted by operator, then key (their order means nothing:
//     they are AND'ed);
//   - the order of values within a list kept as written, duplicates included
//     (their order means nothing either, but people read their lists in the
//     order they wrote them, and Validate reports by index);
//   - absent elements left out, elements present with an empty list kept;
//   - four spaces of indentation.
//
// Parse(Print(d)) is Equal to d for every d that Parse returned.
func Print(d *Document) string {
	var p printer
	// The canonical form is about twice as long as a compact text.
	p.b.Grow(2*len(d.Text) + 256)
	p.document(d)
	return p.b.String()
}

type printer struct {
	b     strings.Builder
	depth int
	first bool // no member written yet at this depth
}

func (p *printer) newline() {
	p.b.WriteByte('\n')
	for i := 0; i < p.depth; i++ {
		p.b.WriteString("    ")
	}
}

func (p *printer) open(c byte) {
	p.b.WriteByte(c)
	p.depth++
	p.first = true
}

func (p *printer) close(c byte) {
	p.depth--
	if !p.first {
		p.newline()
	}
	p.b.WriteByte(c)
	p.first = false
}

// next starts a member or element.
func (p *printer) next() {
	if !p.first {
		p.b.WriteByte(',')
	}
	p.first = false
	p.newline()
}

func (p *printer) key(k string) {
	p.next()
	p.str(k)
	p.b.WriteString(": ")
}

func (p *printer) document(d *Document) {
	p.open('{')
	if d.Version != VersionAbsent {
		p.key("Version")
		p.str(string(d.Version))
	}
	if d.ID != "" {
		p.key("Id")
		p.str(d.ID)
	}
	if d.Statements != nil {
		p.key("Statement")
		p.open('[')
		for i := range d.Statements {
			p.next()
			p.statement(&d.Statements[i])
		}
		p.close(']')
	}
	p.close('}')
}

func (p *printer) statement(st *Statement) {
	p.open('{')
	if st.Sid != "" {
		p.key("Sid")
		p.str(st.Sid)
	}
	if st.Effect != "" {
		p.key("Effect")
		p.str(string(st.Effect))
	}
	p.principal("Principal", st.Principal)
	p.principal("NotPrincipal", st.NotPrincipal)
	p.list("Action", st.Action)
	p.list("NotAction", st.NotAction)
	p.list("Resource", st.Resource)
	p.list("NotResource", st.NotResource)
	if len(st.Conditions) > 0 {
		p.key("Condition")
		var buf [16]int
		p.conditions(st.Conditions, conditionOrder(st.Conditions, buf[:]))
	}
	p.close('}')
}

func (p *printer) principal(key string, pr *Principal) {
	if pr == nil {
		return
	}
	p.key(key)
	if pr.Wildcard && pr.AWS == nil && pr.CanonicalUser == nil && pr.Federated == nil && pr.Service == nil {
		p.str("*")
		return
	}
	p.open('{')
	p.list("AWS", pr.AWS)
	p.list("CanonicalUser", pr.CanonicalUser)
	p.list("Federated", pr.Federated)
	p.list("Service", pr.Service)
	p.close('}')
}

// list writes key and a list of strings, or nothing for a nil list.
func (p *printer) list(key string, l []string) {
	if l == nil {
		return
	}
	p.key(key)
	p.open('[')
	for _, s := range l {
		p.next()
		p.str(s)
	}
	p.close(']')
}

// conditions writes cs in the given order, grouped by operator.
func (p *printer) conditions(cs []Condition, order []int) {
	p.open('{')
	for i := 0; i < len(order); {
		op := cs[order[i]].Operator.Name
		p.key(op)
		p.open('{')
		for ; i < len(order) && cs[order[i]].Operator.Name == op; i++ {
			c := &cs[order[i]]
			p.key(c.Key)
			p.open('[')
			for _, v := range c.Values {
				p.next()
				p.value(v)
			}
			p.close(']')
		}
		p.close('}')
	}
	p.close('}')
}

func (p *printer) value(v Value) {
	switch {
	case v.Type == ValueNumber && isNumber(v.Text):
		p.b.WriteString(v.Text)
	case v.Type == ValueBool && (v.Text == "true" || v.Text == "false"):
		p.b.WriteString(v.Text)
	default:
		p.str(v.Text)
	}
}

// isNumber reports whether s is a JSON number.
func isNumber(s string) bool {
	sc := newScanner(s)
	n, err := sc.number()
	return err == nil && n == s
}

// conditionOrder returns the indexes of cs in canonical order: by operator,
// then key. It sorts indexes, not Conditions, so that nothing is copied;
// buf is used when it is large enough.
func conditionOrder(cs []Condition, buf []int) []int {
	order := buf[:0]
	for i := range cs {
		order = append(order, i)
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(cs[a].Operator.Name, cs[b].Operator.Name), cmp.Compare(cs[a].Key, cs[b].Key))
	})
	return order
}

const hexDigits = "0123456789abcdef"

// str writes s as a JSON string. Control characters are escaped; so is
// invalid UTF-8 (as U+FFFD), which Parse never returns but code may build.
func (p *printer) str(s string) {
	b := &p.b
	b.WriteByte('"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRuneInString(s[i:])
			if r != utf8.RuneError || n != 1 {
				i += n
				continue
			}
		}
		b.WriteString(s[start:i])
		switch c {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if c >= utf8.RuneSelf {
				b.WriteString(`\ufffd`)
			} else {
				b.WriteString(`\u00`)
				b.WriteByte(hexDigits[c>>4])
				b.WriteByte(hexDigits[c&0xF])
			}
		}
		i++
		start = i
	}
	b.WriteString(s[start:])
	b.WriteByte('"')
}
