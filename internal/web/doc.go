// Package web serves RSS, Atom and JSON feeds, HTML pages and charts of the
// AWS managed policies and their change history, under /managed-policies/:
// public, unsigned (AWS managed policies are public knowledge; customer
// policies never appear here), server-rendered with html/template, usable
// without JavaScript.
//
// It may import internal/server, internal/history, internal/managed,
// internal/analysis, internal/catalog, policy and arn.
//
// Routes (all GET):
//
//	/managed-policies/                               the services
//	/managed-policies/history?service=&policy=       the history as JSON, paginated (marker, maxItems)
//	/managed-policies/feed.{rss,atom,json}           every change
//	/managed-policies/services/{service}             a service's policies and change table ("-": no one service)
//	/managed-policies/services/{service}/feed.{rss,atom,json}
//	/managed-policies/policies/{name}                a policy: metadata, chart, versions, document
//	/managed-policies/policies/{name}/feed.{rss,atom,json}
//	/managed-policies/policies/{name}/diff?from=&to= the diff of two versions
//	/managed-policies/policies/{name}/chart.svg      the actions each version grants
//	/managed-policies/actions/{pattern}              the catalog's actions a pattern names
package web
