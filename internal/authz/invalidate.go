package authz

import (
	"strings"

	"github.com/iamq/iamq/eval"
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

// reach is how much of the authorizer's compiled sets a change can make
// out of date.
type reach int

// The reaches of a change, from none to every set.
const (
	// reachNone: the change cannot alter any decision (an SSH key, a
	// certificate, a password, an MFA device, …); every set stays.
	reachNone reach = iota
	// reachEntity: the sets of one user (and its federated sessions) or of
	// one role's sessions, which the change names.
	reachEntity
	// reachDep: the sets made with one group or customer managed policy,
	// which the change names: its members' and holders'.
	reachDep
	// reachAccount: every set of the change's account.
	reachAccount
	// reachAll: every set of every account (a reset, a deleted account, a
	// published AWS managed policy).
	reachAll
)

// reachOf says which compiled sets c can make out of date. A compiled set
// is made of a user's or role's record (its tags, path and permissions
// boundary), its inline and attached policies, its groups' policies, the
// versions in force of the managed policies among them, and a session's
// own data; a kind that touches none of these reaches no set. A kind this
// table does not know reaches its whole account, so that a new kind of
// change is never ignored.
func reachOf(c store.Change) reach {
	if c.AccountID == "" || c.Kind == store.KindAll || c.Kind == store.KindAWSPolicy {
		return reachAll
	}
	switch c.Kind {
	case store.KindUser, store.KindRole:
		// The entity's record, tags, boundary, inline policies and
		// attachments; a group membership records the user too; a role's
		// trust policy is compiled per AssumeRole, never cached.
		return reachEntity
	case store.KindGroup, store.KindPolicy:
		return reachDep
	case store.KindAccount, store.KindAccountAlias, store.KindAccessKey, store.KindInstanceProfile,
		store.KindCredential, store.KindServerCertificate, store.KindLoginProfile, store.KindPasswordPolicy,
		store.KindMFADevice, store.KindAccountSetting, store.KindProvider:
		// None of these is read by load. An access key's state is the
		// credential cache's (Credentials.Apply); a session's MFA is in the
		// session itself; the password policy's grant and an identity
		// provider are read by the call that uses them.
		return reachNone
	}
	return reachAccount
}

// entity names a user or a role in an account: what a reachEntity change
// names, and what a principal's compiled set is made from. Names are
// lower-cased: IAM's names are unique regardless of case, and a change
// records the name as the request spelled it.
type entity struct {
	account string
	kind    store.Kind // KindUser or KindRole
	name    string
}

// entityOf is the user or role whose record p's set is made from: the user
// for a user and a federated user (a root's federation token names no
// user), the role for a role session.
func entityOf(p *Principal) entity {
	kind := store.KindUser
	if p.Kind == eval.PrincipalRoleSession {
		kind = store.KindRole
	}
	return entity{account: p.Account, kind: kind, name: strings.ToLower(p.Name)}
}

// dep is a group or a customer managed policy (lower-cased name) of the
// set's account that a compiled set is made of.
type dep struct {
	kind store.Kind // KindGroup or KindPolicy
	name string
}

// maxEntities bounds the generations kept per user and role; past it, they
// start over and every set is dropped.
const maxEntities = 100_000

// Apply drops the compiled sets each change can make out of date (reachOf):
// none, one user's or role's, those made with one group or policy, the
// account's, or every set. The process's store.Follower calls it with
// every change, in order.
func (a *Authorizer) Apply(changes []store.Change) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, c := range changes {
		switch reachOf(c) {
		case reachAll:
			a.global++
		case reachAccount:
			a.accounts[c.AccountID]++
		case reachEntity:
			if len(a.entities) >= maxEntities {
				clear(a.entities)
				a.global++ // generations restart at zero: no set may match one
			}
			a.entities[entity{account: c.AccountID, kind: c.Kind, name: strings.ToLower(c.Name)}]++
		case reachDep:
			a.dropDep(c.AccountID, dep{kind: c.Kind, name: strings.ToLower(c.Name)})
		}
	}
}

// dropDep drops the sets of account made with d, found through the index
// of holders. A set being loaded meanwhile is not kept (depChanges). a.mu
// is held.
func (a *Authorizer) dropDep(account string, d dep) {
	a.depChanges++
	for k := range a.holders[holder{account: account, dep: d}] {
		if c, ok := a.sets[k]; ok {
			a.forget(k, c)
		}
	}
}

// holder is a group or customer managed policy of an account, as the
// index of the sets made with it names it.
type holder struct {
	account string
	dep
}

// index records that the set under key, c, is made with its deps. a.mu is
// held.
func (a *Authorizer) index(key string, c cached) {
	for _, d := range c.deps {
		h := holder{account: c.acct, dep: d}
		m := a.holders[h]
		if m == nil {
			m = map[string]struct{}{}
			a.holders[h] = m
		}
		m[key] = struct{}{}
	}
}

// forget drops the set under key, c, and its entries in the index. a.mu is
// held.
func (a *Authorizer) forget(key string, c cached) {
	delete(a.sets, key)
	for _, d := range c.deps {
		h := holder{account: c.acct, dep: d}
		if m := a.holders[h]; m != nil {
			delete(m, key)
			if len(m) == 0 {
				delete(a.holders, h)
			}
		}
	}
}
