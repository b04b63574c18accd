// Package queryform reads the input of a Query-protocol call (IAM's, STS's):
// the form-encoded body or query string, decoded as net/url decodes it, read
// through typed getters that collect what is wrong and report it as AWS's
// ValidationError does.
//
// It imports nothing of iamq.
package queryform

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// Form is the input of a Query-protocol call (form body, or query string on
// GET), read through typed getters that collect what is wrong:
//
//	name := c.Form.String("UserName")       // required
//	path, _ := c.Form.Optional("Path")
//	tags := c.Form.Members("Tags")          // Tags.member.N.*
//	if err := c.Form.Err(); err != nil { return nil, err }
//
// A missing required parameter becomes a ValidationError naming it, worded as
// AWS words it ("1 validation error detected: Value null at 'userName' failed
// to satisfy constraint: Member must not be null").
type Form struct {
	values url.Values
	prefix string // "Tags.member.1." for a member's sub-form
	errs   *[]string
}

// maxFormParams bounds the parameters of one form, as net/url bounds a query
// string's by default.
const maxFormParams = 10000

var errUndecodable = &Error{Message: "The request's parameters could not be decoded."}

// Error is a call's input refused: AWS's ValidationError (HTTP 400), with
// the message AWS words.
type Error struct{ Message string }

func (e *Error) Error() string { return "ValidationError: " + e.Message }

// Parse decodes a form-encoded body or query string, accepting and
// refusing exactly what url.ParseQuery does (FuzzParseFormAsNetURL). It
// allocates a few times per form rather than once per parameter: the map is
// sized from the count of pairs and the values share one array.
func Parse(raw string) (*Form, error) {
	n := strings.Count(raw, "&") + 1
	if n > maxFormParams {
		return nil, errUndecodable
	}
	values := make(url.Values, n)
	first := make([]string, 0, n) // each parameter's first value
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if strings.Contains(pair, ";") {
			return nil, errUndecodable
		}
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		k, err := url.QueryUnescape(k)
		if err != nil {
			return nil, errUndecodable
		}
		if v, err = url.QueryUnescape(v); err != nil {
			return nil, errUndecodable
		}
		if vs, ok := values[k]; ok {
			values[k] = append(vs, v) // a repeated parameter: rare, so it may copy
			continue
		}
		first = append(first, v)
		values[k] = first[len(first)-1 : len(first) : len(first)]
	}
	st := new(struct {
		form Form
		errs []string
	}) // the form and its error list in one allocation
	st.form = Form{values: values, errs: &st.errs}
	return &st.form, nil
}

// Get returns a parameter's value, "" when absent. It records nothing.
func (f *Form) Get(name string) string {
	return f.values.Get(f.prefix + name)
}

// Has reports whether the parameter is present (even if empty).
func (f *Form) Has(name string) bool {
	_, ok := f.values[f.prefix+name]
	return ok
}

// String returns a required parameter, recording a validation error when it
// is absent.
func (f *Form) String(name string) string {
	v, ok := f.values[f.prefix+name]
	if !ok || len(v) == 0 {
		f.fail("Value null at '%s' failed to satisfy constraint: Member must not be null", f.path(name))
		return ""
	}
	return v[0]
}

// Optional returns a parameter and whether it was given.
func (f *Form) Optional(name string) (string, bool) {
	v, ok := f.values[f.prefix+name]
	if !ok || len(v) == 0 {
		return "", false
	}
	return v[0], true
}

// Int returns an optional integer parameter, recording a validation error
// when it is not one.
func (f *Form) Int(name string) (int, bool) {
	s, ok := f.Optional(name)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		f.fail("Value '%s' at '%s' failed to satisfy constraint: Member must be a number", s, f.path(name))
		return 0, false
	}
	return n, true
}

// Bool returns an optional boolean parameter ("true" or "false").
func (f *Form) Bool(name string) (bool, bool) {
	s, ok := f.Optional(name)
	if !ok {
		return false, false
	}
	switch strings.ToLower(s) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	f.fail("Value '%s' at '%s' failed to satisfy constraint: Member must be a boolean", s, f.path(name))
	return false, false
}

// maxMembers bounds lists, so that a hostile "X.member.1000000000" costs nothing.
const maxMembers = 1000

// List returns the list NAME.member.1, NAME.member.2, …, stopping at the first
// gap, as the Query protocol serializes lists of strings.
func (f *Form) List(name string) []string {
	var out []string
	for i := 1; i <= maxMembers; i++ {
		v, ok := f.values[f.prefix+name+".member."+strconv.Itoa(i)]
		if !ok || len(v) == 0 {
			break
		}
		out = append(out, v[0])
	}
	return out
}

// Members returns the sub-forms NAME.member.1., NAME.member.2., …, for lists
// of structures (Tags.member.N.Key and .Value), stopping at the first member
// that has no field at all.
func (f *Form) Members(name string) []*Form {
	var out []*Form
	for i := 1; i <= maxMembers; i++ {
		p := f.prefix + name + ".member." + strconv.Itoa(i) + "."
		if !f.hasPrefix(p) {
			break
		}
		out = append(out, &Form{values: f.values, prefix: p, errs: f.errs})
	}
	return out
}

func (f *Form) hasPrefix(p string) bool {
	for k := range f.values {
		if strings.HasPrefix(k, p) {
			return true
		}
	}
	return false
}

// Fail records a validation error of the operation's own, in AWS's form
// "Value 'x' at 'userName' failed to satisfy constraint: …", to be returned
// with the others by [Form.Err].
func (f *Form) Fail(message string) { *f.errs = append(*f.errs, message) }

func (f *Form) fail(format string, args ...any) { f.Fail(fmt.Sprintf(format, args...)) }

// Err returns the ValidationError listing every problem recorded so far, or
// nil.
func (f *Form) Err() error {
	errs := *f.errs
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return &Error{Message: "1 validation error detected: " + errs[0]}
	}
	return &Error{Message: fmt.Sprintf("%d validation errors detected: %s", len(errs), strings.Join(errs, "; "))}
}

// path names a parameter as AWS's validation messages do: each segment with
// a lower-case first letter, list indexes kept ("tags.1.member.key").
func (f *Form) path(name string) string {
	full := f.prefix + name
	parts := strings.Split(full, ".")
	for i, p := range parts {
		if p != "" && 'A' <= p[0] && p[0] <= 'Z' {
			parts[i] = string(p[0]+'a'-'A') + p[1:]
		}
	}
	return strings.Join(parts, ".")
}

// Tags reads the list of Key/Value structures name (Tags.member.N.Key and
// .Value), the shape every Query service gives its tags, as the caller's own
// tag type.
func Tags[T ~struct{ Key, Value string }](f *Form, name string) []T {
	var tags []T
	for _, m := range f.Members(name) {
		tags = append(tags, T(struct{ Key, Value string }{m.Get("Key"), m.Get("Value")}))
	}
	return tags
}
