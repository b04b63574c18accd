package eval

import (
	"slices"
	"strings"
	"sync/atomic"
)

// actionCache remembers, per action, the statements whose Action or
// NotAction matches it, so that a repeated action costs one probe instead of
// the pattern index's map lookups and glob matches. It is a fixed-size,
// lock-free, open-addressing table filled on first use: readers never block
// or allocate, a full table simply stops caching, and its memory is bounded
// (8 bytes a slot, at most maxCacheSlots slots per compiled part).
type actionCache struct {
	slots []atomic.Pointer[candidates]
	mask  uint32
}

// candidates are the statements of a part whose action matches one action:
// every Deny, and the Allows. A short action and a short list live inline,
// so that a hit touches one or two cache lines.
type candidates struct {
	hash   uint32
	alen   uint8
	inline [47]byte // the action, when it fits
	long   string   // the action, when it does not
	ids    []int32  // denies first, then allows
	denies int      // how many of ids are denies
	buf    [6]int32
}

// is reports whether the candidates are those of act.
func (c *candidates) is(act string, h uint32) bool {
	if c.hash != h {
		return false
	}
	if c.long != "" {
		return c.long == act
	}
	return int(c.alen) == len(act) && string(c.inline[:c.alen]) == act
}

const (
	minCacheSlots = 64
	maxCacheSlots = 8192
	cacheProbes   = 8
)

// cacheSlots sizes the cache for a part: a few slots per action pattern.
func cacheSlots(patterns int) int {
	n := minCacheSlots
	for n < 16*patterns && n < maxCacheSlots {
		n *= 2
	}
	return n
}

// lookup returns the cached candidates of act (with hash h), or nil.
func (p *part) lookup(act string, h uint32) *candidates {
	c := p.cache.Load()
	if c == nil {
		return nil
	}
	for i := uint32(0); i < cacheProbes; i++ {
		e := c.slots[(h+i)&c.mask].Load()
		if e == nil {
			return nil
		}
		if e.is(act, h) {
			return e
		}
	}
	return nil
}

// remember computes and caches the candidates of act, if a slot is free.
func (p *part) remember(act, svc string, h uint32) {
	c := p.cache.Load()
	if c == nil {
		n := cacheSlots(p.patterns)
		fresh := &actionCache{slots: make([]atomic.Pointer[candidates], n), mask: uint32(n - 1)}
		if !p.cache.CompareAndSwap(nil, fresh) {
			c = p.cache.Load()
		} else {
			c = fresh
		}
	}
	for i := uint32(0); i < cacheProbes; i++ {
		slot := &c.slots[(h+i)&c.mask]
		if e := slot.Load(); e != nil {
			if e.is(act, h) {
				return // another goroutine was first
			}
			continue
		}
		if slot.CompareAndSwap(nil, p.candidatesOf(act, svc, h)) {
			return
		}
	}
}

// candidatesOf collects the statements whose action matches act, each once,
// in statement order.
func (p *part) candidatesOf(act, svc string, h uint32) *candidates {
	seen := map[int32]bool{}
	var ids []int32
	add := func(list []int32) {
		for _, i := range list {
			if !seen[i] {
				seen[i] = true
				ids = append(ids, i)
			}
		}
	}
	if ref := p.exact[act]; ref != nil {
		add(ref.denies)
		add(ref.allows)
	}
	for _, refs := range [][]actionRef{p.service[svc], p.other} {
		for i := range refs {
			if refs[i].glob.match(act) {
				add(refs[i].denies)
				add(refs[i].allows)
			}
		}
	}
	for _, i := range p.notAction {
		if !p.stmts[i].matchAction(act) {
			add([]int32{i})
		}
	}
	slices.Sort(ids)
	c := &candidates{hash: h}
	if len(act) <= len(c.inline) {
		c.alen = uint8(copy(c.inline[:], act))
	} else {
		c.long = strings.Clone(act)
	}
	c.ids = c.buf[:0]
	for _, deny := range []bool{true, false} {
		for _, i := range ids {
			if p.stmts[i].deny == deny {
				c.ids = append(c.ids, i)
			}
		}
		if deny {
			c.denies = len(c.ids)
		}
	}
	return c
}

// scanCached evaluates the cached candidates; it reports true for a Deny
// that applies.
func (p *part) scanCached(c *candidates, r *Request, t *tally, sc *scratch) bool {
	for _, i := range c.ids[:c.denies] {
		if p.try(i, r, t, sc) {
			return true
		}
	}
	for _, i := range c.ids[c.denies:] {
		p.try(i, r, t, sc)
	}
	return false
}
