package authz

import "github.com/iamq/iamq/internal/store"

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

// Apply invalidates what each change touches: its account, or everything
// for a change that names none (a reset, a published AWS managed policy).
// The process's store.Follower calls it with every change, in order.
func (a *Authorizer) Apply(changes []store.Change) {
	for _, c := range changes {
		if c.AccountID == "" || c.Kind == store.KindAll {
			a.InvalidateAll()
			continue
		}
		a.Invalidate(c.AccountID)
	}
}
