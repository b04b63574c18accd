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
//     (authz.AWSPolicies) ask it; [Registry.Start] follows other nodes'
//     publications and [Registry.OnChange] tells the authorizer to drop its
//     compiled sets.
//   - [Registry.PublishUpdate] publishes an update once analysis.Covers
//     proves it keeps every permission of the version in force (or refuses
//     it with a [RemovalError] showing the request it would deny), storing
//     the version and its history entry in one transaction.
//   - [JobFunctionRules] declare what ViewOnlyAccess and
//     DatabaseAdministrator are meant to grant; [Registry.ApplyCatalog]
//     applies a service catalog update and grows those policies with the new
//     actions their rules match. [Registry.Catalog] is the catalog in force:
//     the embedded one with the store's updates laid over it, on every node.
//   - [ServiceLinkedRoleFor] is the table of service-linked roles, Amazon MQ
//     first.
package managed
