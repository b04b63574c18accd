package iamapi

import (
	"context"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/eval"
	"github.com/iamq/iamq/internal/authz"
	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/server"
)

// This file glues the policy simulator (package iam's Simulate) to the
// authorizer's compiled sets: SimulatePrincipalPolicy evaluates exactly the
// policies that enforcement evaluates for the same principal.

// simulatedUser is SimulateCustomPolicy's principal when no CallerArn is
// given: a user of the caller's account, so that user-only condition keys
// (aws:username) have a value. AWS does not document its choice.
const simulatedUser = "iamq-simulated-user"

func simulateOps() []operation {
	return []operation{
		{"SimulatePrincipalPolicy", (*api).simulatePrincipalPolicy, sourceResource},
		{"SimulateCustomPolicy", (*api).simulateCustomPolicy, anyResource},
		{"GetContextKeysForPrincipalPolicy", (*api).contextKeysForPrincipal, sourceResource},
		{"GetContextKeysForCustomPolicy", (*api).contextKeysForCustom, anyResource},
	}
}

// sourceOf reads PolicySourceArn: the kind and name of a user, group or role
// of account; ok is false for anything else.
func sourceOf(account, src string) (kind, name string, ok bool) {
	a, ok := arn.Split(src)
	ok = ok && a.Partition == arn.PartitionAWS && a.Service == arn.ServiceIAM && a.Region == "" && a.Account == account
	r := arn.SplitIAMResource(a.Resource)
	kind, name = r.Type, r.Name
	if r.Path == "" {
		// No slash ("root"): the name is the whole resource, which names no
		// user, group or role, so sourceSet says simulation needs one.
		name = r.Type
	}
	return kind, name, ok && name != ""
}

// sourceResource is the resource of the operations that name a principal by
// PolicySourceArn: its ARN as stored (its name is found regardless of case),
// or the ARN as given when it names no user, group or role.
func sourceResource(ctx context.Context, a *api, c *server.Call) string {
	src := c.Form.Get("PolicySourceArn")
	kind, name, ok := sourceOf(c.Caller.Account, src)
	if !ok {
		return src
	}
	var k iam.Kind
	switch kind {
	case "user":
		k = iam.KindUser
	case "group":
		k = iam.KindGroup
	case "role":
		k = iam.KindRole
	default:
		return src
	}
	if arn, found := a.iam.EntityARN(ctx, c.Caller.Account, k, name); found {
		return arn
	}
	return src
}

// sourceSet is the compiled set and principal of PolicySourceArn: a user, a
// role (as a session of it) or a group of the caller's account.
func (a *api) sourceSet(ctx context.Context, c *server.Call, src string, dropBoundary bool) (*eval.Set, eval.Principal, error) {
	account := c.Caller.Account
	kind, name, ok := sourceOf(account, src)
	if !ok {
		return nil, eval.Principal{}, server.Errorf(codeInvalidInput, "Invalid ARN "+src+".")
	}
	az := a.authz
	switch kind {
	case "user":
		u, err := a.iam.GetUser(ctx, account, name)
		if err != nil {
			return nil, eval.Principal{}, err
		}
		p := &authz.Principal{Kind: eval.PrincipalUser, Account: account, ARN: arn.IAMString(account, arn.TypeUser, u.Path, u.Name), UserID: u.ID, Name: u.Name}
		return az.SimulationSet(ctx, p, dropBoundary)
	case "role":
		r, err := a.iam.GetRole(ctx, account, name)
		if err != nil {
			return nil, eval.Principal{}, err
		}
		p := &authz.Principal{Kind: eval.PrincipalRoleSession, Account: account, ARN: arn.IAMString(account, arn.TypeRole, r.Path, r.Name), UserID: r.ID,
			Name: r.Name, Session: &authz.Session{Name: "simulator"}}
		return az.SimulationSet(ctx, p, dropBoundary)
	case "group":
		set, err := az.GroupSet(ctx, account, name)
		return set, eval.Principal{Kind: eval.PrincipalUser, Account: account, ARN: sourceResource(ctx, a, c)}, err
	}
	return nil, eval.Principal{}, server.Errorf(codeInvalidInput, "Invalid ARN "+src+": simulation needs a user, group or role.")
}

func (a *api) simulatePrincipalPolicy(ctx context.Context, c *server.Call) (any, error) {
	f := c.Form
	src := f.String("PolicySourceArn")
	if err := f.Err(); err != nil {
		return nil, err
	}
	boundaries := f.List("PermissionsBoundaryPolicyInputList")
	set, principal, err := a.sourceSet(ctx, c, src, len(boundaries) > 0)
	if err != nil {
		return nil, err
	}
	return a.simulate(c, set, principal, boundaries)
}

func (a *api) simulateCustomPolicy(ctx context.Context, c *server.Call) (any, error) {
	if !c.Form.Has("PolicyInputList.member.1") {
		return nil, server.Errorf(server.CodeValidationError, "1 validation error detected: Value null at 'policyInputList' failed to satisfy constraint: Member must not be null")
	}
	account := c.Caller.Account
	principal := eval.Principal{Kind: eval.PrincipalUser, Account: account, ARN: arn.IAMString(account, arn.TypeUser, "/", simulatedUser)}
	return a.simulate(c, nil, principal, c.Form.List("PermissionsBoundaryPolicyInputList"))
}

// simulate merges the request's policy inputs into set and decides every
// action on every resource.
func (a *api) simulate(c *server.Call, set *eval.Set, principal eval.Principal, boundaries []string) (any, error) {
	f := c.Form
	inputs, err := iam.CompileInputs(f.List("PolicyInputList"), boundaries, f.Get("ResourcePolicy"))
	if err != nil {
		return nil, err
	}
	if set != nil {
		inputs = eval.Merge(set, inputs)
	}
	in := iam.SimulateInput{Set: inputs, Principal: principal, Actions: f.List("ActionNames"), Resources: f.List("ResourceArns"),
		ResourceHandlingOption: f.Get("ResourceHandlingOption"), List: listInput(f)}
	if caller := f.Get("CallerArn"); caller != "" {
		account, err := iam.AccountOfARN(caller)
		if err != nil {
			return nil, err
		}
		in.Principal = eval.Principal{Kind: eval.PrincipalUser, Account: account, ARN: caller, Tags: principal.Tags}
	}
	if owner := f.Get("ResourceOwner"); owner != "" {
		account, err := iam.AccountOfARN(owner)
		if err != nil {
			return nil, err
		}
		in.ResourceAccount = account
	}
	for _, m := range f.Members("ContextEntries") {
		in.Context = append(in.Context, iam.ContextEntry{Key: m.Get("ContextKeyName"), Type: m.Get("ContextKeyType"), Values: m.List("ContextKeyValues")})
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	page, err := iam.Simulate(in)
	if err != nil {
		return nil, err
	}
	out := simulateResult{IsTruncated: page.IsTruncated, Marker: page.Marker}
	for _, r := range page.Items {
		out.EvaluationResults.Member = append(out.EvaluationResults.Member, evaluationXML(r))
	}
	return out, nil
}

func (a *api) contextKeysForPrincipal(ctx context.Context, c *server.Call) (any, error) {
	src := c.Form.String("PolicySourceArn")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	set, _, err := a.sourceSet(ctx, c, src, false)
	if err != nil {
		return nil, err
	}
	inputs, err := iam.CompileInputs(c.Form.List("PolicyInputList"), nil, "")
	if err != nil {
		return nil, err
	}
	return contextKeysResult{list(iam.ContextKeys(set, inputs))}, nil
}

func (a *api) contextKeysForCustom(ctx context.Context, c *server.Call) (any, error) {
	if !c.Form.Has("PolicyInputList.member.1") {
		return nil, server.Errorf(server.CodeValidationError, "1 validation error detected: Value null at 'policyInputList' failed to satisfy constraint: Member must not be null")
	}
	inputs, err := iam.CompileInputs(c.Form.List("PolicyInputList"), nil, "")
	if err != nil {
		return nil, err
	}
	return contextKeysResult{list(iam.ContextKeys(inputs))}, nil
}

type contextKeysResult struct {
	ContextKeyNames members[string]
}

type simulateResult struct {
	EvaluationResults members[xmlEvaluation]
	IsTruncated       bool
	Marker            string `xml:",omitempty"`
}

type xmlPosition struct {
	Line   int
	Column int
}

type xmlStatement struct {
	SourcePolicyId   string
	SourcePolicyType string
	StartPosition    xmlPosition
	EndPosition      xmlPosition
}

type xmlEntry struct {
	Key   string `xml:"key"`
	Value string `xml:"value"`
}

type xmlBoundaryDetail struct {
	AllowedByPermissionsBoundary bool
}

type xmlResourceResult struct {
	EvalResourceName                  string
	EvalResourceDecision              string
	MatchedStatements                 members[xmlStatement]
	MissingContextValues              members[string]
	PermissionsBoundaryDecisionDetail *xmlBoundaryDetail `xml:",omitempty"`
}

type xmlEvaluation struct {
	EvalActionName       string
	EvalResourceName     string
	EvalDecision         string
	MatchedStatements    members[xmlStatement]
	MissingContextValues members[string]
	EvalDecisionDetails  *struct {
		Entry []xmlEntry `xml:"entry"`
	} `xml:",omitempty"`
	PermissionsBoundaryDecisionDetail *xmlBoundaryDetail `xml:",omitempty"`
	ResourceSpecificResults           members[xmlResourceResult]
}

func evaluationXML(r iam.EvaluationResult) xmlEvaluation {
	out := xmlEvaluation{EvalActionName: r.Action, EvalResourceName: r.Resource, EvalDecision: r.Decision.String(),
		MissingContextValues: list(r.Missing)}
	for _, m := range r.Matched {
		out.MatchedStatements.Member = append(out.MatchedStatements.Member, xmlStatement{SourcePolicyId: m.SourcePolicyID, SourcePolicyType: m.SourcePolicyType,
			StartPosition: xmlPosition{m.Start.Line, m.Start.Column}, EndPosition: xmlPosition{m.End.Line, m.End.Column}})
	}
	if r.Boundary != nil {
		out.PermissionsBoundaryDecisionDetail = &xmlBoundaryDetail{*r.Boundary}
	}
	if len(r.Details) > 0 {
		out.EvalDecisionDetails = &struct {
			Entry []xmlEntry `xml:"entry"`
		}{}
		for k, d := range r.Details {
			out.EvalDecisionDetails.Entry = append(out.EvalDecisionDetails.Entry, xmlEntry{k, d.String()})
		}
	}
	if r.Resource != "*" {
		out.ResourceSpecificResults.Member = []xmlResourceResult{{EvalResourceName: r.Resource, EvalResourceDecision: r.Decision.String(),
			MatchedStatements: out.MatchedStatements, MissingContextValues: out.MissingContextValues,
			PermissionsBoundaryDecisionDetail: out.PermissionsBoundaryDecisionDetail}}
	}
	return out
}
