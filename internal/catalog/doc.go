// Package catalog is the AWS Service Authorization Reference: services, actions,
// access levels, resource ARN formats and condition keys, embedded in a compact
// generated form and decoded lazily per service. It expands action wildcards and
// lints policies.
//
// It may import package policy.
package catalog
