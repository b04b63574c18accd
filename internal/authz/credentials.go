package authz

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/internal/store"
)

// ErrUnknownKey is what [Credentials.Lookup] returns for an access key id
// the store does not hold, or holds Inactive: IAM answers both alike.
var ErrUnknownKey = errors.New("authz: unknown access key")

// Key is an active access key's secret material and who it acts as: what
// verifying a signature needs.
type Key struct {
	Secret       string
	SessionToken string    // set for temporary credentials
	Expires      time.Time // zero for long-term keys
	Principal    *Principal
}

// CredentialsOptions configure [Credentials]; the zero value is the
// default.
type CredentialsOptions struct {
	// DevAccount creates dev mode's account id (12 digits) on the first use
	// of a key that names it; an account that exists already is no error.
	// nil: such keys act in the account without creating it.
	DevAccount func(ctx context.Context, id string) error
	Logger     *slog.Logger // nil discards
}

// Credentials finds the access keys that sign requests, with who each acts
// as, and caches both: the credential lookup SigV4 verification uses. A
// cached key is dropped by every change that can alter it (Apply, from the
// process's store.Follower, which the endpoint syncs after each write it
// serves): the key's own, its user's, its role's deletion; so a deleted or
// deactivated key is refused from the very next request, while a change of
// anything else (an SSH key, a policy, a broker) keeps the cache. It also
// collects each issued key's latest use for GetAccessKeyLastUsed.
type Credentials struct {
	store store.Store
	opts  CredentialsOptions
	uses  keyUses

	// followed: Apply has been called, so the process's follower passes
	// this cache every change (see Following).
	followed atomic.Bool

	mu     sync.RWMutex
	gen    uint64 // bumped by every change that drops a key: a load under way is not kept
	keys   map[string]cachedKey
	owners map[owner]uint64     // a user's or role's generation, bumped by its changes
	dev    map[string]Principal // dev mode: roots of keys iamq did not issue
}

// owner is the user or role an issued key acts for (its name lower-cased,
// as a change may spell it otherwise); a root's key has none.
type owner struct {
	account string
	kind    store.Kind // KindUser or KindRole
	name    string
}

// maxCachedCredentials bounds each cache; when full it starts over.
const maxCachedCredentials = 100_000

// cachedKey is a lookup's outcome; unknown caches a miss, so that dev mode's
// "test" key costs no query per request.
type cachedKey struct {
	key     Key
	unknown bool
	// inactive: the key exists but is Inactive. Verification sees it as
	// unknown (InvalidClientTokenId); dev mode must not take it for a key
	// iamq did not issue.
	inactive bool
	// owner and ownerGen: the key's user or role and its generation when
	// the key was read; a change of the owner (Apply) makes it stale.
	owner    owner
	ownerGen uint64
}

// NewCredentials returns the credentials of the keys in st.
func NewCredentials(st store.Store, o CredentialsOptions) *Credentials {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return &Credentials{store: st, opts: o, keys: map[string]cachedKey{}, owners: map[owner]uint64{}, dev: map[string]Principal{}}
}

// Invalidate drops every cached key.
func (c *Credentials) Invalidate() {
	c.mu.Lock()
	c.invalidate()
	c.mu.Unlock()
}

// invalidate drops every cached key; c.mu is held.
func (c *Credentials) invalidate() {
	c.gen++
	clear(c.keys)
	clear(c.owners)
	clear(c.dev)
}

// Following reports whether Apply has been called: the process's follower
// passes this cache the changes, so that a write needs to drop only what
// it changed. Until then, the endpoint drops the whole cache after each
// write.
func (c *Credentials) Following() bool { return c.followed.Load() }

// Apply drops the cached keys that changes, committed by any node, can
// alter: the process's store.Follower calls it. An access key's change
// drops that key; a user's change (its tags and path are part of the
// principal, its deletion ends its temporary keys) drops the user's keys;
// a role's deletion (which ends its sessions) drops its sessions' keys; a
// reset, a deleted account and a kind of change this cache does not know
// drop everything. Every other change keeps the cache.
func (c *Credentials) Apply(changes []store.Change) {
	c.followed.Store(true)
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, ch := range changes {
		switch {
		case ch.Kind == store.KindAWSPolicy:
		case ch.AccountID == "" || ch.Kind == store.KindAll:
			c.invalidate()
		case ch.Kind == store.KindAccessKey:
			c.gen++
			delete(c.keys, ch.Name)
			delete(c.dev, ch.Name) // a key made with a custom id is no dev key any more
		case ch.Kind == store.KindUser || ch.Kind == store.KindRole && ch.Op == store.OpDelete:
			c.gen++
			if len(c.owners) >= maxCachedCredentials {
				c.invalidate() // generations restart at zero: no cached key may match one
			}
			c.owners[owner{account: ch.AccountID, kind: ch.Kind, name: strings.ToLower(ch.Name)}]++
		case keepsKeys(ch.Kind):
		default:
			c.invalidate()
		}
	}
}

// keepsKeys reports whether a change of kind leaves every cached key as it
// is: none of these is read by a key's lookup.
func keepsKeys(kind store.Kind) bool {
	switch kind {
	case store.KindAccount, store.KindAccountAlias, store.KindGroup, store.KindRole, store.KindPolicy,
		store.KindInstanceProfile, store.KindCredential, store.KindServerCertificate, store.KindLoginProfile,
		store.KindPasswordPolicy, store.KindMFADevice, store.KindAccountSetting, store.KindProvider:
		return true
	}
	return false
}

// Lookup returns the active key id with its secret and principal, or
// ErrUnknownKey.
func (c *Credentials) Lookup(ctx context.Context, id string) (Key, error) {
	ck, err := c.get(ctx, id)
	if err != nil {
		return Key{}, err
	}
	if ck.unknown {
		return Key{}, ErrUnknownKey
	}
	return ck.key, nil
}

// get is a lookup's outcome, from the cache or the store.
func (c *Credentials) get(ctx context.Context, id string) (cachedKey, error) {
	c.mu.RLock()
	ck, ok := c.keys[id]
	if ok && (ck.owner.kind == "" || ck.ownerGen == c.owners[ck.owner]) {
		c.mu.RUnlock()
		return ck, nil
	}
	gen := c.gen
	c.mu.RUnlock()
	ck, err := c.load(ctx, id)
	if err != nil {
		return cachedKey{}, err
	}
	c.mu.Lock()
	if c.gen == gen { // nothing changed while loading: the value is current
		if len(c.keys) >= maxCachedCredentials {
			clear(c.keys) // unknown ids are cached too: a client must not grow the map at will
		}
		if ck.owner.kind != "" {
			ck.ownerGen = c.owners[ck.owner]
		}
		c.keys[id] = ck
	}
	c.mu.Unlock()
	return ck, nil
}

func (c *Credentials) load(ctx context.Context, id string) (cachedKey, error) {
	k, err := c.store.AccessKey(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return cachedKey{unknown: true}, nil
	}
	if err != nil {
		return cachedKey{}, err
	}
	if k.Status != store.KeyActive {
		// IAM answers an inactive key as it answers an unknown one.
		return cachedKey{unknown: true, inactive: true}, nil
	}
	var user *store.User
	path := ""
	if k.Owner.Kind == store.KindUser {
		err := c.store.View(ctx, k.AccountID, func(tx store.Tx) error {
			u, err := tx.User(k.Owner.Name)
			user, path = &u, u.Path
			return err
		})
		if err != nil {
			return cachedKey{}, fmt.Errorf("loading the owner of access key %s: %w", id, err)
		}
	}
	p, err := PrincipalForKey(k, path)
	if err != nil {
		return cachedKey{}, err
	}
	p.User = user // GetUser of the caller answers from it
	ck := cachedKey{key: Key{Secret: k.Secret, SessionToken: k.SessionToken, Expires: k.Expires, Principal: &p}}
	if k.Owner.Kind == store.KindUser || k.Owner.Kind == store.KindRole {
		ck.owner = owner{account: k.AccountID, kind: k.Owner.Kind, name: strings.ToLower(k.Owner.Name)}
	}
	return ck, nil
}

// DevRoot is dev mode's principal for an access key iamq did not issue: the
// root of the account a 12-digit key names (created on first use through
// CredentialsOptions.DevAccount), or of defaultAccount for any other key.
func (c *Credentials) DevRoot(ctx context.Context, keyID, defaultAccount string) (Principal, error) {
	c.mu.RLock()
	p, ok := c.dev[keyID]
	c.mu.RUnlock()
	if ok {
		return p, nil
	}
	account := defaultAccount
	if arn.IsAccountID(keyID) {
		account = keyID
		if c.opts.DevAccount != nil {
			if err := c.opts.DevAccount(ctx, account); err != nil {
				return Principal{}, fmt.Errorf("dev mode: creating account %s: %w", account, err)
			}
		}
	}
	p = Root(account)
	c.mu.Lock()
	if len(c.dev) >= maxCachedCredentials {
		clear(c.dev)
	}
	c.dev[keyID] = p
	c.mu.Unlock()
	return p, nil
}

// DevKey reports whether dev mode may take keyID for a key iamq did not
// issue, to be accepted unsigned as an account's root. Keys iamq issued are
// always verified and enforced, so a key is a dev key only when the store
// does not hold it at all (an Inactive key is not one) and it does not have
// the form of an issued key — AKIA or ASIA and 16 characters of the id
// alphabet — so that a deleted key, which the store no longer knows, is
// refused too rather than becoming a root.
func (c *Credentials) DevKey(ctx context.Context, keyID string) (bool, error) {
	if issuedForm(keyID) {
		return false, nil
	}
	ck, err := c.get(ctx, keyID)
	if err != nil {
		return false, err
	}
	return ck.unknown && !ck.inactive, nil
}

// issuedForm reports whether id has the form of an access key iamq issues:
// the prefix AKIA or ASIA and 16 characters of store's id alphabet
// (upper-case letters and the digits 2–7).
func issuedForm(id string) bool {
	if len(id) != 20 || (!strings.HasPrefix(id, string(store.PrefixAccessKey)) && !strings.HasPrefix(id, string(store.PrefixTemporaryKey))) {
		return false
	}
	for i := 4; i < len(id); i++ {
		if ch := id[i]; !(ch >= 'A' && ch <= 'Z') && !(ch >= '2' && ch <= '7') {
			return false
		}
	}
	return true
}
