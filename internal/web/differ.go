package web

import (
	"slices"

	"github.com/iamq/iamq/internal/analysis"
	"github.com/iamq/iamq/internal/catalog"
	"github.com/iamq/iamq/internal/managed"
	"github.com/iamq/iamq/policy"
)

// Differ compares two versions of a policy document: SemanticDiffer by
// meaning (the default), ActionDiffer by the actions named alone.
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

// SemanticDiffer compares two versions with [analysis.Diff]: the catalog
// actions each grants after its Deny statements, and whether the new
// version is proven to allow every request the old one did. An update that
// is not proven to remove nothing is breaking: a counterexample shows a
// lost request, and an unknown answer is not taken for a proof.
type SemanticDiffer struct{ Catalog *catalog.Catalog }

// Diff compares old and new by meaning.
func (d SemanticDiffer) Diff(old, new string) (Change, error) {
	a, err := policy.Parse(old)
	if err != nil {
		return Change{}, err
	}
	b, err := policy.Parse(new)
	if err != nil {
		return Change{}, err
	}
	ch := analysis.Diff(a, b, analysis.Options{Catalog: d.Catalog})
	var out Change
	for _, s := range ch.Services {
		for _, x := range s.Added {
			out.Added = append(out.Added, x.Action)
		}
		for _, x := range s.Removed {
			out.Removed = append(out.Removed, x.Action)
		}
	}
	slices.Sort(out.Added)
	slices.Sort(out.Removed)
	out.Breaking = ch.Narrowed.Verdict != analysis.Proven
	out.Method = "Compared by meaning (resources, conditions and Deny statements weighed): catalog actions granted, and a proof that the new version allows every request the old one did."
	if ch.Narrowed.Verdict == analysis.Unknown {
		out.Method += " The proof was not reached: " + ch.Narrowed.Reason
	}
	return out, nil
}
