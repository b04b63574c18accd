// Package managed holds the AWS managed policies: their documents and versions,
// the service-linked role table, job-function rules, publishing an update (the
// monotonic check) and the change history.
//
// It may import internal/analysis, internal/catalog, internal/store, eval and policy.
package managed
