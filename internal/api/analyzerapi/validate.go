package analyzerapi

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/iamq/iamq/internal/analysis"
	"github.com/iamq/iamq/internal/server"
	"github.com/iamq/iamq/policy"
)

// validatePolicyInput is ValidatePolicy's body; maxResults and nextToken
// are in the query.
type validatePolicyInput struct {
	Locale                     string  `json:"locale"`
	PolicyDocument             *string `json:"policyDocument"`
	PolicyType                 string  `json:"policyType"`
	ValidatePolicyResourceType string  `json:"validatePolicyResourceType"`
}

type validatePolicyOutput struct {
	Findings  []finding `json:"findings"`
	NextToken string    `json:"nextToken,omitempty"`
}

type finding struct {
	FindingDetails string     `json:"findingDetails"`
	FindingType    string     `json:"findingType"`
	IssueCode      string     `json:"issueCode"`
	LearnMoreLink  string     `json:"learnMoreLink"`
	Locations      []location `json:"locations"`
}

type location struct {
	Path []pathElement `json:"path"`
	Span span          `json:"span"`
}

// pathElement is the model's PathElement union: {"index": n} or {"key": k}.
type pathElement analysis.PathElem

func (e pathElement) MarshalJSON() ([]byte, error) {
	if e.IsIndex {
		return json.Marshal(map[string]int{"index": e.Index})
	}
	return json.Marshal(map[string]string{"key": e.Key})
}

type span struct {
	Start position `json:"start"`
	End   position `json:"end"`
}

// position is the model's Position: line from 1, column and offset from 0.
type position struct {
	Line   int `json:"line"`
	Column int `json:"column"`
	Offset int `json:"offset"`
}

func positionOf(p policy.Position) position {
	return position{Line: max(p.Line, 1), Column: max(p.Column-1, 0), Offset: p.Offset}
}

// locales are the model's Locale values; findings are written in English
// whatever the locale.
var locales = []string{"DE", "EN", "ES", "FR", "IT", "JA", "KO", "PT_BR", "ZH_CN", "ZH_TW"}

// validateResourceTypes are the model's ValidatePolicyResourceType values.
var validateResourceTypes = []string{"AWS::S3::Bucket", "AWS::S3::AccessPoint", "AWS::S3::MultiRegionAccessPoint",
	"AWS::S3ObjectLambda::AccessPoint", "AWS::IAM::AssumeRolePolicyDocument", "AWS::DynamoDB::Table"}

// maxPageSize bounds maxResults.
const maxPageSize = 1000

func (a *api) validatePolicy(ctx context.Context, c *server.Call) (any, error) {
	var in validatePolicyInput
	if err := decode(c, &in); err != nil {
		return nil, err
	}
	text, err := document("policyDocument", in.PolicyDocument)
	if err != nil {
		return nil, err
	}
	typ := analysis.PolicyType(in.PolicyType)
	switch {
	case !slices.Contains(analysis.PolicyTypes(), typ):
		return nil, validationError("policyType", "must be one of IDENTITY_POLICY, RESOURCE_POLICY, SERVICE_CONTROL_POLICY, RESOURCE_CONTROL_POLICY")
	case in.Locale != "" && !slices.Contains(locales, in.Locale):
		return nil, validationError("locale", "is not a locale Access Analyzer knows")
	case in.ValidatePolicyResourceType != "" && !slices.Contains(validateResourceTypes, in.ValidatePolicyResourceType):
		return nil, validationError("validatePolicyResourceType", "is not a resource type ValidatePolicy knows")
	case in.ValidatePolicyResourceType != "" && typ != analysis.ResourcePolicy:
		return nil, validationError("validatePolicyResourceType", "may only be given with policyType RESOURCE_POLICY")
	}
	from, size, err := page(c)
	if err != nil {
		return nil, err
	}
	opts := a.validateOptions()
	opts.ResourceType = in.ValidatePolicyResourceType
	all := analysis.ValidatePolicy(text, typ, opts)
	if from > len(all) {
		return nil, validationError("nextToken", "is not a token this operation gave")
	}
	out := validatePolicyOutput{Findings: []finding{}}
	end := min(from+size, len(all))
	for _, f := range all[from:end] {
		out.Findings = append(out.Findings, findingOf(f))
	}
	if end < len(all) {
		out.NextToken = makeToken(end)
	}
	return out, nil
}

// page reads maxResults and nextToken: the first finding of the page and
// how many at most.
func page(c *server.Call) (from, size int, err error) {
	q := c.HTTP.URL.Query()
	size = maxPageSize
	if s := q.Get("maxResults"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return 0, 0, validationError("maxResults", "must be a positive integer")
		}
		size = min(n, maxPageSize)
	}
	if t := q.Get("nextToken"); t != "" {
		n, ok := parseToken(t)
		if !ok {
			return 0, 0, validationError("nextToken", "is not a token this operation gave")
		}
		from = n
	}
	return from, size, nil
}

// maxTokenBytes bounds a nextToken before it is decoded.
const maxTokenBytes = 64

// makeToken is the nextToken of the page that starts at finding n.
func makeToken(n int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("v1:" + strconv.Itoa(n)))
}

// parseToken reads a token makeToken made: the first finding of its page.
func parseToken(t string) (int, bool) {
	if len(t) > maxTokenBytes {
		return 0, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(t)
	if err != nil {
		return 0, false
	}
	rest, ok := strings.CutPrefix(string(raw), "v1:")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	if err != nil || n < 0 || makeToken(n) != t {
		return 0, false
	}
	return n, true
}

func findingOf(f analysis.ValidationFinding) finding {
	out := finding{FindingDetails: f.Details, FindingType: string(f.Type), IssueCode: string(f.IssueCode),
		LearnMoreLink: f.LearnMoreLink, Locations: []location{}}
	for _, l := range f.Locations {
		loc := location{Path: []pathElement{}, Span: span{Start: positionOf(l.Span.Start), End: positionOf(l.Span.End)}}
		for _, e := range l.Path {
			loc.Path = append(loc.Path, pathElement(e))
		}
		out.Locations = append(out.Locations, loc)
	}
	return out
}

// document checks a required policy document field: present, not empty,
// and within the size a policy document may have.
func document(field string, text *string) (string, error) {
	switch {
	case text == nil || *text == "":
		return "", validationError(field, "is required")
	case len(*text) > policy.MaxTextBytes:
		return "", validationError(field, "is longer than "+strconv.Itoa(policy.MaxTextBytes)+" bytes")
	}
	return *text, nil
}

// decode reads the call's JSON body; a body that is not JSON of the
// operation's shape is a ValidationException, as the model has no other
// code for it.
func decode(c *server.Call, v any) error {
	if err := c.DecodeJSON(v); err != nil {
		return validationError("body", "is not valid JSON for this operation")
	}
	return nil
}

// FindingsJSON is the JSON body ValidatePolicy answers with for fs (one
// page holding them all), for whoever must give the same answer as the API
// (the CLI).
func FindingsJSON(fs []analysis.ValidationFinding) any {
	out := validatePolicyOutput{Findings: []finding{}}
	for _, f := range fs {
		out.Findings = append(out.Findings, findingOf(f))
	}
	return out
}
