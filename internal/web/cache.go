package web

import "sync"

// cache keeps values that never change once made (a version's rendered
// document, the diff of two versions), up to max of them; when full it
// starts over, which is simple and bounds memory.
type cache struct {
	mu  sync.Mutex
	max int
	m   map[string]any
}

func newCache(max int) *cache { return &cache{max: max, m: map[string]any{}} }

// get returns the value of key, making it with make on a miss. Errors are
// not kept.
func (c *cache) get(key string, make func() (any, error)) (any, error) {
	c.mu.Lock()
	v, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return v, nil
	}
	v, err := make()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if len(c.m) >= c.max {
		c.m = map[string]any{}
	}
	c.m[key] = v
	c.mu.Unlock()
	return v, nil
}
