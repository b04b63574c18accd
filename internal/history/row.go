package history

import (
	"fmt"

	"github.com/iamq/iamq/internal/store"
)

// Row checks e and returns it as the store keeps it, for a writer that
// stores the entry in its own transaction (a publish stores its entry with
// the version: store.AWSPolicyPublish.History). An entry that is not well
// formed is ErrInvalid.
func (e *Entry) Row() (store.HistoryEntry, error) {
	if err := e.check(); err != nil {
		return store.HistoryEntry{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	data, diff, err := e.encode()
	if err != nil {
		return store.HistoryEntry{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return store.HistoryEntry{ID: e.ID, Key: e.sortKey(), Service: e.Service, PolicyARN: e.PolicyARN, Data: data, Diff: diff}, nil
}
