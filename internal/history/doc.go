// Package history is the change history of managed policies: entries
// (service, policy, version, kind of change, description, date, source and
// the action-level diff when there is one), kept in the store, listed newest
// first and paginated.
//
// It may import internal/store and arn. It knows no data file: the seed (the
// real history of the AWS managed policies) is built by internal/managed and
// handed to [History.Seed]; publishing a version appends with
// [History.Append].
//
// Dates are honest: an entry whose date is not known has a zero Date and
// carries the bounds that are known (NotBefore, NotAfter); versions that were
// never recovered are entries of kind [Gap].
package history
