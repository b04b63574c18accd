// Package web serves RSS, Atom and JSON feeds and HTML pages of the managed
// policies and their change history.
//
// It may import internal/server, internal/history, internal/managed,
// internal/analysis, internal/catalog, policy and arn.
package web
