package analysis

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/iamq/iamq/internal/catalog"
	"github.com/iamq/iamq/policy"
)

// This file is IAM Access Analyzer's policy validation (ValidatePolicy),
// offline: the grammar checks of package policy, the catalog's lint and the
// best-practice checks of validate_rules.go, each reported under the issue
// code AWS documents for it (IAM User Guide, "IAM policy validation check
// reference"; docs/access-analyzer.md lists which iamq makes).

// PolicyType is the kind of policy ValidatePolicy checks, as the
// accessanalyzer service model names it.
type PolicyType string

// The policy types of ValidatePolicy.
const (
	IdentityPolicy        PolicyType = "IDENTITY_POLICY"
	ResourcePolicy        PolicyType = "RESOURCE_POLICY"
	ServiceControlPolicy  PolicyType = "SERVICE_CONTROL_POLICY"
	ResourceControlPolicy PolicyType = "RESOURCE_CONTROL_POLICY"
)

// PolicyTypes lists every PolicyType.
func PolicyTypes() []PolicyType {
	return []PolicyType{IdentityPolicy, ResourcePolicy, ServiceControlPolicy, ResourceControlPolicy}
}

// FindingType is a validation finding's impact (the model's
// ValidatePolicyFindingType).
type FindingType string

// The finding types, most severe first.
const (
	FindingError           FindingType = "ERROR"
	FindingSecurityWarning FindingType = "SECURITY_WARNING"
	FindingWarning         FindingType = "WARNING"
	FindingSuggestion      FindingType = "SUGGESTION"
)

// IssueCode is the identifier of a validation finding, as AWS's check
// reference names it.
type IssueCode string

// Location is where in the document a finding is: its JSON path and the
// span of the value there in the original text.
type Location struct {
	Path []PathElem
	Span Span
}

// ValidationFinding is one finding of [ValidatePolicy].
type ValidationFinding struct {
	Type      FindingType
	IssueCode IssueCode
	// Details says what is wrong and how to fix it.
	Details string
	// LearnMoreLink is the check's entry in AWS's check reference.
	LearnMoreLink string
	Locations     []Location
}

// ValidateOptions configure [ValidatePolicy]. The zero value uses the
// embedded catalog.
type ValidateOptions struct {
	Catalog *catalog.Catalog
	// ResourceType is ValidatePolicy's validatePolicyResourceType:
	// "AWS::IAM::AssumeRolePolicyDocument" checks a role trust policy; others
	// (and none) check a resource policy by the rules every resource policy
	// follows.
	ResourceType string
}

// ResourceTypeTrustPolicy is the validatePolicyResourceType of a role's
// trust policy.
const ResourceTypeTrustPolicy = "AWS::IAM::AssumeRolePolicyDocument"

// referenceURL is AWS's check reference; each check has an anchor there.
const referenceURL = "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html"

// LearnMoreLink returns the link to a check's entry in AWS's reference:
// its anchor is the finding type and the check's name, hyphenated.
func LearnMoreLink(t FindingType, code IssueCode) string {
	kind := map[FindingType]string{FindingError: "error", FindingSecurityWarning: "security-warning",
		FindingWarning: "general-warning", FindingSuggestion: "suggestion"}[t]
	name := strings.ToLower(strings.ReplaceAll(string(code), "_", "-"))
	return referenceURL + "#access-analyzer-reference-policy-checks-" + kind + "-" + name
}

// ValidatePolicy checks text as a policy of type typ and returns every
// finding, in the order of the text, each with its location. It never
// fails: text that is not a policy is itself a finding (JSON_SYNTAX_ERROR,
// DATA_TYPE_MISMATCH). Callers bound the text's size first.
func ValidatePolicy(text string, typ PolicyType, opts ValidateOptions) []ValidationFinding {
	if opts.Catalog == nil {
		opts.Catalog = catalog.Embedded()
	}
	v := &validation{text: text}
	doc, err := policy.Parse(text)
	if err != nil {
		v.parseError(err)
		return v.out
	}
	v.doc = doc
	kind := kindOf(typ, opts.ResourceType)
	for _, f := range doc.Validate(kind) {
		v.grammar(f)
	}
	for _, f := range opts.Catalog.Lint(doc) {
		v.lint(f)
	}
	v.rules(opts.Catalog)
	v.moreRules()
	v.arns(opts.Catalog)
	v.sort()
	return v.out
}

// kindOf is the policy kind whose grammar a policy type follows.
func kindOf(typ PolicyType, resourceType string) policy.Kind {
	switch typ {
	case ResourcePolicy:
		if resourceType == ResourceTypeTrustPolicy {
			return policy.KindTrust
		}
		return policy.KindResource
	case ResourceControlPolicy:
		return policy.KindResource
	case ServiceControlPolicy:
		return policy.KindSCP
	}
	return policy.KindIdentity
}

// validation gathers the findings of one document.
type validation struct {
	text string
	doc  *policy.Document
	out  []ValidationFinding
	// inclusions counts the pattern comparisons made, up to
	// maxInclusionChecks; automata those that needed automata, up to
	// maxAutomataChecks.
	inclusions, automata int
}

// add records a finding at path (nil: the whole document). pos is where the
// finding was found when the path cannot be located in the text.
func (v *validation) add(t FindingType, code IssueCode, details string, pos policy.Position, path ...PathElem) {
	span, ok := Locate(v.text, path)
	if !ok {
		span = Span{Start: pos, End: pos}
	}
	v.out = append(v.out, ValidationFinding{Type: t, IssueCode: code, Details: details,
		LearnMoreLink: LearnMoreLink(t, code), Locations: []Location{{Path: path, Span: span}}})
}

// parseError reports text that is not a policy document.
func (v *validation) parseError(err error) {
	var pe *policy.ParseError
	if !errors.As(err, &pe) {
		v.add(FindingError, "JSON_SYNTAX_ERROR", "Fix the JSON syntax error.", policy.Position{Line: 1, Column: 1})
		return
	}
	at := pe.Pos
	switch {
	case pe.Code == policy.CodeType && at.Offset < len(strings.TrimRight(v.text, " \t\r\n")):
		v.add(FindingError, "DATA_TYPE_MISMATCH", "The text does not match the expected JSON data type: "+pe.Detail+".", at)
		// The span is the value of the wrong type, where it can be found.
		if sp, ok := Locate(v.text, ParsePath(pe.Path)); ok && len(pe.Path) > 0 {
			last := &v.out[len(v.out)-1].Locations[0]
			last.Path, last.Span = ParsePath(pe.Path), sp
		}
		return
	case pe.Code == policy.CodeTooLarge:
		v.add(FindingError, "JSON_SYNTAX_ERROR", "The policy is too large to read: "+pe.Detail+".", at)
	default:
		v.add(FindingError, "JSON_SYNTAX_ERROR", "Fix the JSON syntax error at index "+strconv.Itoa(at.Offset)+
			" line "+strconv.Itoa(at.Line)+" column "+strconv.Itoa(at.Column-1)+": "+pe.Detail+".", at)
	}
	// The span of a syntax error is the one character where it was found.
	last := &v.out[len(v.out)-1].Locations[0].Span
	last.Start, last.End = at, PositionAt(v.text, at.Offset+1)
}

// grammarCodes maps package policy's finding codes to Access Analyzer's.
var grammarCodes = map[policy.Code]IssueCode{
	policy.CodeUnknownElement:      "INVALID_POLICY_ELEMENT",
	policy.CodeDuplicateKey:        "DUPLICATE_KEYS_WITH_DIFFERENT_CASE",
	policy.CodeVersion:             "INVALID_VERSION",
	policy.CodeNoStatement:         "MISSING_STATEMENT",
	policy.CodeNoAction:            "MISSING_ACTION",
	policy.CodeActionAndNot:        "UNSUPPORTED_ELEMENT_COMBINATION",
	policy.CodeNoResource:          "MISSING_RESOURCE",
	policy.CodeResourceAndNot:      "UNSUPPORTED_ELEMENT_COMBINATION",
	policy.CodePrincipalAndNot:     "UNSUPPORTED_ELEMENT_COMBINATION",
	policy.CodeActionVendor:        "INVALID_ACTION",
	policy.CodeActionColon:         "INVALID_ACTION",
	policy.CodeActionName:          "INVALID_ACTION",
	policy.CodeResourceProhibited:  "INVALID_POLICY_ELEMENT",
	policy.CodeVendor:              "INVALID_SERVICE_IN_ACTION",
	policy.CodeResourceARN:         "INVALID_ARN_PREFIX",
	policy.CodeDuplicateSid:        "UNIQUE_SIDS_REQUIRED",
	policy.CodeSid:                 "UNSUPPORTED_SID",
	policy.CodePrincipalType:       "INVALID_PRINCIPAL_KEY",
	policy.CodePrincipal:           "INVALID_PRINCIPAL_FORMAT",
	policy.CodePrincipalProhibited: "UNSUPPORTED_PRINCIPAL",
	policy.CodePrincipalRequired:   "MISSING_PRINCIPAL",
	policy.CodeOperator:            "INVALID_CONDITION_OPERATOR",
	policy.CodeConditionKey:        "INVALID_CONDITION_KEY_FORMAT",
	policy.CodeConditionValue:      "DATA_TYPE_MISMATCH",
	policy.CodeCharacter:           "JSON_SYNTAX_ERROR",
	policy.CodeTrustAction:         "UNSUPPORTED_ACTION_IN_POLICY",
	policy.CodeSCP:                 "SCP_SYNTAX_ERROR_ACTION_WILDCARD",
	policy.CodeVariables:           "VARIABLE_UNSUPPORTED_IN_VERSION",
}

// grammar reports one of package policy's findings.
func (v *validation) grammar(f policy.Finding) {
	path := ParsePath(f.Path)
	code, ok := grammarCodes[f.Code]
	switch {
	case f.Code == policy.CodeLegacy && len(path) > 0 && path[len(path)-1].Key == "Effect":
		// "allow": IAM's legacy parser refuses the case, Access Analyzer
		// reports the effect.
		code, ok = "INVALID_EFFECT", true
	case f.Code == policy.CodeEffect:
		code, ok = "INVALID_EFFECT", true
		if len(path) > 0 && path[len(path)-1].Key != "Effect" {
			code = "MISSING_EFFECT"
		}
	case f.Code == policy.CodeConditionValue && (len(path) == 0 || !path[len(path)-1].IsIndex):
		// A condition without values: the EMPTY_ARRAY_CONDITION rule says so.
		return
	case f.Code == policy.CodeSize:
		return
	}
	if !ok {
		code = "INVALID_POLICY_ELEMENT"
	}
	t := FindingError
	if f.Severity == policy.SeverityWarning {
		t = FindingWarning
	}
	details := f.Detail
	if details == "" {
		details = f.Message
	}
	v.add(t, code, upperFirst(details)+".", f.Pos, path...)
}

// lint reports one of the catalog's findings. iamq's own codes (the
// catalog's checks AWS has no issue code for) stay in 'iamq policy
// validate'; PassRole is judged by the rules, with and without wildcards.
func (v *validation) lint(f catalog.Finding) {
	switch f.Code {
	case catalog.CodeInvalidService, catalog.CodeInvalidAction, catalog.CodeInvalidGlobalConditionKey,
		catalog.CodeInvalidServiceConditionKey, catalog.CodeUnsupportedResourceARN:
	default:
		return
	}
	v.add(FindingType(f.Severity), IssueCode(f.Code), f.Message, f.Pos, ParsePath(f.Path)...)
}

func upperFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// sort orders the findings by where they are, keeping the order of
// findings at one place.
func (v *validation) sort() {
	slices.SortStableFunc(v.out, func(a, b ValidationFinding) int {
		return a.Locations[0].Span.Start.Offset - b.Locations[0].Span.Start.Offset
	})
}
