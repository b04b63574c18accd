package authz

import (
	"errors"
	"fmt"

	"github.com/iamq/iamq/eval"
	"github.com/iamq/iamq/policy"
)

// ErrMalformedPolicy is returned by CheckSessionPolicy for a session policy
// that IAM's grammar refuses; the endpoint answers MalformedPolicyDocument.
var ErrMalformedPolicy = errors.New("authz: malformed policy")

// CompileTrust compiles a role's trust policy as the resource-based policy
// of sts:AssumeRole (and sts:TagSession, sts:SetSourceIdentity) on the role.
// A trust policy that no longer parses trusts no one.
func CompileTrust(roleARN, document string) (*eval.Set, error) {
	doc, err := policy.Parse(document)
	if err != nil {
		doc = &policy.Document{Version: policy.Version20121017}
	}
	return eval.Compile(eval.Policies{Resource: []eval.Policy{{ID: roleARN, Document: doc}}})
}

// CheckSessionPolicy checks a session policy (AssumeRole's Policy) by IAM's
// grammar and returns its size without white space, for the packed-size
// limit.
func CheckSessionPolicy(text string) (int, error) {
	d, err := policy.Parse(text)
	if err != nil {
		if f, ok := policy.ParseFinding(err, policy.KindSession); ok {
			return 0, fmt.Errorf("%w: %s", ErrMalformedPolicy, f.Message)
		}
		return 0, fmt.Errorf("%w: %s", ErrMalformedPolicy, policy.MsgSyntax)
	}
	for _, f := range d.Validate(policy.KindSession) {
		if f.Severity == policy.SeverityError {
			return 0, fmt.Errorf("%w: %s", ErrMalformedPolicy, f.Message)
		}
	}
	return policy.Size(text), nil
}

// trusted reports whether the trust policy (the set's resource-based
// policies) itself allowed an allowed request. eval lets an identity policy
// alone allow within an account, but AssumeRole needs the trust policy to
// name the caller or its account in every case (IAM User Guide, "Granting a
// user permissions to switch roles").
func trusted(set *eval.Set, req *eval.Request) bool {
	for _, m := range set.Explain(req).Statements {
		if m.Kind == policy.KindResource && m.Effect == policy.Allow {
			return true
		}
	}
	return false
}
