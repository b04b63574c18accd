// Package managed holds the AWS managed policies: their documents and versions,
// the service-linked role table, job-function rules, publishing an update (the
// monotonic check) and the change history.
//
// It may import internal/history, internal/analysis, internal/catalog, internal/store, policy and arn.
//
// Entry points:
//
//   - [Builtin] returns the embedded [Library]: all 1,594 policies with every
//     recovered version, decoded on first use, documents decompressed per
//     request.
//   - [NewRegistry] lays the versions the service published since (kept in
//     the store, global) over a Library. The IAM API and the authorizer
//     (authz.AWSPolicies) ask it; [Registry.Publish] is the internal
//     publishing API; [Registry.Start] follows other nodes' publications and
//     [Registry.OnChange] tells the authorizer to drop its compiled sets.
//   - [ServiceLinkedRoleFor] is the table of service-linked roles, Amazon MQ
//     first.
package managed
