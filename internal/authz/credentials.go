package authz

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
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
// as, and caches both: the credential lookup SigV4 verification uses. The
// cache is dropped on every change (Apply, from the process's
// store.Follower) and after every write the endpoint serves, so that a
// deactivated key is refused from the very next request. It also collects
// each issued key's latest use for GetAccessKeyLastUsed.
type Credentials struct {
	store store.Store
	opts  CredentialsOptions
	uses  keyUses

	mu   sync.RWMutex
	gen  uint64
	keys map[string]cachedKey
	dev  map[string]Principal // dev mode: roots of keys iamq did not issue
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
}

// NewCredentials returns the credentials of the keys in st.
func NewCredentials(st store.Store, o CredentialsOptions) *Credentials {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return &Credentials{store: st, opts: o, keys: map[string]cachedKey{}, dev: map[string]Principal{}}
}

// Invalidate drops every cached key.
func (c *Credentials) Invalidate() {
	c.mu.Lock()
	c.gen++
	clear(c.keys)
	clear(c.dev)
	c.mu.Unlock()
}

// Apply drops every cached key when changes are committed, by any node: the
// process's store.Follower calls it.
func (c *Credentials) Apply(changes []store.Change) {
	if len(changes) > 0 {
		c.Invalidate()
	}
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
	return cachedKey{key: Key{Secret: k.Secret, SessionToken: k.SessionToken, Expires: k.Expires, Principal: &p}}, nil
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
