package eval

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/iamq/iamq/policy"
)

// ErrNoDocument is returned by Compile for a Policy without a Document.
var ErrNoDocument = errors.New("eval: policy has no document")

// Set is a compiled, immutable set of policies: safe for any number of
// goroutines to evaluate at once. Build one with Compile; combine the
// principal's set with a resource's set with Merge.
type Set struct {
	parts   []*part
	present [numKinds]bool
	// templates is set when some statement has a policy variable, which
	// needs scratch memory to render.
	templates bool
}

// part is the compilation of one Policies value.
type part struct {
	policies [numKinds][]Policy
	stmts    []stmt
	// The action index: statements by exact (lower-cased) action, by service
	// prefix for patterns with wildcards only after the colon, and the rest.
	exact     map[string]*actionRef
	service   map[string][]actionRef
	other     []actionRef
	notAction []int32
	diags     []Diagnostic
	templates bool
	// patterns counts the action patterns, to size the cache.
	patterns int
	cache    atomic.Pointer[actionCache]
}

// actionRef is one distinct action pattern and the statements that list it,
// so that a pattern many policies share ("mq:Describe*") is matched once,
// and Allow statements of kinds that already allowed are skipped at once.
type actionRef struct {
	pattern    string
	glob       glob
	denies     []int32
	allows     []int32
	allowKinds kindSet
}

func (ref *actionRef) add(i int32, st *stmt) {
	if st.deny {
		if len(ref.denies) == 0 || ref.denies[len(ref.denies)-1] != i {
			ref.denies = append(ref.denies, i)
		}
		return
	}
	if len(ref.allows) == 0 || ref.allows[len(ref.allows)-1] != i {
		ref.allows = append(ref.allows, i)
		ref.allowKinds |= 1 << st.kind
	}
}

// stmt is a compiled statement.
type stmt struct {
	kind   kind
	policy int32
	src    *policy.Statement
	deny   bool
	// dead statements never apply (no Effect IAM knows, no Action, a
	// resource policy statement naming no principal).
	dead bool
	// broken statements have a condition that cannot be evaluated: they
	// never allow, and a Deny applies regardless of its conditions.
	broken      bool
	actions     []glob // lower-cased Action or NotAction patterns
	notAction   bool
	anyResource bool
	notResource bool
	resources   []resPattern
	principal   *principals
	notPrinc    bool
	conds       []cond
}

type resPattern struct {
	glob glob
	tmpl *template
}

// Compile compiles ps into a Set. It fails only for a Policy without a
// Document; a statement that cannot be evaluated is kept as a Diagnostic of
// the set (see Explain) and never allows.
func Compile(ps Policies) (*Set, error) {
	p := &part{policies: ps.byKind(), exact: map[string]*actionRef{}, service: map[string][]actionRef{}}
	s := &Set{parts: []*part{p}}
	for k, list := range p.policies {
		for i := range list {
			pol := &list[i]
			if pol.Document == nil {
				return nil, fmt.Errorf("%w: %s policy %q", ErrNoDocument, kindNames[k], pol.ID)
			}
			if kind(k) != kResource {
				s.present[k] = true
			}
			for j := range pol.Document.Statements {
				p.addStatement(kind(k), int32(i), pol, &pol.Document.Statements[j])
			}
		}
	}
	p.order()
	s.templates = p.templates
	return s, nil
}

// order sorts each list of action patterns so that patterns with a Deny come
// first and, among the others, the broadest ("mq:*") first: once it has
// allowed, the narrower ones are skipped without being matched.
func (p *part) order() {
	less := func(a, b actionRef) int {
		if (len(a.denies) > 0) != (len(b.denies) > 0) {
			if len(a.denies) > 0 {
				return -1
			}
			return 1
		}
		return cmp.Compare(len(a.pattern), len(b.pattern))
	}
	for _, refs := range p.service {
		slices.SortStableFunc(refs, less)
	}
	slices.SortStableFunc(p.other, less)
}

// Merge returns a set holding the policies of all the given sets, as if
// compiled together: the principal's compiled set with a resource's policy,
// or a caller's set with a role's trust policy.
func Merge(sets ...*Set) *Set {
	m := &Set{}
	for _, s := range sets {
		if s == nil {
			continue
		}
		m.parts = append(m.parts, s.parts...)
		m.templates = m.templates || s.templates
		for k, ok := range s.present {
			m.present[k] = m.present[k] || ok
		}
	}
	return m
}

func (p *part) diag(k kind, pi int32, st *policy.Statement, at policy.Position, msg string) {
	pol := &p.policies[k][pi]
	p.diags = append(p.diags, Diagnostic{Kind: kindNames[k], PolicyID: pol.ID, PolicyVersion: pol.Version,
		Sid: st.Sid, Index: st.Index, Pos: at, Message: msg})
}

func (p *part) addStatement(k kind, pi int32, pol *Policy, st *policy.Statement) {
	variables := pol.Document.Version.Variables()
	s := stmt{kind: k, policy: pi, src: st, deny: st.Effect == policy.Deny}
	switch {
	case st.Effect != policy.Allow && st.Effect != policy.Deny:
		s.dead = true
		p.diag(k, pi, st, st.Pos, fmt.Sprintf("statement has Effect %q, neither Allow nor Deny: it never applies", st.Effect))
	case st.Action == nil && st.NotAction == nil:
		s.dead = true
		p.diag(k, pi, st, st.Pos, "statement has neither Action nor NotAction: it never applies")
	case k == kResource && st.Principal == nil && st.NotPrincipal == nil:
		s.dead = true
		p.diag(k, pi, st, st.Pos, "resource-based policy statement names no Principal: it never applies")
	case k != kResource && (st.Principal != nil || st.NotPrincipal != nil):
		s.broken = true
		p.diag(k, pi, st, st.Pos, fmt.Sprintf("a %s policy cannot name a Principal: the statement never allows", kindNames[k]))
	case st.NotPrincipal != nil && st.Effect == policy.Allow:
		// IAM User Guide, "AWS JSON policy elements: NotPrincipal":
		// NotPrincipal must be used with Deny.
		s.broken = true
		p.diag(k, pi, st, st.Pos, "NotPrincipal with Allow is not supported: the statement never allows")
	}
	actions := st.Action
	if actions == nil {
		actions, s.notAction = st.NotAction, true
	}
	for _, a := range actions {
		s.actions = append(s.actions, compileGlob(lowerASCIIString(a)))
	}
	p.compileResources(&s, st, variables)
	if k == kResource {
		if st.Principal != nil {
			s.principal = compilePrincipals(st.Principal)
		} else {
			s.principal, s.notPrinc = compilePrincipals(st.NotPrincipal), true
		}
	}
	for i := range st.Conditions {
		c := compileCond(&st.Conditions[i], variables)
		for j := range c.vals {
			p.templates = p.templates || c.vals[j].tmpl != nil
		}
		if c.err != "" {
			s.broken = true
			p.diag(k, pi, st, c.src.Pos, c.err+": the statement never allows")
		}
		s.conds = append(s.conds, c)
	}
	idx := int32(len(p.stmts))
	p.stmts = append(p.stmts, s)
	if !s.dead {
		p.index(idx, s.notAction, actions)
	}
}

func (p *part) compileResources(s *stmt, st *policy.Statement, variables bool) {
	res := st.Resource
	if res == nil {
		res, s.notResource = st.NotResource, true
	}
	if st.Resource == nil && st.NotResource == nil {
		// Trust policies have no Resource element: the statement covers the
		// resource the policy is attached to.
		s.anyResource, s.notResource = true, false
		return
	}
	for _, r := range res {
		if variables {
			if t, ok := parseTemplate(r); ok {
				s.resources = append(s.resources, resPattern{tmpl: &t})
				p.templates = true
				continue
			}
		}
		if r == "*" && !s.notResource {
			s.anyResource = true
		}
		s.resources = append(s.resources, resPattern{glob: compileGlob(r)})
	}
}

// index adds statement i to the action index.
func (p *part) index(i int32, not bool, actions []string) {
	st := &p.stmts[i]
	if not {
		p.notAction = append(p.notAction, i)
		return
	}
	p.patterns += len(actions)
	for _, a := range actions {
		a = lowerASCIIString(a)
		svc, _, colon := strings.Cut(a, ":")
		switch {
		case !strings.ContainsAny(a, "*?"):
			ref := p.exact[a]
			if ref == nil {
				ref = &actionRef{pattern: a}
				p.exact[a] = ref
			}
			ref.add(i, st)
		case colon && !strings.ContainsAny(svc, "*?"):
			p.service[svc] = addRef(p.service[svc], a, i, st)
		default:
			p.other = addRef(p.other, a, i, st)
		}
	}
}

// addRef adds statement i under pattern a.
func addRef(refs []actionRef, a string, i int32, st *stmt) []actionRef {
	for j := range refs {
		if refs[j].pattern == a {
			refs[j].add(i, st)
			return refs
		}
	}
	refs = append(refs, actionRef{pattern: a, glob: compileGlob(a)})
	refs[len(refs)-1].add(i, st)
	return refs
}

func lowerASCIIString(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				b[j] = lowerASCII(b[j])
			}
			return string(b)
		}
	}
	return s
}
