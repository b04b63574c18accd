package eval

import (
	"strings"

	"github.com/iamq/iamq/policy"
)

// refGrant: how a resource-based policy names the principal. 0 none,
// 1 its account, 2 the role or user behind the session, 3 the principal
// itself or everyone.
type refGrant int

// refNames lists how principal p can be named, strongest first.
func refNames(p Principal) map[string]refGrant {
	names := map[string]refGrant{}
	switch p.Kind {
	case PrincipalService:
		names["service:"+refLower(p.ARN)] = 3
	case PrincipalWebIdentity:
		names["federated:"+p.ARN] = 3
	case PrincipalRoot:
		if p.Account != "" {
			names["account:"+p.Account] = 3
		}
	default:
		if p.Account != "" {
			names["account:"+p.Account] = 1
		}
		if p.IdentityARN != "" {
			names["aws:"+p.IdentityARN] = 2
		}
		if p.ARN != "" {
			names["aws:"+p.ARN] = 3
		}
	}
	return names
}

// refListed lists the names a Principal element holds, and whether it holds
// everyone.
func refListed(e *policy.Principal) (map[string]bool, bool) {
	out := map[string]bool{}
	all := e.Wildcard
	for _, a := range e.AWS {
		parts := strings.Split(a, ":")
		digits := len(a) == 12 && strings.Trim(a, "0123456789") == ""
		switch {
		case a == "*":
			all = true
		case digits:
			out["account:"+a] = true
		case len(parts) == 6 && parts[0] == "arn" && parts[2] == "iam" && parts[3] == "" && parts[5] == "root" &&
			len(parts[4]) == 12 && strings.Trim(parts[4], "0123456789") == "":
			out["account:"+parts[4]] = true
		default:
			out["aws:"+a] = true
		}
	}
	for _, s := range e.Service {
		out["service:"+refLower(s)] = true
	}
	for _, f := range e.Federated {
		out["federated:"+f] = true
	}
	return out, all
}

// refPrincipal returns the grant of a statement's Principal or NotPrincipal
// for p (3 for statements of policies that name no principal).
func refPrincipal(st *policy.Statement, p Principal, boundary bool) refGrant {
	names := refNames(p)
	if st.Principal != nil {
		listed, all := refListed(st.Principal)
		if all {
			return 3
		}
		best := refGrant(0)
		for n, g := range names {
			if listed[n] && g > best {
				best = g
			}
		}
		return best
	}
	if boundary {
		return 3 // a NotPrincipal Deny always denies a principal with a boundary
	}
	listed, all := refListed(st.NotPrincipal)
	if all {
		return 0
	}
	for n := range names {
		if !listed[n] {
			return 3
		}
	}
	return 0
}

// refStatement evaluates one statement: whether it applies, how it names the
// principal, and whether it is broken (can only deny).
func refStatement(k kind, doc *policy.Document, st *policy.Statement, r *Request, ctx refContext, boundary bool) (applies bool, g refGrant) {
	if st.Effect != policy.Allow && st.Effect != policy.Deny {
		return false, 0
	}
	if st.Action == nil && st.NotAction == nil {
		return false, 0
	}
	if k == kResource && st.Principal == nil && st.NotPrincipal == nil {
		return false, 0
	}
	variables := doc.Version == policy.Version20121017
	broken := k != kResource && (st.Principal != nil || st.NotPrincipal != nil) || st.NotPrincipal != nil && st.Effect == policy.Allow
	for _, c := range st.Conditions {
		broken = broken || refCondBroken(c, variables)
	}
	if broken && st.Effect == policy.Allow {
		return false, 0
	}
	// Action.
	act := refLower(r.Action)
	list, not := st.Action, false
	if list == nil {
		list, not = st.NotAction, true
	}
	hit := false
	for _, a := range list {
		hit = hit || refGlob(refPattern(refLower(a), true), act)
	}
	if hit == not {
		return false, 0
	}
	if !refResource(st, r, ctx, variables) {
		return false, 0
	}
	// Principal.
	g = 3
	if k == kResource {
		if g = refPrincipal(st, r.Principal, boundary); g == 0 {
			return false, 0
		}
	}
	if broken {
		return true, g
	}
	for _, c := range st.Conditions {
		if !refCondition(c, ctx, variables) {
			return false, 0
		}
	}
	return true, g
}

// refResource matches the Resource or NotResource element (absent: any
// resource). A variable without a value makes its Resource entry match
// nothing, and a NotResource element not match at all.
func refResource(st *policy.Statement, r *Request, ctx refContext, variables bool) bool {
	if st.Resource == nil && st.NotResource == nil {
		return true
	}
	res, notRes := st.Resource, false
	if res == nil {
		res, notRes = st.NotResource, true
	}
	hit, unresolved := false, false
	for _, x := range res {
		pat := refPattern(x, true)
		if variables && refHasVariable(x) {
			p, ok := refSubstitute(x, ctx, true)
			if !ok {
				unresolved = true
				continue
			}
			pat = p
		}
		hit = hit || refGlob(pat, r.Resource)
	}
	if notRes {
		return !hit && !unresolved
	}
	return hit
}

// referenceDecide decides r against ps the plain way.
func referenceDecide(ps Policies, r *Request) Decision {
	ctx := refBuildContext(r)
	var allow [numKinds]bool
	var best refGrant
	for k, list := range ps.byKind() {
		for _, pol := range list {
			for i := range pol.Document.Statements {
				st := &pol.Document.Statements[i]
				ok, g := refStatement(kind(k), pol.Document, st, r, ctx, len(ps.Boundary) > 0)
				if !ok {
					continue
				}
				if st.Effect == policy.Deny {
					return ExplicitDeny // an explicit deny in any policy wins
				}
				allow[k] = true
				if kind(k) == kResource && g > best {
					best = g
				}
			}
		}
	}
	p := r.Principal
	if p.Kind == PrincipalService || p.Kind == PrincipalWebIdentity {
		if best > 0 {
			return Allowed
		}
		return ImplicitDeny
	}
	if len(ps.SCP) > 0 && !allow[kSCP] {
		return ImplicitDeny
	}
	limits := (len(ps.Boundary) == 0 || allow[kBoundary]) && (len(ps.Session) == 0 || allow[kSession])
	identityAllows := p.Kind == PrincipalRoot || allow[kIdentity] && limits
	if r.ResourceAccount != "" && r.ResourceAccount != p.Account {
		if identityAllows && best > 0 {
			return Allowed
		}
		return ImplicitDeny
	}
	if best == 3 || best == 2 && limits || identityAllows {
		return Allowed
	}
	return ImplicitDeny
}
