package authz

import (
	"strings"
	"sync"

	"github.com/iamq/iamq/eval"
)

// explanations keeps the explanations of allowed requests that depend on
// nothing but the compiled set, the action and the resource: those of sets
// that use no context key (no condition, no policy variable). The decision
// log asks for one per allowed call, and most policies have no condition.
// A changed policy makes a new set, so entries never go stale; the cache
// is emptied when full.
type explanations struct {
	mu     sync.Mutex
	static map[*eval.Set]bool // whether a set uses no context key
	m      map[explainKey]*eval.Explanation
}

type explainKey struct {
	set                       *eval.Set
	action, resource, resAcct string
	kind                      eval.PrincipalKind
}

// maxExplanations bounds the cache.
const maxExplanations = 10000

// explain returns the explanation of req under set, from the cache when it
// can only be the same; context makes req's context when it is needed. The
// caller must not change the explanation.
func (e *explanations) explain(set *eval.Set, req *eval.Request, context func() *eval.Context) *eval.Explanation {
	e.mu.Lock()
	static, known := e.static[set]
	e.mu.Unlock()
	if !known {
		static = len(set.ContextKeys()) == 0
	}
	if !static {
		req.Context = context()
		return set.Explain(req)
	}
	k := explainKey{set: set, action: strings.ToLower(req.Action), resource: req.Resource, resAcct: req.ResourceAccount, kind: req.Principal.Kind}
	e.mu.Lock()
	x, ok := e.m[k]
	e.mu.Unlock()
	if ok {
		return x
	}
	req.Context = context()
	x = set.Explain(req)
	e.mu.Lock()
	if e.m == nil || len(e.m) >= maxExplanations {
		e.m, e.static = map[explainKey]*eval.Explanation{}, map[*eval.Set]bool{}
	}
	e.m[k] = x
	e.static[set] = static
	e.mu.Unlock()
	return x
}
