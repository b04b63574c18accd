package policy

import (
	"fmt"
	"io"
	"strconv"
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
}

func (p *parser) note(code Code, path string, at Position, detail string) {
	p.notes = append(p.notes, Finding{Code: code, Path: path, Pos: at, Message: MsgSyntax, Detail: detail})
}

// typeError reports an element of a JSON type it cannot have.
func (p *parser) typeError(path, want string) *ParseError {
	at := p.sc.pos()
	return &ParseError{Finding{Code: CodeType, Path: path, Pos: at, Message: MsgSyntax,
		Detail: path + " must be " + want}}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// keySet finds duplicate keys in one JSON object: a list while it is short, a
// map once it is long, so that hostile input stays linear.
type keySet struct {
	list []string
	m    map[string]struct{}
}

// add records key and reports whether it was already there.
func (ks *keySet) add(key string) bool {
	if ks.m != nil {
		_, dup := ks.m[key]
		ks.m[key] = struct{}{}
		return dup
	}
	for _, k := range ks.list {
		if k == key {
			return true
		}
	}
	ks.list = append(ks.list, key)
	if len(ks.list) > 16 {
		ks.m = make(map[string]struct{}, 2*len(ks.list))
		for _, k := range ks.list {
			ks.m[k] = struct{}{}
		}
	}
	return false
}

// member checks one key of an object for duplicates.
func (p *parser) member(ks *keySet, path, key string, at Position) {
	if ks.add(key) {
		p.note(CodeDuplicateKey, join(path, key), at, fmt.Sprintf("duplicate key %q (the last one wins)", key))
	}
}

func (p *parser) document(d *Document) error {
	switch c := p.sc.peek(); {
	case c == '{':
	case c == '[' || c == '"' || c == '-' || c == 't' || c == 'f' || c == 'n' || (c >= '0' && c <= '9'):
		return p.typeError("the document", "a JSON object")
	default:
		return p.sc.unexpected("a JSON object")
	}
	var ks keySet
	return p.sc.object(func(key string, at Position) error {
		p.member(&ks, "", key, at)
		switch key {
		case "Version":
			s, err := p.str("Version")
			if s == "" && err == nil {
				p.note(CodeVersion, "Version", at, "Version is empty")
			}
			d.Version = Version(s)
			return err
		case "Id":
			s, err := p.str("Id")
			d.ID = s
			return err
		case "Statement":
			return p.statements(d)
		}
		p.note(CodeUnknownElement, key, at, fmt.Sprintf("unknown element %q", key))
		return p.sc.skip()
	})
}

// str reads a string element.
func (p *parser) str(path string) (string, error) {
	if p.sc.peek() != '"' {
		return "", p.typeError(path, "a string")
	}
	return p.sc.str()
}

// strs reads a string or a list of strings. A list is never nil, even when
// empty, so that an element present as [] differs from an absent one.
func (p *parser) strs(path string) ([]string, error) {
	switch p.sc.peek() {
	case '"':
		s, err := p.sc.str()
		return []string{s}, err
	case '[':
	default:
		return nil, p.typeError(path, "a string or a list of strings")
	}
	list := make([]string, 0, 4)
	err := p.sc.array(func(i int) error {
		s, err := p.str(index(path, i))
		list = append(list, s)
		return err
	})
	return list, err
}

func (p *parser) statements(d *Document) error {
	switch p.sc.peek() {
	case '{':
		d.Statements = make([]Statement, 1)
		return p.statement(&d.Statements[0], 0)
	case '[':
	default:
		return p.typeError("Statement", "an object or a list of objects")
	}
	d.Statements = make([]Statement, 0, 8)
	return p.sc.array(func(i int) error {
		if p.sc.peek() != '{' {
			return p.typeError(index("Statement", i), "an object")
		}
		d.Statements = append(d.Statements, Statement{})
		return p.statement(&d.Statements[i], i)
	})
}

func (p *parser) statement(st *Statement, i int) error {
	st.Index = i
	st.Pos = p.sc.pos()
	path := index("Statement", i)
	var ks keySet
	return p.sc.object(func(key string, at Position) error {
		p.member(&ks, path, key, at)
		var err error
		switch key {
		case "Sid":
			st.Sid, err = p.str(join(path, key))
		case "Effect":
			var s string
			s, err = p.str(join(path, key))
			st.Effect = Effect(s)
		case "Principal":
			st.Principal, err = p.principal(join(path, key))
		case "NotPrincipal":
			st.NotPrincipal, err = p.principal(join(path, key))
		case "Action":
			st.Action, err = p.strs(join(path, key))
		case "NotAction":
			st.NotAction, err = p.strs(join(path, key))
		case "Resource":
			st.Resource, err = p.strs(join(path, key))
		case "NotResource":
			st.NotResource, err = p.strs(join(path, key))
		case "Condition":
			st.Conditions = st.Conditions[:0]
			err = p.conditions(st, join(path, key))
		default:
			p.note(CodeUnknownElement, join(path, key), at, fmt.Sprintf("unknown element %q in a statement", key))
			err = p.sc.skip()
		}
		return err
	})
}

// principal reads a Principal or NotPrincipal: "*" or an object of principal
// types, each a string or a list.
func (p *parser) principal(path string) (*Principal, error) {
	switch p.sc.peek() {
	case '"':
		at := p.sc.pos()
		s, err := p.sc.str()
		if err == nil && s != "*" {
			p.sc.i = at.Offset
			return nil, p.typeError(path, `"*" or an object`)
		}
		return &Principal{Wildcard: true}, err
	case '{':
	default:
		return nil, p.typeError(path, `"*" or an object`)
	}
	pr := new(Principal)
	var ks keySet
	err := p.sc.object(func(key string, at Position) error {
		p.member(&ks, path, key, at)
		var err error
		switch key {
		case "AWS":
			pr.AWS, err = p.strs(join(path, key))
		case "Service":
			pr.Service, err = p.strs(join(path, key))
		case "Federated":
			pr.Federated, err = p.strs(join(path, key))
		case "CanonicalUser":
			pr.CanonicalUser, err = p.strs(join(path, key))
		default:
			p.note(CodePrincipalType, join(path, key), at, fmt.Sprintf("unknown principal type %q", key))
			err = p.sc.skip()
		}
		return err
	})
	return pr, err
}

// conditions reads a Condition block: operator → key → value or values.
func (p *parser) conditions(st *Statement, path string) error {
	if p.sc.peek() != '{' {
		return p.typeError(path, "an object")
	}
	var ops keySet
	return p.sc.object(func(name string, at Position) error {
		opPath := join(path, name)
		if ops.add(name) {
			p.note(CodeDuplicateKey, opPath, at, fmt.Sprintf("duplicate condition operator %q (the last one wins)", name))
			st.Conditions = dropConditions(st.Conditions, func(c Condition) bool { return c.Operator.Name == name })
		}
		op, known := ParseOperator(name)
		if p.sc.peek() != '{' {
			return p.typeError(opPath, "an object")
		}
		var keys keySet
		n := 0
		err := p.sc.object(func(key string, at Position) error {
			n++
			if keys.add(key) {
				p.note(CodeDuplicateKey, join(opPath, key), at, fmt.Sprintf("duplicate condition key %q (the last one wins)", key))
				st.Conditions = dropConditions(st.Conditions, func(c Condition) bool {
					return c.Operator.Name == name && c.Key == key
				})
			}
			vals, err := p.values(join(opPath, key))
			st.Conditions = append(st.Conditions, Condition{Operator: op, Key: key, Values: vals, Pos: at})
			return err
		})
		if n == 0 && !known {
			// The Document keeps no trace of an empty block, so an unknown
			// operator must be reported here.
			p.note(CodeOperator, opPath, at, fmt.Sprintf("unknown condition operator %q", name))
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
func (p *parser) values(path string) ([]Value, error) {
	if p.sc.peek() != '[' {
		v, err := p.value(path)
		return []Value{v}, err
	}
	list := make([]Value, 0, 2)
	err := p.sc.array(func(i int) error {
		v, err := p.value(index(path, i))
		list = append(list, v)
		return err
	})
	return list, err
}

// value reads one condition value: a string, a number or a boolean.
func (p *parser) value(path string) (Value, error) {
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
	return Value{}, p.typeError(path, "a string, a number, a boolean or a list of them")
}
