package server

import "github.com/iamq/iamq/internal/server/queryform"

// Form is a Query call's input (package queryform): the wire packages read
// their parameters through it.
type Form = queryform.Form

// ParseForm decodes a form-encoded body or query string.
func ParseForm(raw string) (*Form, error) { return queryform.Parse(raw) }

// Tags reads the list of Key/Value structures name (Tags.member.N.Key and
// .Value), the shape every Query service gives its tags, as the caller's own
// tag type.
func Tags[T ~struct{ Key, Value string }](f *Form, name string) []T {
	return queryform.Tags[T](f, name)
}
