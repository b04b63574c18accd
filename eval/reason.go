package eval

// Reason names the statements that allowed a request: for each kind of
// policy that allowed it, one Allow statement that did (for a resource-based
// policy, one that names the principal in the strongest way). It is what a
// decision log keeps of an allowed call. EvaluateReason fills it during the
// decision itself, without allocating and without a second pass over the
// statements (Explain's), which is why it names one statement per kind
// rather than every statement that applies. The zero value names none.
type Reason struct {
	by [numKinds]stmtRef
}

// stmtRef is one statement of a compiled part; p is nil for none.
type stmtRef struct {
	p *part
	i int32
}

// EvaluateReason decides r as Evaluate does and returns the same decision.
// When it is Allowed, why names the statements that allowed it; otherwise
// why names none (Explain says why a request is denied). It allocates only
// when Evaluate would.
func (s *Set) EvaluateReason(r *Request, why *Reason) Decision {
	*why = Reason{}
	if s == nil {
		return s.Evaluate(r)
	}
	var buf [64]byte
	act, h := lowerInto(buf[:0], r.Action)
	var d Decision
	if s.templates {
		var sc scratch
		d = s.evaluate(r, act, h, &sc, why)
	} else {
		d = s.evaluate(r, act, h, nil, why)
	}
	if d != Allowed {
		*why = Reason{}
	}
	return d
}

// Len is how many statements why names.
func (w *Reason) Len() int {
	n := 0
	for _, ref := range w.by {
		if ref.p != nil {
			n++
		}
	}
	return n
}

// Statements appends the statements why names to dst, in the order of
// policy kinds (identity, resource, boundary, session, SCP), and returns
// the extended slice.
func (w *Reason) Statements(dst []Match) []Match {
	for _, ref := range w.by {
		if ref.p != nil {
			dst = append(dst, ref.p.match(&ref.p.stmts[ref.i]))
		}
	}
	return dst
}

// allowed notes statement i of p as the one that allowed for its kind (try
// calls it for the first Allow of a kind, and for a resource-based one that
// names the principal more strongly than the one before).
func (w *Reason) allowed(p *part, i int32) {
	w.by[p.stmts[i].kind] = stmtRef{p: p, i: i}
}
