package authz

import (
	"github.com/iamq/iamq/eval"
	"github.com/iamq/iamq/policy"
)

// DeniedError refuses a request. Its message has AWS's form (IAM User Guide:
// "Troubleshoot access denied error messages"): "User: ARN is not authorized
// to perform: ACTION on resource: RESOURCE because no identity-based policy
// allows the ACTION action", or "… with an explicit deny in a permissions
// boundary", and so on.
type DeniedError struct {
	Message string
	// Action and Resource are the request refused, for the log line of
	// every denial.
	Action, Resource string
	Explanation      *eval.Explanation
}

// Error returns the message the client reads.
func (e *DeniedError) Error() string { return e.Message }

// Is reports whether target is ErrAccessDenied.
func (e *DeniedError) Is(target error) bool { return target == ErrAccessDenied }

// kindNames are the policy types as AWS names them in denials.
var kindNames = map[policy.Kind]string{
	policy.KindIdentity: "identity-based policy",
	policy.KindResource: "resource-based policy",
	policy.KindBoundary: "permissions boundary",
	policy.KindSession:  "session policy",
	policy.KindSCP:      "service control policy",
}

// denied builds the refusal of r for p from the explanation of the decision.
func denied(p *Principal, r *Request, x *eval.Explanation) *DeniedError {
	msg := "User: " + p.ARN + " is not authorized to perform: " + r.Action + " on resource: " + r.Resource
	switch {
	case x.Decision == eval.ExplicitDeny:
		kind := policy.KindIdentity
		if len(x.Statements) > 0 {
			kind = x.Statements[0].Kind
		}
		msg += " with an explicit deny in " + article(kindNames[kind])
	default:
		kind := policy.KindIdentity
		if len(x.Lacking) > 0 {
			kind = mostSpecific(x.Lacking)
		}
		msg += " because no " + kindNames[kind] + " allows the " + r.Action + " action"
	}
	return &DeniedError{Message: msg, Action: r.Action, Resource: r.Resource, Explanation: x}
}

// mostSpecific picks which missing allow to name when several kinds lacked
// one. AWS names the policy type that denied; when the identity policies do
// allow, the boundary or session policy is the reason.
func mostSpecific(kinds []policy.Kind) policy.Kind {
	for _, want := range []policy.Kind{policy.KindSCP, policy.KindIdentity, policy.KindBoundary, policy.KindSession, policy.KindResource} {
		for _, k := range kinds {
			if k == want {
				return k
			}
		}
	}
	return kinds[0]
}

func article(s string) string {
	if s == "identity-based policy" {
		return "an " + s
	}
	return "a " + s
}
