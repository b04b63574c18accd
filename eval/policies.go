package eval

import "github.com/iamq/iamq/policy"

// Policy is one policy document with the names an explanation uses for it.
type Policy struct {
	// ID names the policy: its ARN, or "user/alice/inline-name" for an
	// inline policy. The explanation reports it.
	ID string
	// Version is the policy version in force ("v3"); empty for inline
	// policies.
	Version  string
	Document *policy.Document
}

// Policies are the policies that apply to a request, by kind. IAM User Guide:
// "Policy evaluation logic". A kind with no policies does not take part; a
// permissions boundary, session policies or SCPs that are present must allow
// (a present policy with no statements denies everything).
type Policies struct {
	// Identity holds the principal's identity-based policies: inline and
	// managed, of the user and the user's groups, or of the role.
	Identity []Policy
	// Resource holds the resource-based policy of the resource, or the role's
	// trust policy when evaluating sts:AssumeRole. Its statements apply only
	// to the principals they name (Principal, NotPrincipal).
	Resource []Policy
	// Boundary holds the permissions boundary of the user or role.
	Boundary []Policy
	// Session holds the session policies passed when the session was made.
	Session []Policy
	// SCP holds the service control policies that apply to the principal's
	// account. They are taken as one set: an Allow in any of them suffices.
	SCP []Policy
}

// kind is a policy kind as an index.
type kind uint8

const (
	kIdentity kind = iota
	kResource
	kBoundary
	kSession
	kSCP
	numKinds
)

var kindNames = [numKinds]policy.Kind{policy.KindIdentity, policy.KindResource, policy.KindBoundary, policy.KindSession, policy.KindSCP}

func (ps *Policies) byKind() [numKinds][]Policy {
	return [numKinds][]Policy{ps.Identity, ps.Resource, ps.Boundary, ps.Session, ps.SCP}
}
