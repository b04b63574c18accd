// Package arn is the one place in iamq that knows the shape of Amazon
// Resource Names and account ids: it parses them, builds the ARNs of IAM and
// STS identities, and matches them segment-wise with IAM's wildcards.
//
// An ARN has six colon-separated segments (AWS General Reference: "Amazon
// Resource Names (ARNs)", section "ARN format"):
//
//	arn:partition:service:region:account-id:resource
//
// The resource segment keeps any further colons
// ("arn:aws:mq:us-east-1:123456789012:broker:b1:b-1234" has the resource
// "broker:b1:b-1234").
//
// Entry points:
//   - [Parse] and [Split] read an ARN into an [ARN]; [ARN.String] writes it
//     back. [ParsePattern] reads the Resource entries of a policy, which may
//     be short and carry policy variables. [ReadLoose] reads one the way
//     IAM's policy grammar does, for IAM's messages about it.
//   - [User], [Group], [Role], [InstanceProfile], [Policy],
//     [AWSManagedPolicy], [Root], [AssumedRole] and [FederatedUser] build the
//     ARNs of IAM identifiers (IAM User Guide: "IAM identifiers", section
//     "IAM ARNs"); [SplitIAMResource] takes their resource segment apart and
//     [FriendlyName] reads the name that ends one; [IAMString] builds the
//     text of one in a single allocation, and [IsAWSManaged] recognizes the
//     ARNs of AWS managed policies.
//   - [IsAccountID] recognizes a 12-digit account id.
//   - [Match] matches an ARN against a pattern as the ArnLike condition
//     operator does.
//
// Package arn is public (embedders of policy and eval need it) and imports
// nothing of iamq; policy, eval and every internal package import it.
package arn
