package policy

import "slices"

// Equal reports whether a and b are the same document in canonical form:
// the same elements and values, with conditions compared in sorted order.
// It ignores what canonical form does not keep: Text, positions, statement
// indexes, and findings Parse noted about the text. A list present but empty
// differs from an absent one (IAM reads "Action": [] as no action, yet the
// document says something different); a condition's values do not, because
// a Condition cannot be absent.
func Equal(a, b *Document) bool {
	if a == nil || b == nil {
		return a == b
	}
	if a.Version != b.Version || a.ID != b.ID || (a.Statements == nil) != (b.Statements == nil) {
		return false
	}
	return slices.EqualFunc(a.Statements, b.Statements, equalStatement)
}

func equalStatement(a, b Statement) bool {
	return a.Sid == b.Sid && a.Effect == b.Effect &&
		equalPrincipal(a.Principal, b.Principal) && equalPrincipal(a.NotPrincipal, b.NotPrincipal) &&
		equalList(a.Action, b.Action) && equalList(a.NotAction, b.NotAction) &&
		equalList(a.Resource, b.Resource) && equalList(a.NotResource, b.NotResource) &&
		equalConditions(a.Conditions, b.Conditions)
}

// equalConditions compares condition lists in canonical order.
func equalConditions(a, b []Condition) bool {
	if len(a) != len(b) {
		return false
	}
	var bufA, bufB [16]int
	oa, ob := conditionOrder(a, bufA[:]), conditionOrder(b, bufB[:])
	for i := range oa {
		if !equalCondition(a[oa[i]], b[ob[i]]) {
			return false
		}
	}
	return true
}

func equalPrincipal(a, b *Principal) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Wildcard == b.Wildcard && equalList(a.AWS, b.AWS) && equalList(a.CanonicalUser, b.CanonicalUser) &&
		equalList(a.Federated, b.Federated) && equalList(a.Service, b.Service)
}

// equalList compares lists, telling nil (absent) from empty.
func equalList(a, b []string) bool {
	return (a == nil) == (b == nil) && slices.Equal(a, b)
}

func equalCondition(a, b Condition) bool {
	return a.Operator == b.Operator && a.Key == b.Key && slices.Equal(a.Values, b.Values)
}
