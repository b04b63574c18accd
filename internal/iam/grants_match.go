package iam

import (
	"strings"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/policy"
)

// serviceActions is what the catalog knows of one service: how many
// actions it has, and which action names a pattern (the part after
// "prefix:") matches.
type serviceActions struct {
	count  int
	expand func(pattern string) []string
}

// grantsService reports whether document d allows some action of service
// namespace ns: an Allow statement whose Action matches one, or whose
// NotAction leaves one out. svc is the catalog's service, nil when the
// catalog does not know ns: then any pattern whose prefix matches ns is
// taken to match an action of it.
func grantsService(d *policy.Document, ns string, svc *serviceActions) bool {
	for _, st := range d.Statements {
		if st.Effect != policy.Allow {
			continue
		}
		if len(st.Action) > 0 && actionsReach(st.Action, ns, svc) {
			return true
		}
		if len(st.NotAction) > 0 && !notActionsCover(st.NotAction, ns, svc) {
			return true
		}
	}
	return false
}

// actionsReach reports whether some pattern matches an action of ns.
func actionsReach(patterns []string, ns string, svc *serviceActions) bool {
	for _, p := range patterns {
		prefix, act, ok := strings.Cut(p, ":")
		if !ok {
			if p == "*" {
				return true
			}
			continue
		}
		if globFold(prefix, ns) && (svc == nil || len(svc.expand(act)) > 0) {
			return true
		}
	}
	return false
}

// notActionsCover reports whether the patterns match every action of ns,
// so that a NotAction of them allows none of its actions.
func notActionsCover(patterns []string, ns string, svc *serviceActions) bool {
	covered := map[string]bool{}
	for _, p := range patterns {
		prefix, act, ok := strings.Cut(p, ":")
		if p == "*" || ok && globFold(prefix, ns) && act == "*" {
			return true
		}
		if !ok || !globFold(prefix, ns) || svc == nil {
			continue
		}
		for _, name := range svc.expand(act) {
			covered[strings.ToLower(name)] = true
		}
	}
	return svc != nil && svc.count > 0 && len(covered) >= svc.count
}

// globFold matches s against pattern, where '*' matches any run of
// characters and '?' one, ignoring ASCII case (IAM's action wildcards,
// "IAM JSON policy elements: Action"): arn's glob on lower-cased strings.
func globFold(pattern, s string) bool {
	return arn.MatchSegment(strings.ToLower(pattern), strings.ToLower(s))
}
