package iam

import (
	"sort"
	"strconv"
	"strings"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/eval"
	"github.com/iamq/iamq/policy"
)

// This file is the policy simulator (IAM API Reference:
// SimulatePrincipalPolicy, SimulateCustomPolicy,
// GetContextKeysForPrincipalPolicy, GetContextKeysForCustomPolicy). It decides
// with package eval over the same compiled sets that enforcement uses, so a
// simulation and the real call agree.

// ContextEntry is one ContextEntries member: a key, the simulator's type name
// (string, stringList, numeric, …, binaryList) and its values.
type ContextEntry struct {
	Key    string
	Type   string
	Values []string
}

// SimulateInput is what both Simulate operations share, once the policies
// are compiled.
type SimulateInput struct {
	// Set holds the principal's policies (or the custom inputs) and, merged
	// in, the resource policy; Principal is who asks.
	Set       *eval.Set
	Principal eval.Principal
	Actions   []string
	// Resources default to "*".
	Resources []string
	// ResourceAccount owns the resources (from ResourceOwner); "" is the
	// principal's account.
	ResourceAccount string
	Context         []ContextEntry
	// ResourceHandlingOption names an EC2 scenario; it is checked and
	// otherwise has no effect: iamq's resources are not EC2's.
	ResourceHandlingOption string
	List                   ListInput
}

// Statement is a MatchedStatements member: the policy and where in its text
// the statement is.
type Statement struct {
	SourcePolicyID   string
	SourcePolicyType string // user, group, role, aws-managed, user-managed, resource, none
	Start, End       policy.Position
}

// EvaluationResult is one action on one resource, decided.
type EvaluationResult struct {
	Action, Resource string
	Decision         eval.Decision
	Matched          []Statement
	Missing          []string // MissingContextValues
	// Boundary is set when a permissions boundary took part: whether it
	// allowed (PermissionsBoundaryDecisionDetail).
	Boundary *bool
	// Details are EvalDecisionDetails: the decision of the identity side and
	// of the resource policy, when one took part.
	Details map[string]eval.Decision
}

// The ResourceHandlingOption scenarios (IAM API Reference,
// SimulateCustomPolicy).
var resourceScenarios = []string{"EC2-VPC-InstanceStore", "EC2-VPC-InstanceStore-Subnet", "EC2-VPC-EBS", "EC2-VPC-EBS-Subnet"}

// Simulate decides every action on every resource, in that order (each
// action with each resource), and returns the page in.List asks for.
func Simulate(in SimulateInput) (Page[EvaluationResult], error) {
	v := &Validation{}
	in.List.Check(v)
	if err := v.Err(); err != nil {
		return Page[EvaluationResult]{}, err
	}
	if len(in.Actions) == 0 {
		return Page[EvaluationResult]{}, refuse(ErrValidation, "1 validation error detected: Value null at 'actionNames' failed to satisfy constraint: Member must not be null")
	}
	if in.ResourceHandlingOption != "" && !contains(resourceScenarios, in.ResourceHandlingOption) {
		return Page[EvaluationResult]{}, refuse(ErrInvalidInput, "Invalid ResourceHandlingOption %s.", in.ResourceHandlingOption)
	}
	ctx := &eval.Context{}
	for _, e := range in.Context {
		vals := make([]eval.Value, 0, len(e.Values))
		for _, text := range e.Values {
			val, err := eval.ParseValue(strings.TrimSuffix(strings.ToLower(e.Type), "list"), text)
			if err != nil {
				return Page[EvaluationResult]{}, refuse(ErrInvalidInput, "Invalid value %s for context key %s of type %s.", text, e.Key, e.Type)
			}
			vals = append(vals, val)
		}
		ctx.Add(e.Key, vals...)
	}
	resources := in.Resources
	if len(resources) == 0 {
		resources = []string{"*"}
	}
	total := len(in.Actions) * len(resources)
	start := 0
	if in.List.Marker != "" {
		n, err := strconv.Atoi(in.List.Marker)
		if err != nil || n < 0 || n >= total {
			return Page[EvaluationResult]{}, refuse(ErrInvalidInput, "Invalid Marker.")
		}
		start = n
	}
	size := in.List.MaxItems
	if size == 0 {
		size = 100
	}
	var page Page[EvaluationResult]
	for i := start; i < total && len(page.Items) < size; i++ {
		page.Items = append(page.Items, decide(&in, ctx, in.Actions[i/len(resources)], resources[i%len(resources)]))
	}
	if next := start + len(page.Items); next < total {
		page.IsTruncated, page.Marker = true, strconv.Itoa(next)
	}
	return page, nil
}

// decide is one action on one resource.
func decide(in *SimulateInput, ctx *eval.Context, action, resource string) EvaluationResult {
	req := eval.Request{Principal: in.Principal, Action: action, Resource: resource, ResourceAccount: in.ResourceAccount, Context: ctx}
	x := in.Set.Explain(&req)
	r := EvaluationResult{Action: action, Resource: resource, Decision: x.Decision, Missing: x.MissingContextKeys}
	for _, m := range x.Statements {
		r.Matched = append(r.Matched, Statement{SourcePolicyID: sourceID(m), SourcePolicyType: sourceType(m), Start: m.Start, End: m.End})
	}
	for _, k := range x.Kinds {
		switch k.Kind {
		case policy.KindBoundary:
			allowed := k.Allowed && !k.Denied
			r.Boundary = &allowed
		case policy.KindResource:
			d := eval.ImplicitDeny
			if k.Denied {
				d = eval.ExplicitDeny
			} else if k.Allowed {
				d = eval.Allowed
			}
			r.Details = map[string]eval.Decision{"Resource Policy": d}
		}
	}
	return r
}

// sourceID names a statement's policy as the simulator does: an inline
// policy by its name, a managed policy by its ARN, an input by its place
// ("PolicyInputList.1").
func sourceID(m eval.Match) string {
	if strings.HasPrefix(m.PolicyID, arn.Prefix) {
		return m.PolicyID
	}
	if i := strings.LastIndexByte(m.PolicyID, '/'); i >= 0 {
		return m.PolicyID[i+1:]
	}
	return m.PolicyID
}

// sourceType is a statement's SourcePolicyType.
func sourceType(m eval.Match) string {
	switch {
	case m.Kind == policy.KindResource:
		return "resource"
	case arn.IsAWSManaged(m.PolicyID):
		return "aws-managed"
	case strings.HasPrefix(m.PolicyID, arn.Prefix):
		return "user-managed"
	case strings.HasPrefix(m.PolicyID, "user/"):
		return "user"
	case strings.HasPrefix(m.PolicyID, "group/"):
		return "group"
	case strings.HasPrefix(m.PolicyID, "role/"):
		return "role"
	}
	return "none"
}

// CompileInputs checks and compiles the simulator's policy inputs
// (PolicyInputList, PermissionsBoundaryPolicyInputList, ResourcePolicy), each
// named by its place in the request as the simulator reports it. An invalid
// document is MalformedPolicyDocument.
func CompileInputs(identity, boundary []string, resource string) (*eval.Set, error) {
	var ps eval.Policies
	for i, text := range identity {
		p, err := input(text, policy.KindIdentity, "PolicyInputList."+strconv.Itoa(i+1))
		if err != nil {
			return nil, err
		}
		ps.Identity = append(ps.Identity, p)
	}
	for i, text := range boundary {
		p, err := input(text, policy.KindBoundary, "PermissionsBoundaryPolicyInputList."+strconv.Itoa(i+1))
		if err != nil {
			return nil, err
		}
		ps.Boundary = append(ps.Boundary, p)
	}
	if resource != "" {
		p, err := input(resource, policy.KindResource, "ResourcePolicy")
		if err != nil {
			return nil, err
		}
		ps.Resource = append(ps.Resource, p)
	}
	return eval.Compile(ps)
}

func input(text string, kind policy.Kind, id string) (eval.Policy, error) {
	if err := CheckDocument(text, kind); err != nil {
		return eval.Policy{}, err
	}
	doc, err := policy.Parse(text)
	if err != nil {
		return eval.Policy{}, refuse(ErrMalformedPolicy, "%s", policy.MsgSyntax)
	}
	return eval.Policy{ID: id, Document: doc}, nil
}

// ContextKeys is GetContextKeysFor…Policy's answer: the keys the sets use,
// sorted and without duplicates (case-insensitively).
func ContextKeys(sets ...*eval.Set) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range sets {
		if s == nil {
			continue
		}
		for _, k := range s.ContextKeys() {
			if l := strings.ToLower(k); !seen[l] {
				seen[l] = true
				out = append(out, k)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return strings.ToLower(out[i]) < strings.ToLower(out[j]) })
	return out
}

// AccountOfARN is the account field of an ARN (ResourceOwner, CallerArn).
func AccountOfARN(s string) (string, error) {
	a, ok := arn.Split(s)
	if !ok {
		return "", refuse(ErrInvalidInput, "ARN %s is not valid.", s)
	}
	return a.Account, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
