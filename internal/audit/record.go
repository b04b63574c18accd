package audit

import (
	"time"
)

// EventVersion is the CloudTrail record version the records follow.
const EventVersion = "1.08"

// Record is one call in the decision log, in CloudTrail's shape
// (AWS CloudTrail User Guide, "CloudTrail record contents"). The server
// fills Params or Body with the request's raw input; the log turns them into
// RequestParameters, without secrets, off the request path.
type Record struct {
	// The members that repeat from call to call come first, those that
	// vary last (JSON objects are unordered; CloudTrail's readers look
	// members up by name): the store writes each event against an earlier
	// one, and keeps only what follows their common beginning.
	EventVersion       string       `json:"eventVersion"`
	EventSource        string       `json:"eventSource"` // "iam.amazonaws.com"
	EventName          string       `json:"eventName"`   // "CreateUser"
	AWSRegion          string       `json:"awsRegion"`
	SourceIPAddress    string       `json:"sourceIPAddress,omitempty"`
	UserAgent          string       `json:"userAgent,omitempty"`
	UserIdentity       UserIdentity `json:"userIdentity"`
	EventType          string       `json:"eventType"` // "AwsApiCall"
	ReadOnly           bool         `json:"readOnly"`
	RecipientAccountID string       `json:"recipientAccountId,omitempty"`
	// Authorization is iamq's own member: how the call was authorized; nil
	// for calls no policy decides (unsigned, refused before, or needing no
	// permission). It must not change once recorded: the log keeps it (and
	// the server shares one between calls).
	Authorization     *Authorization `json:"authorization,omitempty"`
	RequestParameters map[string]any `json:"requestParameters,omitempty"`
	ErrorCode         string         `json:"errorCode,omitempty"`
	ErrorMessage      string         `json:"errorMessage,omitempty"`
	EventTime         time.Time      `json:"eventTime"`
	RequestID         string         `json:"requestID"`
	EventID           string         `json:"eventID"`

	// Input is the call's raw input: a Query-protocol form (InputForm) or
	// a REST-JSON body. The log decodes it into RequestParameters, without
	// secrets, off the request path, and never keeps it as it is.
	Input     []byte `json:"-"`
	InputForm bool   `json:"-"`

	flushed chan struct{} // Flush's marker: not a record

}

// UserIdentity is who called, in CloudTrail's userIdentity shape.
type UserIdentity struct {
	Type           IdentityType    `json:"type"`
	PrincipalID    string          `json:"principalId,omitempty"`
	ARN            string          `json:"arn,omitempty"`
	AccountID      string          `json:"accountId,omitempty"`
	AccessKeyID    string          `json:"accessKeyId,omitempty"`
	UserName       string          `json:"userName,omitempty"`
	SessionContext *SessionContext `json:"sessionContext,omitempty"`
	// InvokedBy names the AWS service acting through its service-linked
	// role.
	InvokedBy string `json:"invokedBy,omitempty"`
}

// IdentityType is CloudTrail's userIdentity.type.
type IdentityType string

// The identity types iamq's callers have.
const (
	IdentityRoot        IdentityType = "Root"
	IdentityIAMUser     IdentityType = "IAMUser"
	IdentityAssumedRole IdentityType = "AssumedRole"
	// IdentityFederatedUser: a GetFederationToken session.
	IdentityFederatedUser IdentityType = "FederatedUser"
	IdentityUnknown       IdentityType = "Unknown" // a call no one signed, or whose signature was refused
)

// SessionContext describes temporary credentials.
type SessionContext struct {
	SessionIssuer  *SessionIssuer    `json:"sessionIssuer,omitempty"`
	Attributes     SessionAttributes `json:"attributes"`
	SourceIdentity string            `json:"sourceIdentity,omitempty"`
	// WebIDFederationData names the identity provider (OIDC or SAML) of a
	// role session made by AssumeRoleWithWebIdentity or AssumeRoleWithSAML.
	WebIDFederationData *WebIDFederationData `json:"webIdFederationData,omitempty"`
}

// WebIDFederationData is CloudTrail's webIdFederationData: the provider a
// federated session came from.
type WebIDFederationData struct {
	FederatedProvider string `json:"federatedProvider"`
}

// SessionIssuer is the role (or user) whose credentials the session has.
type SessionIssuer struct {
	Type        string `json:"type"` // "Role"
	PrincipalID string `json:"principalId"`
	ARN         string `json:"arn"`
	AccountID   string `json:"accountId"`
	UserName    string `json:"userName"`
}

// SessionAttributes are the session's creation time and MFA state.
type SessionAttributes struct {
	CreationDate     time.Time `json:"creationDate,omitzero"`
	MFAAuthenticated string    `json:"mfaAuthenticated"` // "true" for a session made with MFA
}

// Authorization is how a call was authorized.
type Authorization struct {
	Decision Decision `json:"decision"`
	// Enforced is false when the decision was not enforced: soft
	// enforcement let a denied call through ("would have been denied").
	Enforced bool   `json:"enforced"`
	Action   string `json:"action"`   // "iam:CreateUser"
	Resource string `json:"resource"` // the resource's ARN, or "*"
	// Statements are the statements that decided: the Deny statements that
	// applied for an explicit deny; for an allowed call, for each kind of
	// policy that allowed it, the Allow statement the evaluation found
	// first (the decision names them itself: eval.Reason); for an
	// implicit deny, the Allow statements that applied.
	Statements []Statement `json:"statements,omitempty"`
	// Lacking names the policy types that had to allow and did not (an
	// implicit deny).
	Lacking            []string `json:"lacking,omitempty"`
	MissingContextKeys []string `json:"missingContextKeys,omitempty"`
	// Reason is the denial's message, as the caller read it (or would have,
	// under soft enforcement).
	Reason string `json:"reason,omitempty"`
}

// Decision is the outcome of evaluating a call.
type Decision string

// The decisions.
const (
	Allow        Decision = "Allow"
	ImplicitDeny Decision = "ImplicitDeny" // no policy allowed
	ExplicitDeny Decision = "ExplicitDeny" // a Deny statement applied
)

// Statement names one statement of a policy: the policy's type and ARN (or
// inline policy's name), the version, the Sid, and the statement's position
// in the policy's Statement list (from 0).
type Statement struct {
	PolicyType    string `json:"policyType"`
	Policy        string `json:"policy"`
	PolicyVersion string `json:"policyVersion,omitempty"`
	Sid           string `json:"sid,omitempty"`
	Index         int    `json:"index"`
}

// Outcome is the store's decision column: what the call's authorization
// came to, in one word a search can select.
type Outcome string

// The outcomes of a call.
const (
	OutcomeNone      Outcome = ""          // no policy decided the call
	OutcomeAllow     Outcome = "Allow"     // allowed
	OutcomeDeny      Outcome = "Deny"      // denied (implicitly or explicitly)
	OutcomeWouldDeny Outcome = "WouldDeny" // denied, let through by soft enforcement
)

// Outcome is the record's outcome.
func (r *Record) Outcome() Outcome {
	a := r.Authorization
	switch {
	case a == nil:
		return OutcomeNone
	case a.Decision == Allow:
		return OutcomeAllow
	case !a.Enforced:
		return OutcomeWouldDeny
	}
	return OutcomeDeny
}
