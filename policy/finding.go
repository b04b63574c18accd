package policy

import (
	"errors"
	"fmt"
)

// Code names what a Finding is about. Codes are stable: callers (and golden
// files) match on them, never on messages.
type Code string

// Severity says whether IAM refuses a document for a Finding (Error) or
// accepts it while the finding is still worth a look (Warning).
type Severity uint8

// The severities.
const (
	SeverityError Severity = iota
	SeverityWarning
)

// String returns "error" or "warning".
func (s Severity) String() string {
	if s == SeverityWarning {
		return "warning"
	}
	return "error"
}

// MarshalText writes the severity as its String.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads "error" or "warning".
func (s *Severity) UnmarshalText(b []byte) error {
	switch string(b) {
	case "error":
		*s = SeverityError
	case "warning":
		*s = SeverityWarning
	default:
		return fmt.Errorf("policy: unknown severity %q", b)
	}
	return nil
}

// Finding is one thing wrong with a document.
type Finding struct {
	Code     Code     `json:"code"`
	Severity Severity `json:"severity"`
	// Path is where in the document the finding is, as a JSON path:
	// "Statement[1].Condition". It is empty for the document as a whole.
	Path string   `json:"path"`
	Pos  Position `json:"pos"`
	// Message is the text IAM returns for this finding in a
	// MalformedPolicyDocument error (or a LimitExceeded one, for sizes).
	Message string `json:"message"`
	// Detail says precisely what is wrong, for people; IAM's messages
	// rarely do.
	Detail string `json:"detail"`
}

// String formats f as "line:col: message (detail)".
func (f Finding) String() string {
	return fmt.Sprintf("%d:%d: %s (%s)", f.Pos.Line, f.Pos.Column, f.Message, f.Detail)
}

// MsgSyntax is IAM's catch-all MalformedPolicyDocument message. Verified: it is
// the text moto 5.2.1 emits for non-JSON input, and real IAM output quoted in
// many public issues.
const MsgSyntax = "Syntax errors in policy."

// Sentinel errors of Parse, matched with errors.Is.
var (
	// ErrSyntax: the text is not JSON, or not JSON that a policy
	// document can be made of (for example an Effect that is a number).
	ErrSyntax = errors.New("policy: syntax error")
	// ErrTooLarge: the text is longer than MaxTextBytes.
	ErrTooLarge = errors.New("policy: document too large")
)

// The codes of findings that make Parse fail.
const (
	CodeSyntax   Code = "Syntax"   // not JSON
	CodeType     Code = "Type"     // an element of a JSON type it cannot have
	CodeTooLarge Code = "TooLarge" // longer than MaxTextBytes
)

// ParseError is the error of Parse and ParseReader: the text could not be
// made into a Document. It carries the Finding to report; errors.Is matches
// it against ErrSyntax or ErrTooLarge.
type ParseError struct {
	Finding
}

func newParseError(code Code, at Position, detail string) *ParseError {
	return &ParseError{Finding{Code: code, Pos: at, Message: MsgSyntax, Detail: detail}}
}

// Error returns "policy: line:col: detail".
func (e *ParseError) Error() string {
	if e.Code == CodeTooLarge {
		return "policy: " + e.Detail
	}
	return fmt.Sprintf("policy: %d:%d: %s", e.Pos.Line, e.Pos.Column, e.Detail)
}

// Unwrap returns ErrTooLarge or ErrSyntax.
func (e *ParseError) Unwrap() error {
	if e.Code == CodeTooLarge {
		return ErrTooLarge
	}
	return ErrSyntax
}

// The codes of findings that Validate reports.
const (
	CodeUnknownElement      Code = "UnknownElement"     // a key IAM does not know, at the top or in a statement
	CodeDuplicateKey        Code = "DuplicateKey"       // a key twice in one JSON object
	CodeVersion             Code = "Version"            // a Version other than 2012-10-17 or 2008-10-17
	CodeNoStatement         Code = "NoStatement"        // Statement absent or empty
	CodeEffect              Code = "Effect"             // Effect absent, or not Allow or Deny
	CodeNoAction            Code = "NoAction"           // neither Action nor NotAction
	CodeActionAndNot        Code = "ActionAndNotAction" // both Action and NotAction
	CodeNoResource          Code = "NoResource"         // neither Resource nor NotResource
	CodeResourceAndNot      Code = "ResourceAndNotResource"
	CodePrincipalAndNot     Code = "PrincipalAndNotPrincipal"
	CodeActionVendor        Code = "ActionVendor"        // an action without a vendor prefix
	CodeActionColon         Code = "ActionColon"         // an action with more than one colon
	CodeActionName          Code = "ActionName"          // an action name with characters no action has
	CodeResourceProhibited  Code = "ResourceProhibited"  // Resource or NotResource where the kind forbids it
	CodeVendor              Code = "Vendor"              // a vendor with characters IAM refuses
	CodeResourceARN         Code = "ResourceARN"         // a resource that is neither "*" nor an ARN
	CodeDuplicateSid        Code = "DuplicateSid"        // two statements with one Sid
	CodeSid                 Code = "Sid"                 // a Sid with characters IAM refuses
	CodePrincipalType       Code = "PrincipalType"       // a principal type other than AWS, Service, Federated, CanonicalUser
	CodePrincipal           Code = "Principal"           // a principal value IAM refuses
	CodePrincipalProhibited Code = "PrincipalProhibited" // Principal or NotPrincipal where the kind forbids it
	CodePrincipalRequired   Code = "PrincipalRequired"   // no Principal where the kind requires one
	CodeOperator            Code = "Operator"            // an unknown condition operator
	CodeConditionKey        Code = "ConditionKey"        // a condition key without a vendor prefix
	CodeConditionValue      Code = "ConditionValue"      // a value that its operator cannot read
	CodeCharacter           Code = "Character"           // a character outside tab, LF, CR, U+0020–U+00FF
	CodeSize                Code = "Size"                // longer than the kind's size limit
	CodeTrustAction         Code = "TrustAction"         // a trust policy action other than sts:AssumeRole*, TagSession, SetSourceIdentity
	CodeSCP                 Code = "SCP"                 // breaks a rule of service control policies
	CodeVariables           Code = "Variables"           // a policy variable in a document whose Version does not substitute it
	CodeLegacy              Code = "Legacy"              // refused by IAM's legacy parser: Effect's case, a date, a resource's empty segment
	CodeManagedVersion      Code = "ManagedVersion"      // a managed policy whose Version is not 2012-10-17
)
