package analyzerapi

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/iamq/iamq/internal/analysis"
	"github.com/iamq/iamq/internal/server"
	"github.com/iamq/iamq/policy"
)

// checkOutput is the answer of the three custom checks.
type checkOutput struct {
	Result  string          `json:"result"`
	Message string          `json:"message"`
	Reasons []reasonSummary `json:"reasons"`
}

type reasonSummary struct {
	Description    string `json:"description"`
	StatementIndex *int   `json:"statementIndex,omitempty"`
	StatementID    string `json:"statementId,omitempty"`
}

func outputOf(o analysis.Outcome) checkOutput {
	out := checkOutput{Result: string(o.Result), Message: o.Message, Reasons: []reasonSummary{}}
	for _, r := range o.Reasons {
		rs := reasonSummary{Description: r.Description, StatementID: r.Sid}
		if r.Index >= 0 {
			i := r.Index
			rs.StatementIndex = &i
		}
		out.Reasons = append(out.Reasons, rs)
	}
	return out
}

// Bounds of CheckAccessNotGranted's access list (iamq's: the model gives
// none).
const (
	maxAccessEntries = 10
	maxAccessItems   = 100
)

// accessCheckPolicyType reads the custom checks' policyType: IDENTITY_POLICY
// or RESOURCE_POLICY.
func accessCheckPolicyType(s string) (analysis.PolicyType, error) {
	switch t := analysis.PolicyType(s); t {
	case analysis.IdentityPolicy, analysis.ResourcePolicy:
		return t, nil
	}
	return "", validationError("policyType", "must be IDENTITY_POLICY or RESOURCE_POLICY")
}

// parse reads a policy document the check compares; one it cannot read is
// an InvalidParameterException that says where.
func parse(field string, text *string) (*policy.Document, error) {
	s, err := document(field, text)
	if err != nil {
		return nil, err
	}
	d, err := policy.Parse(s)
	if err != nil {
		var pe *policy.ParseError
		if errors.As(err, &pe) {
			return nil, invalidParameter("The " + field + " is not a valid policy document: line " +
				strconv.Itoa(pe.Pos.Line) + ", column " + strconv.Itoa(pe.Pos.Column) + ": " + pe.Detail)
		}
		return nil, invalidParameter("The " + field + " is not a valid policy document.")
	}
	return d, nil
}

// unprocessable refuses a policy too complex to analyze.
func unprocessable(err error) error {
	return &server.APIError{Code: codeUnprocessable, Message: strings.TrimPrefix(err.Error(), "analysis: "),
		Status: http.StatusUnprocessableEntity, Fault: server.Sender}
}

type checkNoNewAccessInput struct {
	ExistingPolicyDocument *string `json:"existingPolicyDocument"`
	NewPolicyDocument      *string `json:"newPolicyDocument"`
	PolicyType             string  `json:"policyType"`
}

func (a *api) checkNoNewAccess(ctx context.Context, c *server.Call) (any, error) {
	var in checkNoNewAccessInput
	if err := decode(c, &in); err != nil {
		return nil, err
	}
	existing, err := parse("existingPolicyDocument", in.ExistingPolicyDocument)
	if err != nil {
		return nil, err
	}
	updated, err := parse("newPolicyDocument", in.NewPolicyDocument)
	if err != nil {
		return nil, err
	}
	typ, err := accessCheckPolicyType(in.PolicyType)
	if err != nil {
		return nil, err
	}
	if err := analysis.Complexity(existing, updated); err != nil {
		return nil, unprocessable(err)
	}
	o, err := run(ctx, a.compare, func() analysis.Outcome {
		return analysis.CheckNoNewAccess(existing, updated, typ, a.compareOptions())
	})
	if err != nil {
		return nil, err
	}
	return outputOf(o), nil
}

type accessInput struct {
	Actions   []string `json:"actions"`
	Resources []string `json:"resources"`
}

type checkAccessNotGrantedInput struct {
	Access         []accessInput `json:"access"`
	PolicyDocument *string       `json:"policyDocument"`
	PolicyType     string        `json:"policyType"`
}

func (a *api) checkAccessNotGranted(ctx context.Context, c *server.Call) (any, error) {
	var in checkAccessNotGrantedInput
	if err := decode(c, &in); err != nil {
		return nil, err
	}
	doc, err := parse("policyDocument", in.PolicyDocument)
	if err != nil {
		return nil, err
	}
	typ, err := accessCheckPolicyType(in.PolicyType)
	if err != nil {
		return nil, err
	}
	access, err := accessOf(in.Access)
	if err != nil {
		return nil, err
	}
	if err := analysis.Complexity(doc); err != nil {
		return nil, unprocessable(err)
	}
	return outputOf(analysis.CheckAccessNotGranted(doc, typ, access)), nil
}

// accessOf checks the access list: 1 to 10 entries, each with at least one
// action or resource and at most 100 of each, none empty.
func accessOf(list []accessInput) ([]analysis.Access, error) {
	if len(list) == 0 || len(list) > maxAccessEntries {
		return nil, validationError("access", "must hold 1 to "+strconv.Itoa(maxAccessEntries)+" entries")
	}
	var out []analysis.Access
	for _, e := range list {
		switch {
		case len(e.Actions) == 0 && len(e.Resources) == 0:
			return nil, validationError("access", "each entry names actions, resources or both")
		case len(e.Actions) > maxAccessItems || len(e.Resources) > maxAccessItems:
			return nil, validationError("access", "an entry holds at most "+strconv.Itoa(maxAccessItems)+" actions and "+strconv.Itoa(maxAccessItems)+" resources")
		case slices.Contains(e.Actions, "") || slices.Contains(e.Resources, ""):
			return nil, validationError("access", "actions and resources may not be empty strings")
		}
		out = append(out, analysis.Access{Actions: e.Actions, Resources: e.Resources})
	}
	return out, nil
}

type checkNoPublicAccessInput struct {
	PolicyDocument *string `json:"policyDocument"`
	ResourceType   string  `json:"resourceType"`
}

func (a *api) checkNoPublicAccess(ctx context.Context, c *server.Call) (any, error) {
	var in checkNoPublicAccessInput
	if err := decode(c, &in); err != nil {
		return nil, err
	}
	doc, err := parse("policyDocument", in.PolicyDocument)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(analysis.ResourceTypes(), in.ResourceType) {
		return nil, validationError("resourceType", "is not a resource type CheckNoPublicAccess knows")
	}
	return outputOf(analysis.CheckNoPublicAccess(doc, in.ResourceType)), nil
}

// CheckJSON is the JSON body the custom checks answer with for o (result,
// message, reasons), for whoever must give the same answer as the API (the
// CLI).
func CheckJSON(o analysis.Outcome) any { return outputOf(o) }
