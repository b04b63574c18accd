package web

import (
	"github.com/iamq/iamq/internal/catalog"
	"github.com/iamq/iamq/internal/managed"
)

// Differ compares two versions of a policy document. ActionDiffer is the
// action-level comparison; analysis.Diff (a semantic diff, weighing
// resources and conditions) takes its place behind this interface when it
// lands.
type Differ interface {
	Diff(old, new string) (Change, error)
}

// Change is what a new version changed against an old one.
type Change struct {
	// Added and Removed are the actions gained and lost, sorted.
	Added, Removed []string
	// Breaking is true when the new version lets someone do less.
	Breaking bool
	// Method says how the comparison was made, for the reader.
	Method string
}

// ActionDiffer compares the actions two documents' Allow statements name,
// expanded against Catalog (managed.GrantedActions); resources and
// conditions are not weighed.
type ActionDiffer struct{ Catalog *catalog.Catalog }

// Diff compares old and new action by action.
func (d ActionDiffer) Diff(old, new string) (Change, error) {
	a, err := managed.GrantedActions(d.Catalog, old)
	if err != nil {
		return Change{}, err
	}
	b, err := managed.GrantedActions(d.Catalog, new)
	if err != nil {
		return Change{}, err
	}
	added, removed := managed.DiffActions(a, b)
	return Change{Added: added, Removed: removed, Breaking: len(removed) > 0,
		Method: "Actions named by Allow statements, expanded against the service catalog; resources and conditions are not compared."}, nil
}
