package policy

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// MaxTextBytes is the largest document text Parse and ParseReader accept,
// 1 MiB. The largest AWS managed policy (ReadOnlyAccess) is about 100 KB with
// white space; customer documents are limited to a few KB (see MaxManaged).
const MaxTextBytes = 1 << 20

// Parse reads a policy document. It fails, with a *ParseError, only when the
// text is not JSON or cannot be represented as a Document (an Effect that is a
// number, an Action that is an object). Everything that can be represented but
// that IAM would refuse (an unknown element, a duplicate key, a missing
// Effect, an action without a vendor) is left to Document.Validate, so that
// every finding is reported at once, with its place in the text.
//
// When a key appears twice in one JSON object, the last one wins, as in
// encoding/json; Validate reports the duplicate.
func Parse(text string) (*Document, error) {
	if len(text) > MaxTextBytes {
		return nil, tooLarge()
	}
	p := parser{sc: newScanner(text)}
	d := &Document{Text: text}
	if err := p.document(d); err != nil {
		return nil, err
	}
	if p.sc.peek() != 0 {
		return nil, p.sc.unexpected("the end of the text")
	}
	d.notes = p.notes
	// Valid JSON outside strings is ASCII, and control characters in
	// strings are syntax errors: without a byte ≥ 0x80 every character is
	// one IAM allows.
	d.checkedChars = !p.sc.nonASCII
	return d, nil
}

// ParseReader reads a policy document from r. It reads at most MaxTextBytes+1
// bytes: longer input is refused with ErrTooLarge without being read whole.
func ParseReader(r io.Reader) (*Document, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxTextBytes+1))
	if err != nil {
		return nil, fmt.Errorf("policy: reading document: %w", err)
	}
	if len(b) > MaxTextBytes {
		return nil, tooLarge()
	}
	return Parse(string(b))
}

// docPath is the Path of a finding about the document as a whole being of the
// wrong JSON type.
const docPath = "the document"

func tooLarge() *ParseError {
	return &ParseError{Finding{Code: CodeTooLarge, Message: MsgSyntax,
		Detail: "document longer than " + strconv.Itoa(MaxTextBytes) + " bytes"}}
}

// parser turns JSON into a Document. Findings about text the Document cannot
// keep (unknown elements, duplicate keys) are collected in notes, which
// Validate reports along with its own.
type parser struct {
	sc    *scanner
	notes []Finding
	// Lists are gathered in scratch and then kept in slabs shared by the
	// document's small lists, each capped (s[i:j:j]) so that appending to
	// one copies it instead of overwriting its neighbour. A policy of many
	// short lists thus costs a few allocations instead of one per list.
	scratch  []string
	vscratch []Value
	strSlab  []string
	valSlab  []Value
}

// slabMin is the size of a new slab; longer lists get their own array.
const slabMin = 64

// keepStrs returns a copy of list that the Document may keep.
func (p *parser) keepStrs(list []string) []string {
	n := len(list)
	switch {
	case n == 0:
		return []string{}
	case n > slabMin:
		return append(make([]string, 0, n), list...)
	case cap(p.strSlab)-len(p.strSlab) < n:
		p.strSlab = make([]string, 0, slabMin)
	}
	i := len(p.strSlab)
	p.strSlab = append(p.strSlab, list...)
	return p.strSlab[i:len(p.strSlab):len(p.strSlab)]
}

// keepValues is keepStrs for condition values.
func (p *parser) keepValues(list []Value) []Value {
	n := len(list)
	switch {
	case n == 0:
		return []Value{}
	case n > slabMin:
		return append(make([]Value, 0, n), list...)
	case cap(p.valSlab)-len(p.valSlab) < n:
		p.valSlab = make([]Value, 0, slabMin)
	}
	i := len(p.valSlab)
	p.valSlab = append(p.valSlab, list...)
	return p.valSlab[i:len(p.valSlab):len(p.valSlab)]
}

// path is a JSON path ("Statement[1].Condition"), as a chain of nodes on
// the stack that is turned into a string only when a finding needs it:
// building strings for every element would cost more than parsing it.
type path struct {
	parent *path
	key    string // "" for an element of a list
	index  int    // -1 for a key
}

// at returns the path of key within p.
func (p *path) at(key string) path { return path{parent: p, key: key, index: -1} }

// elem returns the path of the i-th element of the list at p.
func (p *path) elem(i int) path { return path{parent: p, index: i} }

// String returns the path's text. It is not recursive, so that escape
// analysis can keep paths on the stack.
func (p *path) String() string {
	var nodes [8]*path // paths are at most 6 deep
	n := 0
	for q := p; q != nil && n < len(nodes); q = q.parent {
		nodes[n] = q
		n++
	}
	var b strings.Builder
	for i := n - 1; i >= 0; i-- {
		if q := nodes[i]; q.key != "" {
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(q.key)
		}
		if q := nodes[i]; q.index >= 0 {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(q.index))
			b.WriteByte(']')
		}
	}
	return b.String()
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

func (p *parser) note(code Code, at *path, pos Position, detail string) {
	p.notes = append(p.notes, Finding{Code: code, Path: at.String(), Pos: pos, Message: MsgSyntax, Detail: detail})
}

// typeError reports an element of a JSON type it cannot have.
func (p *parser) typeError(at *path, want string) *ParseError {
	s := at.String()
	return &ParseError{Finding{Code: CodeType, Path: s, Pos: p.sc.pos(), Message: MsgSyntax,
		Detail: s + " must be " + want}}
}

// keySet finds duplicate keys in one JSON object: a short array while it is
// short, a map once it is long, so that hostile input stays linear.
type keySet struct {
	short [8]string
	n     int
	m     map[string]struct{}
}

// add records key and reports whether it was already there.
func (ks *keySet) add(key string) bool {
	if ks.m != nil {
		_, dup := ks.m[key]
		ks.m[key] = struct{}{}
		return dup
	}
	for _, k := range ks.short[:ks.n] {
		if k == key {
			return true
		}
	}
	if ks.n < len(ks.short) {
		ks.short[ks.n] = key
		ks.n++
		return false
	}
	ks.m = make(map[string]struct{}, 4*len(ks.short))
	for _, k := range ks.short {
		ks.m[k] = struct{}{}
	}
	ks.m[key] = struct{}{}
	return false
}

// member checks one key of the object at parent for duplicates. Unverified
// whether IAM refuses duplicate keys; its Access Analyzer reports them as
// errors, and a document whose meaning depends on which duplicate wins is
// one nobody should store, so they are errors here.
func (p *parser) member(ks *keySet, parent *path, key string, pos Position) {
	if ks.add(key) {
		at := parent.at(key)
		p.note(CodeDuplicateKey, &at, pos, fmt.Sprintf("duplicate key %q (the last one wins)", key))
	}
}

func (p *parser) document(d *Document) error {
	switch c := p.sc.peek(); {
	case c == '{':
	case c == '[' || c == '"' || c == '-' || c == 't' || c == 'f' || c == 'n' || (c >= '0' && c <= '9'):
		return p.typeError(&path{key: docPath, index: -1}, "a JSON object")
	default:
		return p.sc.unexpected("a JSON object")
	}
	var ks keySet
	return p.sc.object(func(key string, pos Position) error {
		p.member(&ks, nil, key, pos)
		at := path{key: key, index: -1}
		switch key {
		case "Version":
			s, err := p.str(&at)
			if s == "" && err == nil {
				p.note(CodeVersion, &at, pos, "Version is empty")
			}
			d.Version = Version(s)
			return err
		case "Id":
			s, err := p.str(&at)
			d.ID = s
			return err
		case "Statement":
			return p.statements(d, &at)
		}
		p.note(CodeUnknownElement, &at, pos, fmt.Sprintf("unknown element %q", key))
		return p.sc.skip()
	})
}

// str reads a string element.
func (p *parser) str(at *path) (string, error) {
	if p.sc.peek() != '"' {
		return "", p.typeError(at, "a string")
	}
	return p.sc.str()
}

// strs reads a string or a list of strings. A list is never nil, even when
// empty, so that an element present as [] differs from an absent one.
func (p *parser) strs(at *path) ([]string, error) {
	switch p.sc.peek() {
	case '"':
		s, err := p.sc.str()
		return p.keepStrs([]string{s}), err
	case '[':
	default:
		return nil, p.typeError(at, "a string or a list of strings")
	}
	list := p.scratch[:0]
	err := p.sc.array(func(i int) error {
		if p.sc.peek() != '"' {
			e := at.elem(i)
			return p.typeError(&e, "a string")
		}
		s, err := p.sc.str()
		list = append(list, s)
		return err
	})
	p.scratch = list[:0]
	return p.keepStrs(list), err
}

func (p *parser) statements(d *Document, at *path) error {
	switch p.sc.peek() {
	case '{':
		d.Statements = make([]Statement, 1)
		return p.statement(&d.Statements[0], at, 0)
	case '[':
	default:
		return p.typeError(at, "an object or a list of objects")
	}
	d.Statements = make([]Statement, 0, 8)
	return p.sc.array(func(i int) error {
		if p.sc.peek() != '{' {
			e := at.elem(i)
			return p.typeError(&e, "an object")
		}
		d.Statements = append(d.Statements, Statement{})
		return p.statement(&d.Statements[i], at, i)
	})
}

func (p *parser) statement(st *Statement, parent *path, i int) error {
	st.Index = i
	st.Pos = p.sc.pos()
	// Statement[i], even for a lone statement object, so that findings name
	// statements alike.
	stPath := parent.elem(i)
	var ks keySet
	return p.sc.object(func(key string, pos Position) error {
		p.member(&ks, &stPath, key, pos)
		at := stPath.at(key)
		var err error
		switch key {
		case "Sid":
			st.Sid, err = p.str(&at)
		case "Effect":
			var s string
			s, err = p.str(&at)
			st.Effect = Effect(s)
		case "Principal":
			st.Principal, err = p.principal(&at)
		case "NotPrincipal":
			st.NotPrincipal, err = p.principal(&at)
		case "Action":
			st.Action, err = p.strs(&at)
		case "NotAction":
			st.NotAction, err = p.strs(&at)
		case "Resource":
			st.Resource, err = p.strs(&at)
		case "NotResource":
			st.NotResource, err = p.strs(&at)
		case "Condition":
			st.Conditions = make([]Condition, 0, 4)
			err = p.conditions(st, &at)
		default:
			p.note(CodeUnknownElement, &at, pos, fmt.Sprintf("unknown element %q in a statement", key))
			err = p.sc.skip()
		}
		return err
	})
}

// principal reads a Principal or NotPrincipal: "*" or an object of principal
// types, each a string or a list.
func (p *parser) principal(at *path) (*Principal, error) {
	switch p.sc.peek() {
	case '"':
		start := p.sc.i
		s, err := p.sc.str()
		if err == nil && s != "*" {
			p.sc.i = start
			return nil, p.typeError(at, `"*" or an object`)
		}
		return &Principal{Wildcard: true}, err
	case '{':
	default:
		return nil, p.typeError(at, `"*" or an object`)
	}
	pr := new(Principal)
	var ks keySet
	err := p.sc.object(func(key string, pos Position) error {
		p.member(&ks, at, key, pos)
		typ := at.at(key)
		var err error
		switch key {
		case "AWS":
			pr.AWS, err = p.strs(&typ)
		case "Service":
			pr.Service, err = p.strs(&typ)
		case "Federated":
			pr.Federated, err = p.strs(&typ)
		case "CanonicalUser":
			pr.CanonicalUser, err = p.strs(&typ)
		default:
			p.note(CodePrincipalType, &typ, pos, fmt.Sprintf("unknown principal type %q", key))
			err = p.sc.skip()
		}
		return err
	})
	return pr, err
}

// conditions reads a Condition block: operator → key → value or values.
func (p *parser) conditions(st *Statement, at *path) error {
	if p.sc.peek() != '{' {
		return p.typeError(at, "an object")
	}
	var ops keySet
	return p.sc.object(func(name string, pos Position) error {
		opPath := at.at(name)
		if ops.add(name) {
			p.note(CodeDuplicateKey, &opPath, pos, fmt.Sprintf("duplicate condition operator %q (the last one wins)", name))
			st.Conditions = dropConditions(st.Conditions, func(c Condition) bool { return c.Operator.Name == name })
		}
		op, known := ParseOperator(name)
		if p.sc.peek() != '{' {
			return p.typeError(&opPath, "an object")
		}
		var keys keySet
		n := 0
		err := p.sc.object(func(key string, pos Position) error {
			n++
			keyPath := opPath.at(key)
			if keys.add(key) {
				p.note(CodeDuplicateKey, &keyPath, pos, fmt.Sprintf("duplicate condition key %q (the last one wins)", key))
				st.Conditions = dropConditions(st.Conditions, func(c Condition) bool {
					return c.Operator.Name == name && c.Key == key
				})
			}
			vals, err := p.values(&keyPath)
			st.Conditions = append(st.Conditions, Condition{Operator: op, Key: key, Values: vals, Pos: pos})
			return err
		})
		if n == 0 && !known {
			// The Document keeps no trace of an empty block, so an unknown
			// operator must be reported here. IAM accepts it (LocalStack's
			// recordings of 2026: {"a": {}}): it has nothing to evaluate.
			p.notes = append(p.notes, Finding{Code: CodeOperator, Severity: SeverityWarning, Path: opPath.String(), Pos: pos,
				Detail: fmt.Sprintf("unknown condition operator %q with no keys", name)})
		}
		return err
	})
}

func dropConditions(cs []Condition, drop func(Condition) bool) []Condition {
	out := cs[:0]
	for _, c := range cs {
		if !drop(c) {
			out = append(out, c)
		}
	}
	return out
}

// values reads a condition value or a list of them. A list is never nil.
func (p *parser) values(at *path) ([]Value, error) {
	if p.sc.peek() != '[' {
		v, err := p.value(at)
		return p.keepValues([]Value{v}), err
	}
	list := p.vscratch[:0]
	err := p.sc.array(func(i int) error {
		e := at.elem(i)
		v, err := p.value(&e)
		list = append(list, v)
		return err
	})
	p.vscratch = list[:0]
	return p.keepValues(list), err
}

// value reads one condition value: a string, a number or a boolean.
func (p *parser) value(at *path) (Value, error) {
	switch c := p.sc.peek(); {
	case c == '"':
		s, err := p.sc.str()
		return Value{Text: s, Type: ValueString}, err
	case c == 't':
		return Value{Text: "true", Type: ValueBool}, p.sc.literal("true")
	case c == 'f':
		return Value{Text: "false", Type: ValueBool}, p.sc.literal("false")
	case c == '-' || (c >= '0' && c <= '9'):
		s, err := p.sc.number()
		return Value{Text: s, Type: ValueNumber}, err
	}
	return Value{}, p.typeError(at, "a string, a number, a boolean or a list of them")
}
