package server

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/iamq/iamq/internal/authz"
	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/sigv4"
	"github.com/iamq/iamq/internal/store"
)

// credentials finds access keys for sigv4 and caches them, with who each
// acts as. The cache is dropped whenever anything changes: after every
// operation that is not read-only (so that, on this node, a deactivated key
// is refused from the very next request) and on every change number the
// store publishes (changes made on other nodes).
type credentials struct {
	store store.Store
	uses  keyUses // the issued keys' latest uses, for RecordKeyUses

	mu   sync.RWMutex
	gen  uint64
	keys map[string]cachedKey
	dev  map[string]authz.Principal // dev mode: roots of keys iamq did not issue
}

// maxCachedCredentials bounds each cache; when full it starts over.
const maxCachedCredentials = 100_000

// cachedKey is a lookup's outcome; unknown caches a miss, so that dev mode's
// "test" key costs no query per request.
type cachedKey struct {
	key     sigv4.Key
	unknown bool
	// inactive: the key exists but is Inactive. sigv4 sees it as unknown
	// (InvalidClientTokenId); dev mode must not take it for a key iamq did
	// not issue.
	inactive bool
}

func newCredentials(st store.Store) *credentials {
	return &credentials{store: st, keys: map[string]cachedKey{}, dev: map[string]authz.Principal{}}
}

// invalidate drops every cached key.
func (c *credentials) invalidate() {
	c.mu.Lock()
	c.gen++
	clear(c.keys)
	clear(c.dev)
	c.mu.Unlock()
}

// lookup is the [sigv4.Lookup]: an active key with its secret, and a
// *authz.Principal as Owner.
func (c *credentials) lookup(ctx context.Context, id string) (sigv4.Key, error) {
	ck, err := c.get(ctx, id)
	if err != nil {
		return sigv4.Key{}, err
	}
	if ck.unknown {
		return sigv4.Key{}, sigv4.ErrUnknownKey
	}
	return ck.key, nil
}

// get is a lookup's outcome, from the cache or the store.
func (c *credentials) get(ctx context.Context, id string) (cachedKey, error) {
	c.mu.RLock()
	ck, ok := c.keys[id]
	gen := c.gen
	c.mu.RUnlock()
	if ok {
		return ck, nil
	}
	ck, err := c.load(ctx, id)
	if err != nil {
		return cachedKey{}, err
	}
	c.mu.Lock()
	if c.gen == gen { // nothing changed while loading: the value is current
		if len(c.keys) >= maxCachedCredentials {
			clear(c.keys) // unknown ids are cached too: a client must not grow the map at will
		}
		c.keys[id] = ck
	}
	c.mu.Unlock()
	return ck, nil
}

func (c *credentials) load(ctx context.Context, id string) (cachedKey, error) {
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
	caller, err := authz.PrincipalForKey(k, path)
	if err != nil {
		return cachedKey{}, err
	}
	caller.User = user // GetUser of the caller answers from it
	return cachedKey{key: sigv4.Key{Secret: k.Secret, SessionToken: k.SessionToken, Expires: k.Expires, Owner: &caller}}, nil
}

// devRoot is dev mode's caller for an access key iamq did not issue: the root
// of the account a 12-digit key names (created on first use), or of the
// default account for any other key.
func (c *credentials) devRoot(ctx context.Context, keyID, defaultAccount string) (authz.Principal, error) {
	c.mu.RLock()
	caller, ok := c.dev[keyID]
	c.mu.RUnlock()
	if ok {
		return caller, nil
	}
	account := defaultAccount
	if iam.IsAccountID(keyID) {
		account = keyID
		_, err := c.store.CreateAccount(ctx, store.Account{ID: account, Name: "dev " + account})
		if err != nil && !errors.Is(err, store.ErrAlreadyExists) {
			return authz.Principal{}, fmt.Errorf("dev mode: creating account %s: %w", account, err)
		}
	}
	caller = authz.Root(account)
	c.mu.Lock()
	if len(c.dev) >= maxCachedCredentials {
		clear(c.dev)
	}
	c.dev[keyID] = caller
	c.mu.Unlock()
	return caller, nil
}

// devKey reports whether dev mode may take keyID for a key iamq did not
// issue, to be accepted unsigned as an account's root. Keys iamq issued are
// always verified and enforced, so a key is a dev key only when the store
// does not hold it at all (an Inactive key is not one) and it does not have
// the form of an issued key — AKIA or ASIA and 16 characters of the id
// alphabet — so that a deleted key, which the store no longer knows, is
// refused too rather than becoming a root.
func (c *credentials) devKey(ctx context.Context, keyID string) (bool, error) {
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
