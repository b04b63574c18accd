// Package web serves RSS, Atom and JSON feeds and HTML pages of the managed
// policies and their change history.
//
// It may import internal/managed.
package web
