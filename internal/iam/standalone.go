package iam

import (
	"context"
	"errors"
	"strings"

	"github.com/iamq/iamq/arn"
)

// Sentinel errors of the features iamq answers as AWS does for a standalone
// account: one outside any organization, with no role templates and no
// delegation partners (docs/iam-operations.md names each operation's
// answer). The API maps each to the code of IAM's model.
var (
	// ErrNoOrganization: the account belongs to no organization
	// (OrganizationNotFoundException).
	ErrNoOrganization = errors.New("iam: no organization")
	// ErrFeatureDisabled: outbound web identity federation is disabled
	// (FeatureDisabled).
	ErrFeatureDisabled = errors.New("iam: feature disabled")
)

// msgNoOrganization is the text of OrganizationNotFoundException (IAM's
// service model, its documentation string).
const msgNoOrganization = "The request was rejected because no organization is associated with your account."

// OrganizationsFeatures answers the operations of centralized root access
// (Enable/Disable OrganizationsRootCredentialsManagement and
// OrganizationsRootSessions, ListOrganizationsFeatures): they need the
// account to be the management account of an organization (IAM User Guide,
// "Centrally manage root access for member accounts"), and an iamq account
// belongs to none.
func (s *Service) OrganizationsFeatures(context.Context, string) error {
	return refuse(ErrNoOrganization, msgNoOrganization)
}

// GenerateOrganizationsAccessReport refuses: the report is of an entity of
// an organization (EntityPath o-…/r-…) and only its management account may
// ask for it (IAM API Reference, GenerateOrganizationsAccessReport: "you
// must be signed in to the management account"); no iamq account is one.
func (s *Service) GenerateOrganizationsAccessReport(_ context.Context, account, entityPath string) error {
	return refuse(ErrAccessDenied, "The account %s is not the management account of the organization of %s: the account belongs to no organization.",
		account, entityPath)
}

// GetOrganizationsAccessReport answers NoSuchEntity: no report job exists,
// since GenerateOrganizationsAccessReport never starts one.
func (s *Service) GetOrganizationsAccessReport(_ context.Context, _, jobID string) error {
	return noSuchEntity("The job with id %s cannot be found.", jobID)
}

// Delegation request ids (delegationRequestIdType): 16 to 128 word
// characters and hyphens.
const (
	minDelegationID = 16
	maxDelegationID = 128
)

// FieldDelegationRequestID is DelegationRequestId.
const FieldDelegationRequestID Field = "delegationRequestId"

// DelegationRequest answers the operations on one delegation request (Get,
// Accept, Associate, Reject, Update, SendDelegationToken): no account of
// iamq has one, since only AWS partners onboarded for temporary delegation
// create them (IAM API Reference, CreateDelegationRequest: "not available for
// general use"), so a well-formed id names none.
func (s *Service) DelegationRequest(_ context.Context, _, id string) error {
	var v Validation
	if v.Length(FieldDelegationRequestID, id, minDelegationID, maxDelegationID) && !isWordOrHyphen(id) {
		v.constraint(FieldDelegationRequestID, id, `Member must satisfy regular expression pattern: [\w-]+`)
	}
	if err := v.Err(); err != nil {
		return err
	}
	return noSuchEntity("The delegation request with id %s cannot be found.", id)
}

// CreateDelegationRequest refuses: creating one is for AWS partners that went
// through the partner onboarding of temporary delegation (IAM User Guide,
// "Temporary delegation partner guide"); iamq onboards no partner.
func (s *Service) CreateDelegationRequest(_ context.Context, account string) error {
	return refuse(ErrAccessDenied, "The account %s is not onboarded as a temporary delegation partner; CreateDelegationRequest is not available for general use.", account)
}

func isWordOrHyphen(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c == '-' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// FieldEntityARN is GetHumanReadableSummary's EntityArn; FieldTemplateARN
// is the TemplateArn of the role-template operations.
const (
	FieldEntityARN   Field = "entityArn"
	FieldTemplateARN Field = "templateArn"
)

// GetHumanReadableSummary answers for the one kind of entity IAM
// summarizes, a delegation request (IAM API Reference,
// GetHumanReadableSummary): InvalidInput for any other ARN, and
// NoSuchEntity for a delegation request, since none exists.
func (s *Service) GetHumanReadableSummary(_ context.Context, _, entityARN string) error {
	var v Validation
	v.Length(FieldEntityARN, entityARN, 20, 2048)
	if err := v.Err(); err != nil {
		return err
	}
	a, err := arn.Parse(entityARN)
	if err != nil || a.Service != "iam" || !strings.HasPrefix(a.Resource, "delegation-request/") {
		return refuse(ErrInvalidInput, "The entity %s is not a delegation request: GetHumanReadableSummary summarizes delegation requests only.", entityARN)
	}
	return noSuchEntity("The delegation request %s cannot be found.", entityARN)
}

// RoleTemplate answers AcquireRole and GetRoleTemplateVersion: iamq has no
// role templates, so a template ARN names none.
func (s *Service) RoleTemplate(_ context.Context, _, templateARN string) error {
	var v Validation
	v.Length(FieldTemplateARN, templateARN, 20, 2048)
	if err := v.Err(); err != nil {
		return err
	}
	return noSuchEntity("The role template with ARN %s cannot be found.", templateARN)
}

// EnableOutboundWebIdentityFederation refuses: the feature gives the
// account an issuer URL that hosts OIDC discovery (/.well-known/openid-
// configuration and jwks.json) for the JWTs GetWebIdentityToken signs (IAM
// API Reference, EnableOutboundWebIdentityFederation), and iamq hosts no
// such issuer. The feature stays disabled, which is what Get and Disable
// answer.
func (s *Service) EnableOutboundWebIdentityFederation(_ context.Context, account string) error {
	return refuse(ErrAccessDenied, "Outbound web identity federation cannot be enabled for the account %s: iamq hosts no token issuer.", account)
}

// OutboundWebIdentityFederation answers GetOutboundWebIdentityFederationInfo
// and DisableOutboundWebIdentityFederation: the feature is disabled
// (FeatureDisabled, with the model's text).
func (s *Service) OutboundWebIdentityFederation(context.Context, string) error {
	return refuse(ErrFeatureDisabled, "Outbound identity federation is disabled for your account.")
}

// GetAccountProperties returns the account's properties: none, since iamq
// has none of the account-wide features they configure (Role Manager).
func (s *Service) GetAccountProperties(context.Context, string) (map[string]string, error) {
	return map[string]string{}, nil
}

// PutAccountProperties refuses every property: keys are
// Namespace/PropertyName (IAM API Reference, PutAccountProperties) and iamq
// knows no namespace. A malformed key is refused as such first.
func (s *Service) PutAccountProperties(_ context.Context, _ string, props map[string]string) error {
	if len(props) == 0 {
		return refuse(ErrInvalidInput, "Properties must name at least one property.")
	}
	for k := range props {
		ns, name, ok := strings.Cut(k, "/")
		if !ok || ns == "" || name == "" || strings.Contains(name, "/") {
			return refuse(ErrInvalidInput, "The property key %q is not of the form Namespace/PropertyName.", k)
		}
		return refuse(ErrInvalidInput, "The account property namespace %q is not supported.", ns)
	}
	return nil
}
