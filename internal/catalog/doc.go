// Package catalog is the AWS Service Authorization Reference: services, actions,
// access levels, resource ARN formats and condition keys, embedded in a compact
// generated form and decoded lazily per service. It expands action wildcards and
// lints policies.
//
// It may import packages policy and arn.
//
// Entry points:
//   - [Embedded] returns the catalog built into the binary (data/README.md says
//     where it came from and its date); [Load] reads a newer catalog file of the
//     same schema at run time.
//   - [Catalog.Service] and [Catalog.Action] look up a service by prefix and an
//     action by name, ignoring case as IAM does; an [Action] carries its
//     [AccessLevel]s, resource types, condition keys and dependent actions.
//   - [Catalog.Expand] and [Catalog.ExpandNot] turn action patterns ("mq:Describe*")
//     into actions, or into the actions a NotAction element covers;
//     [Service.Expand] does it within one service and [MatchAction] tests one.
//   - [Service.ResourceTypeOf] tells which resource type an ARN names.
//   - [Diff] compares two catalogs: the actions and resource types each service
//     gained or lost.
//   - [Catalog.Lint] checks a parsed [policy.Document] against the catalog and
//     returns [Finding]s with Access Analyzer's severities.
//
// The compact form (catalog.bin) is written by `go generate` (gen.go) from the
// JSON in data/; see compact.go for its layout.
package catalog
