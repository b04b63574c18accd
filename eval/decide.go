package eval

// decide turns what the statements established into a decision, once no
// explicit deny applied. It returns the kinds that lacked an allow. IAM User
// Guide: "Policy evaluation logic" — "How AWS enforcement code logic evaluates
// requests to allow or deny access" (within an account) and "Cross-account
// policy evaluation logic".
func (s *Set) decide(r *Request, t *tally) (Decision, kindSet) {
	var lacking kindSet
	lack := func(k kind) { lacking |= 1 << k }
	p := &r.Principal
	if p.Kind == PrincipalService || p.Kind == PrincipalWebIdentity {
		// Service principals and identity providers have no identity
		// policies, boundary, session or SCPs: only a resource-based policy
		// (or trust policy) can allow them.
		if t.grant != grantNone {
			return Allowed, 0
		}
		return ImplicitDeny, 1 << kResource
	}
	// SCPs: an SCP that applies must allow, whatever else does, root user
	// included.
	if s.present[kSCP] && !t.allow[kSCP] {
		lack(kSCP)
	}
	boundaryOK := !s.present[kBoundary] || t.allow[kBoundary]
	sessionOK := !s.present[kSession] || t.allow[kSession]
	// The identity side: the root user has every permission in its own
	// account; any other principal needs an identity-based Allow within its
	// boundary and session policies.
	identity := p.Kind == PrincipalRoot || (t.allow[kIdentity] && boundaryOK && sessionOK)
	var ok bool
	if r.crossAccount() {
		// Across accounts both sides must allow: the principal's account
		// (identity side) and the resource's (its resource-based policy,
		// naming the principal or its account).
		ok = identity && t.grant != grantNone
		if t.grant == grantNone {
			lack(kResource)
		}
	} else {
		switch t.grant {
		case grantDirect:
			// A resource-based policy that names the user, the role session
			// or the federated user session (or "*") allows by itself: an
			// implicit deny in identity policies, boundary or session
			// policies does not limit it.
			ok = true
		case grantIdentity:
			// Named through the role (or the IAM user behind a federated
			// session): the boundary and session policies still limit it.
			ok = identity || (boundaryOK && sessionOK)
		default:
			ok = identity
		}
	}
	if !ok && p.Kind != PrincipalRoot {
		lacking |= identityLacking(r, t, boundaryOK, sessionOK)
	}
	if ok && lacking == 0 {
		return Allowed, 0
	}
	return ImplicitDeny, lacking
}

// identityLacking returns the kinds of the principal's side that did not
// allow.
func identityLacking(r *Request, t *tally, boundaryOK, sessionOK bool) kindSet {
	var ks kindSet
	if !t.allow[kIdentity] && (r.crossAccount() || t.grant < grantIdentity) {
		ks |= 1 << kIdentity
	}
	if !boundaryOK {
		ks |= 1 << kBoundary
	}
	if !sessionOK {
		ks |= 1 << kSession
	}
	return ks
}

// kindSet is a set of policy kinds, one bit each.
type kindSet uint8

func (ks kindSet) has(k kind) bool { return ks&(1<<k) != 0 }
