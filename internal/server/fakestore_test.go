package server

import (
	"context"
	"fmt"
	"sync"

	"github.com/iamq/iamq/internal/store"
)

// fakeStore is the part of store.Store the endpoint uses, in memory, so that
// the server's tests depend on no backend. Methods it lacks panic (the
// embedded nil interface).
type fakeStore struct {
	store.Store

	mu       sync.Mutex
	accounts map[string]store.Account
	keys     map[string]store.AccessKey
	users    map[string]store.User // by account + "/" + name
	resets   int
	lookups  int
	used     []store.KeyUse
}

func newFakeStore() *fakeStore {
	return &fakeStore{accounts: map[string]store.Account{}, keys: map[string]store.AccessKey{}, users: map[string]store.User{}}
}

func (f *fakeStore) addKey(k store.AccessKey) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.accounts[k.AccountID] = store.Account{ID: k.AccountID}
	if k.Status == "" {
		k.Status = store.KeyActive
	}
	f.keys[k.ID] = k
}

func (f *fakeStore) addUser(u store.User) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.users[u.AccountID+"/"+u.Name] = u
}

func (f *fakeStore) setStatus(id string, s store.KeyStatus) {
	f.mu.Lock()
	defer f.mu.Unlock()
	k := f.keys[id]
	k.Status = s
	f.keys[id] = k
}

func (f *fakeStore) AccessKey(ctx context.Context, id string) (store.AccessKey, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lookups++
	k, ok := f.keys[id]
	if !ok {
		return store.AccessKey{}, fmt.Errorf("%w: The Access Key with id %s cannot be found.", store.ErrNotFound, id)
	}
	return k, nil
}

func (f *fakeStore) CreateAccount(ctx context.Context, a store.Account) (store.Account, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.accounts[a.ID]; ok {
		return store.Account{}, fmt.Errorf("%w: account %s", store.ErrAlreadyExists, a.ID)
	}
	f.accounts[a.ID] = a
	return a, nil
}

func (f *fakeStore) hasAccount(id string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	_, ok := f.accounts[id]
	return ok
}

func (f *fakeStore) Reset(ctx context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.resets++
	clear(f.accounts)
	clear(f.keys)
	clear(f.users)
	return nil
}

func (f *fakeStore) View(ctx context.Context, account string, fn func(store.Tx) error) error {
	return fn(fakeTx{f: f, account: account})
}

type fakeTx struct {
	store.Tx // the methods the endpoint does not use panic
	f        *fakeStore
	account  string
}

func (t fakeTx) User(name string) (store.User, error) {
	t.f.mu.Lock()
	defer t.f.mu.Unlock()
	u, ok := t.f.users[t.account+"/"+name]
	if !ok {
		return store.User{}, fmt.Errorf("%w: The user with name %s cannot be found.", store.ErrNotFound, name)
	}
	return u, nil
}

// counts returns how many key lookups and resets the store has seen.
func (f *fakeStore) counts() (lookups, resets int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.lookups, f.resets
}

func (f *fakeStore) RecordKeyUse(ctx context.Context, uses []store.KeyUse) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.used = append(f.used, uses...)
	return nil
}

// recordedUses returns the key uses written so far.
func (f *fakeStore) recordedUses() []store.KeyUse {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]store.KeyUse(nil), f.used...)
}
