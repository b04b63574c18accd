package eval

import (
	"sort"
	"strings"

	"github.com/iamq/iamq/policy"
)

// Explanation says why a request got its decision. Explain builds it; it
// allocates, unlike Evaluate, and is meant for simulators, logs and error
// messages.
type Explanation struct {
	Decision Decision
	// Statements are the statements that decided: the Deny statements that
	// apply for ExplicitDeny, else the Allow statements that apply, in
	// policy order.
	Statements []Match
	// Lacking lists the policy kinds that did not allow although they had to
	// (for ImplicitDeny): "identity", "resource", "boundary", "session",
	// "scp".
	Lacking []policy.Kind
	// Kinds tells, for each kind of policy present, whether it allowed and
	// whether it denied: the boundary's part in the decision, for example.
	Kinds []KindDetail
	// MissingContextKeys are the condition keys of statements whose action
	// and resource matched but that the request did not carry, sorted and
	// without duplicates (case-insensitively).
	MissingContextKeys []string
	// Diagnostics report the statements that cannot be evaluated as
	// written; they never allow.
	Diagnostics []Diagnostic
}

// Match is one statement that applies to a request.
type Match struct {
	Kind          policy.Kind
	PolicyID      string
	PolicyVersion string
	Sid           string
	// Index is the statement's place in the policy's Statement list, from 0.
	Index  int
	Effect policy.Effect
	// Start and End delimit the statement's object in the document text
	// (End is just past its closing brace).
	Start, End policy.Position
}

// KindDetail is what one kind of policy said about a request.
type KindDetail struct {
	Kind    policy.Kind
	Allowed bool
	Denied  bool
}

// Diagnostic reports a statement (or a condition of one) that cannot be
// evaluated as written.
type Diagnostic struct {
	Kind          policy.Kind
	PolicyID      string
	PolicyVersion string
	Sid           string
	Index         int
	Pos           policy.Position
	Message       string
}

// Explain decides r as Evaluate does and says why. Its Decision always equals
// Evaluate's.
func (s *Set) Explain(r *Request) *Explanation {
	if s == nil {
		s = &Set{}
	}
	act := lowerASCIIString(r.Action)
	t := tally{boundary: s.present[kBoundary]}
	var sc scratch
	var denies, allows []Match
	var missing []string
	var kinds [numKinds]KindDetail
	for _, p := range s.parts {
		for i := range p.stmts {
			st := &p.stmts[i]
			if !st.matchAction(act) == !st.notAction {
				continue
			}
			g, ok := st.applies(r, &sc, t.boundary, &missing)
			if !ok || (!st.deny && st.broken) {
				continue
			}
			m := p.match(st)
			if st.deny {
				denies = append(denies, m)
				kinds[st.kind].Denied = true
				continue
			}
			allows = append(allows, m)
			kinds[st.kind].Allowed = true
			t.allow[st.kind] = true
			if st.kind == kResource {
				t.grant = max(t.grant, g)
			}
		}
	}
	e := &Explanation{MissingContextKeys: dedupFold(missing)}
	for _, p := range s.parts {
		e.Diagnostics = append(e.Diagnostics, p.diags...)
	}
	for k := range kinds {
		if s.present[k] || kinds[k].Allowed || kinds[k].Denied || (kind(k) == kIdentity && r.Principal.Kind != PrincipalService && r.Principal.Kind != PrincipalWebIdentity) {
			kinds[k].Kind = kindNames[k]
			e.Kinds = append(e.Kinds, kinds[k])
		}
	}
	if len(denies) > 0 {
		e.Decision, e.Statements = ExplicitDeny, denies
		return e
	}
	d, lacking := s.decide(r, &t)
	e.Decision, e.Statements = d, allows
	for k := kind(0); k < numKinds; k++ {
		if lacking.has(k) {
			e.Lacking = append(e.Lacking, kindNames[k])
		}
	}
	return e
}

func (p *part) match(st *stmt) Match {
	pol := &p.policies[st.kind][st.policy]
	return Match{Kind: kindNames[st.kind], PolicyID: pol.ID, PolicyVersion: pol.Version, Sid: st.src.Sid,
		Index: st.src.Index, Effect: st.src.Effect, Start: st.src.Pos, End: endOf(pol.Document.Text, st.src.Pos)}
}

// endOf returns the position just past the JSON value that starts at start,
// or start itself when the text does not hold one there (a document built in
// Go rather than parsed).
func endOf(text string, start policy.Position) policy.Position {
	i := start.Offset
	if i < 0 || i >= len(text) || (text[i] != '{' && text[i] != '[') {
		return start
	}
	depth, inStr := 0, false
	end := -1
	for ; i < len(text) && end < 0; i++ {
		c := text[i]
		switch {
		case inStr && c == '\\':
			i++
		case c == '"':
			inStr = !inStr
		case inStr:
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			depth--
			if depth == 0 {
				end = i + 1
			}
		}
	}
	if end < 0 {
		return start
	}
	pos := start
	for j := start.Offset; j < end; j++ {
		if text[j] == '\n' {
			pos.Line++
			pos.Column = 1
		} else {
			pos.Column++
		}
	}
	pos.Offset = end
	return pos
}

func dedupFold(keys []string) []string {
	if len(keys) == 0 {
		return nil
	}
	sort.Slice(keys, func(i, j int) bool { return strings.ToLower(keys[i]) < strings.ToLower(keys[j]) })
	out := keys[:1]
	for _, k := range keys[1:] {
		if !equalFoldASCII(k, out[len(out)-1]) {
			out = append(out, k)
		}
	}
	return out
}

// ContextKeys returns the condition keys the set's policies use, in
// conditions and in policy variables, sorted and without duplicates
// (case-insensitively): what GetContextKeysForPrincipalPolicy reports.
func (s *Set) ContextKeys() []string {
	var keys []string
	for _, p := range s.parts {
		for i := range p.stmts {
			st := &p.stmts[i]
			for j := range st.conds {
				c := &st.conds[j]
				keys = append(keys, c.key.name)
				for k := range c.vals {
					if c.vals[k].tmpl != nil {
						keys = append(keys, c.vals[k].tmpl.keys()...)
					}
				}
			}
			for j := range st.resources {
				if t := st.resources[j].tmpl; t != nil {
					keys = append(keys, t.keys()...)
				}
			}
		}
	}
	return dedupFold(keys)
}
