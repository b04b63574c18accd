package authz

import (
	"context"

	"github.com/iamq/iamq/internal/store"
)

// Invalidate forgets the compiled sets of every principal of account, so that
// the next request loads them again.
func (a *Authorizer) Invalidate(account string) {
	a.mu.Lock()
	a.accounts[account]++
	a.mu.Unlock()
}

// InvalidateAll forgets every principal's compiled set: an AWS managed policy
// changed, or everything was reset.
func (a *Authorizer) InvalidateAll() {
	a.mu.Lock()
	a.global++
	a.mu.Unlock()
}

// apply invalidates what each change touches: its account, or everything
// for a change that names none (a reset, a published AWS managed policy).
func (a *Authorizer) apply(changes []store.Change) {
	for _, c := range changes {
		if c.AccountID == "" || c.Kind == store.KindAll {
			a.InvalidateAll()
			continue
		}
		a.Invalidate(c.AccountID)
	}
}

// Start keeps the cache in step with the store's change sequence until ctx
// ends: changes committed by any node (on PostgreSQL, through its
// notifications) invalidate the accounts they touch. It returns once it
// knows where the sequence stands; following goes on in the background.
func (a *Authorizer) Start(ctx context.Context) error {
	if err := a.changes.SkipToEnd(ctx); err != nil {
		return err
	}
	go a.changes.Follow(ctx, a.apply, a.log)
	return nil
}

// Sync reads the changes committed since the last it saw and invalidates what
// they touch. The endpoint calls it after each write it serves, so that the
// very next request is decided on the new state.
func (a *Authorizer) Sync(ctx context.Context) error { return a.changes.Sync(ctx, a.apply) }
