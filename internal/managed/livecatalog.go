package managed

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/iamq/iamq/internal/catalog"
)

// liveCatalog is the service catalog in force: the base (embedded) catalog
// with the catalog updates the store holds laid over it in order. It is
// the Registry's; every node rebuilds it from the store, so it survives
// restarts and follows other nodes' updates.
type liveCatalog struct {
	base *catalog.Catalog // nil until first used: catalog.Embedded()

	mu  sync.RWMutex
	cur *catalog.Catalog
	ids []string // the updates cur holds, in order
}

// Catalog returns the service catalog in force: the one expansion,
// counterexamples, job-function rules and lint use. It changes when a
// catalog update is applied on any node (after the registry's refresh).
func (r *Registry) Catalog() *catalog.Catalog {
	r.cat.mu.RLock()
	c := r.cat.cur
	r.cat.mu.RUnlock()
	if c != nil {
		return c
	}
	r.cat.mu.Lock()
	defer r.cat.mu.Unlock()
	if r.cat.cur == nil {
		if r.cat.base == nil {
			r.cat.base = catalog.Embedded()
		}
		r.cat.cur = r.cat.base
	}
	return r.cat.cur
}

// refreshCatalog rebuilds the live catalog when the store's list of
// updates differs from the one it holds. Refresh calls it.
func (r *Registry) refreshCatalog(ctx context.Context) error {
	list, err := r.st.CatalogUpdates(ctx, false)
	if err != nil {
		return err
	}
	ids := make([]string, len(list))
	for i, u := range list {
		ids[i] = u.ID
	}
	r.Catalog() // sets the base
	r.cat.mu.RLock()
	same := slices.Equal(ids, r.cat.ids)
	r.cat.mu.RUnlock()
	if same {
		return nil
	}
	full, err := r.st.CatalogUpdates(ctx, true)
	if err != nil {
		return err
	}
	cur := r.cat.base
	ids = ids[:0]
	for _, u := range full {
		c, err := catalog.Load(bytes.NewReader(u.Data), catalog.LoadOptions{})
		if err != nil {
			return fmt.Errorf("catalog update %s: %w", u.ID, err)
		}
		cur = cur.Overlay(c)
		ids = append(ids, u.ID)
	}
	r.cat.mu.Lock()
	r.cat.cur, r.cat.ids = cur, ids
	r.cat.mu.Unlock()
	return nil
}
