package sqlstore

import (
	"fmt"

	"github.com/iamq/iamq/internal/store"
)

// quotaError builds the "Cannot exceed quota for Q: N" refusal
// (../shared/data/amazon-mq-iam-facts.md §4).
func quotaError(q store.Quota, limit int) error {
	return &store.LimitError{Quota: q, Limit: limit, Message: fmt.Sprintf("Cannot exceed quota for %s: %d", q, limit)}
}

// versionsError is CreatePolicyVersion's refusal at the version quota.
func versionsError(limit int) error {
	return &store.LimitError{Quota: store.QuotaVersionsPerPolicy, Limit: limit, Message: fmt.Sprintf(
		"A managed policy can have up to %d versions. Before you create a new version, you must delete an existing version.", limit)}
}

// inlineSizeError is PutUserPolicy's (and the group's and role's) refusal at
// the aggregate inline size quota.
func inlineSizeError(q store.Quota, limit int, kind store.Kind, name string) error {
	return &store.LimitError{Quota: q, Limit: limit, Message: fmt.Sprintf(
		"Maximum policy size of %d bytes exceeded for %s %s", limit, kind, name)}
}

// deleteConflict builds a DeleteConflictError.
func deleteConflict(msg string) error { return &store.DeleteConflictError{Message: msg} }
