package eval

import (
	"strings"
	"unsafe"
)

// Decision is the outcome of evaluating a request. The zero value is
// ImplicitDeny, so a forgotten decision denies.
type Decision uint8

// The three decisions (IAM User Guide: "Policy evaluation logic").
const (
	// ImplicitDeny: nothing denied the request, but not everything that must
	// allow it did.
	ImplicitDeny Decision = iota
	// Allowed: the request is allowed.
	Allowed
	// ExplicitDeny: a Deny statement applies; nothing can override it.
	ExplicitDeny
)

var decisionNames = [...]string{"implicitDeny", "allowed", "explicitDeny"}

// String returns "allowed", "explicitDeny" or "implicitDeny".
func (d Decision) String() string {
	if int(d) < len(decisionNames) {
		return decisionNames[d]
	}
	return "implicitDeny"
}

// ParseDecision returns the decision named s (as String writes it).
func ParseDecision(s string) (Decision, bool) {
	for i, n := range decisionNames {
		if n == s {
			return Decision(i), true
		}
	}
	return ImplicitDeny, false
}

// tally is what the matching statements established.
type tally struct {
	// boundary is set when the principal has a permissions boundary.
	boundary bool
	allow    [numKinds]bool
	// grant is the strongest way an Allow of the resource-based policy names
	// the principal.
	grant grant
	// why, when not nil, notes the statements that allowed (EvaluateReason).
	why *Reason
}

// Evaluate decides r and does not keep r. It does not allocate, except the
// first time a Set sees an action, when it caches which statements the
// action can match. A nil Set holds no policies.
func (s *Set) Evaluate(r *Request) Decision {
	if s == nil {
		var empty Set
		d, _ := empty.decide(r, &tally{})
		return d
	}
	var buf [64]byte
	act, h := lowerInto(buf[:0], r.Action)
	if s.templates {
		var sc scratch
		return s.evaluate(r, act, h, &sc, nil)
	}
	// Without policy variables nothing renders: skip zeroing the scratch.
	return s.evaluate(r, act, h, nil, nil)
}

// evaluate decides r; why, when not nil, receives the Allow statements that
// established each kind's allow.
func (s *Set) evaluate(r *Request, act string, h uint32, sc *scratch, why *Reason) Decision {
	t := tally{boundary: s.present[kBoundary], why: why}
	for _, p := range s.parts {
		if c := p.lookup(act, h); c != nil {
			if p.scanCached(c, r, &t, sc) {
				return ExplicitDeny
			}
			continue
		}
		svc, _, _ := strings.Cut(act, ":")
		denied := p.scan(r, act, svc, &t, sc)
		p.remember(act, svc, h)
		if denied {
			return ExplicitDeny
		}
	}
	d, _ := s.decide(r, &t)
	return d
}

// lowerInto returns s lower-cased (ASCII), using buf when s has upper-case
// letters and fits, and its FNV-1a hash.
func lowerInto(buf []byte, s string) (string, uint32) {
	if len(s) > cap(buf) {
		return lowerASCIIString(s), foldHash(s)
	}
	b := buf[:len(s)]
	upper := false
	h := uint32(2166136261)
	for j := 0; j < len(s); j++ {
		c := s[j]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
			upper = true
		}
		b[j] = c
		h ^= uint32(c)
		h *= 16777619
	}
	if !upper {
		return s, h
	}
	// The string lives in the caller's buffer and is used only while the
	// caller evaluates: this saves the one allocation a decision would make.
	return unsafe.String(&b[0], len(b)), h
}

// scan evaluates the statements whose actions can match act, recording Allows
// in t. It reports true as soon as a Deny applies.
func (p *part) scan(r *Request, act, svc string, t *tally, sc *scratch) bool {
	if ref := p.exact[act]; ref != nil && p.tryRef(ref, r, t, sc) {
		return true
	}
	if p.tryRefs(p.service[svc], act, r, t, sc) || p.tryRefs(p.other, act, r, t, sc) {
		return true
	}
	for _, i := range p.notAction {
		if !p.stmts[i].matchAction(act) && p.try(i, r, t, sc) {
			return true
		}
	}
	return false
}

func (p *part) tryRefs(refs []actionRef, act string, r *Request, t *tally, sc *scratch) bool {
	for i := range refs {
		ref := &refs[i]
		if len(ref.denies) == 0 && t.covers(ref.allowKinds) {
			continue // nothing it could add: skip the match
		}
		if ref.glob.match(act) && p.tryRef(ref, r, t, sc) {
			return true
		}
	}
	return false
}

// tryRef evaluates the statements of a matching action pattern: every Deny,
// and the Allows unless their kinds have allowed already.
func (p *part) tryRef(ref *actionRef, r *Request, t *tally, sc *scratch) bool {
	for _, j := range ref.denies {
		if p.try(j, r, t, sc) {
			return true
		}
	}
	if !t.covers(ref.allowKinds) {
		for _, j := range ref.allows {
			p.try(j, r, t, sc)
		}
	}
	return false
}

// covers reports whether every kind in ks has allowed already, in the
// strongest way: nothing an Allow of those kinds does can change the decision.
func (t *tally) covers(ks kindSet) bool {
	for k := kind(0); k < numKinds; k++ {
		if ks.has(k) && (!t.allow[k] || (k == kResource && t.grant != grantDirect)) {
			return false
		}
	}
	return true
}

// try evaluates statement i, whose action matches. It reports true for a Deny
// that applies.
func (p *part) try(i int32, r *Request, t *tally, sc *scratch) bool {
	s := &p.stmts[i]
	if !s.deny {
		if s.broken || (t.allow[s.kind] && (s.kind != kResource || t.grant == grantDirect)) {
			return false // cannot allow, or can add nothing
		}
	}
	g, ok := s.applies(r, sc, t.boundary, nil)
	if !ok {
		return false
	}
	if s.deny {
		return true
	}
	first := !t.allow[s.kind]
	t.allow[s.kind] = true
	if s.kind == kResource && g > t.grant {
		t.grant, first = g, true
	}
	if first && t.why != nil {
		t.why.allowed(p, i)
	}
	return false
}

func (s *stmt) matchAction(act string) bool {
	for i := range s.actions {
		if s.actions[i].match(act) {
			return true
		}
	}
	return false
}

// applies reports whether the statement, whose action matches, applies to r:
// its resource, principal and conditions. For a resource-based policy it also
// returns how the principal is named. boundary tells whether the principal
// has a permissions boundary. missing, if not nil, collects the keys of
// conditions that found no value.
func (s *stmt) applies(r *Request, sc *scratch, boundary bool, missing *[]string) (grant, bool) {
	if s.dead || !s.matchResource(r, sc) {
		return grantNone, false
	}
	g := grantDirect
	if s.principal != nil {
		if s.notPrinc {
			// A NotPrincipal Deny always denies a principal that has a
			// permissions boundary, whatever it lists (IAM User Guide: "AWS
			// JSON policy elements: NotPrincipal", key points).
			if !boundary && s.principal.excludes(&r.Principal) {
				return grantNone, false
			}
		} else if g = s.principal.match(&r.Principal); g == grantNone {
			return grantNone, false
		}
	}
	if s.broken {
		// Only a Deny gets here: it applies whatever its conditions say.
		return g, true
	}
	// Conditions are AND'ed (IAM User Guide: "IAM JSON policy elements:
	// Condition", "The condition block"). With missing set, every condition
	// is evaluated so that every missing key is reported.
	ok := true
	for i := range s.conds {
		c, present := s.conds[i].eval(r, sc)
		if !present && missing != nil {
			*missing = append(*missing, s.conds[i].key.name)
		}
		if !c {
			ok = false
			if missing == nil {
				break
			}
		}
	}
	return g, ok
}

// matchResource matches r.Resource against Resource or NotResource:
// case-sensitive, '*' and '?' across the whole ARN, policy variables
// resolved (IAM User Guide: "IAM JSON policy elements: Resource").
func (s *stmt) matchResource(r *Request, sc *scratch) bool {
	if s.anyResource {
		return true
	}
	hit := false
	for i := range s.resources {
		rp := &s.resources[i]
		if rp.tmpl == nil {
			hit = rp.glob.match(r.Resource)
		} else {
			p, ok := rp.tmpl.render(sc.buf[:0], r, true)
			if !ok {
				// A variable without a value: this Resource entry does not
				// match, and a NotResource element does not match at all.
				if s.notResource {
					return false
				}
				continue
			}
			hit = matchPattern(p, r.Resource, false)
		}
		if hit {
			break
		}
	}
	return hit != s.notResource
}
