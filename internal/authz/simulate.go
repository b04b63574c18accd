package authz

import (
	"context"

	"github.com/iamq/iamq/eval"
	"github.com/iamq/iamq/internal/store"
)

// SimulationSet is Set for the policy simulator: the same policies, loaded
// afresh, without the principal's permissions boundary when the request
// brings its own (PermissionsBoundaryPolicyInputList replaces it).
func (a *Authorizer) SimulationSet(ctx context.Context, p *Principal, dropBoundary bool) (*eval.Set, eval.Principal, error) {
	if !dropBoundary {
		return a.setFor(ctx, p)
	}
	src, err := a.load(ctx, p)
	if err != nil {
		return nil, eval.Principal{}, err
	}
	src.boundary = nil
	set, err := a.compile(p, src)
	return set, src.identity, err
}

// GroupSet compiles a group's own policies (inline and attached): what
// SimulatePrincipalPolicy evaluates for a group's ARN.
func (a *Authorizer) GroupSet(ctx context.Context, account, name string) (*eval.Set, error) {
	src := &sources{}
	err := a.store.View(ctx, account, func(tx store.Tx) error {
		g, err := tx.Group(name)
		if err != nil {
			return err
		}
		return a.loadEntity(ctx, tx, store.EntityRef{Kind: store.KindGroup, Name: g.Name}, src)
	})
	if err != nil {
		return nil, err
	}
	return a.compile(&Principal{Kind: eval.PrincipalUser, Account: account}, src)
}
