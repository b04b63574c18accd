package policy

// Version is the policy language version a document names in its Version
// element. IAM policy language reference: "IAM JSON policy elements: Version".
type Version string

// The versions IAM accepts. A document without a Version element is treated as
// 2008-10-17, in which policy variables are plain text.
const (
	Version20121017 Version = "2012-10-17"
	Version20081017 Version = "2008-10-17"
	VersionAbsent   Version = ""
)

// Variables reports whether policy variables (${aws:username}) are substituted
// in documents of this version; in older documents they are literal text.
func (v Version) Variables() bool { return v == Version20121017 }

// Effect is a statement's Effect element.
type Effect string

// The two effects.
const (
	Allow Effect = "Allow"
	Deny  Effect = "Deny"
)

// Kind is the kind of document, which decides the rules it must follow: an
// identity policy may not name a Principal, a resource or trust policy must.
type Kind string

// The kinds of policy document.
const (
	KindIdentity Kind = "identity" // inline or managed policy of a user, group or role
	KindResource Kind = "resource" // resource-based policy
	KindTrust    Kind = "trust"    // a role's trust policy (AssumeRolePolicyDocument)
	KindBoundary Kind = "boundary" // permissions boundary (a managed policy used as one)
	KindSession  Kind = "session"  // session policy passed to AssumeRole or GetFederationToken
	KindSCP      Kind = "scp"      // service control policy
)

// Kinds lists every Kind, in a stable order.
func Kinds() []Kind {
	return []Kind{KindIdentity, KindResource, KindTrust, KindBoundary, KindSession, KindSCP}
}

// Position is a place in a document's text: a byte offset and its 1-based line
// and column (columns count bytes).
type Position struct {
	Offset int `json:"offset"`
	Line   int `json:"line"`
	Column int `json:"column"`
}

// Document is a parsed policy document.
type Document struct {
	Version    Version
	ID         string
	Statements []Statement
	// Text is the document exactly as submitted. IAM returns documents as
	// they were given (URL-encoded); Print writes the canonical form instead.
	Text string

	// notes are the findings Parse made about text the Document cannot
	// keep (unknown elements, duplicate keys); Validate reports them.
	notes []Finding
	// checkedChars: Parse found only characters IAM allows in Text.
	checkedChars bool
}

// Statement is one element of a document's Statement list. For each pair of
// alternatives (Action/NotAction, Resource/NotResource, Principal/NotPrincipal)
// a nil value means the element is absent; an element present with an empty
// list is a non-nil empty slice.
type Statement struct {
	Sid          string
	Effect       Effect
	Principal    *Principal
	NotPrincipal *Principal
	Action       []string
	NotAction    []string
	Resource     []string
	NotResource  []string
	Conditions   []Condition
	// Index is the statement's place in the Statement list, from 0.
	Index int
	// Pos is where the statement's object begins in Text.
	Pos Position
}

// Principal is a Principal or NotPrincipal element. "Principal": "*" sets
// Wildcard; {"AWS": "*"} is AWS: ["*"], which AWS treats alike for matching.
type Principal struct {
	Wildcard      bool
	AWS           []string
	Service       []string
	Federated     []string
	CanonicalUser []string
}

// Condition is one key of one operator of a statement's Condition block:
// {"StringEquals": {"aws:username": ["a", "b"]}} is one Condition with two
// values. Values of one Condition are OR'ed; Conditions are AND'ed.
type Condition struct {
	Operator Operator
	// Key is the condition key as written (keys match case-insensitively).
	Key    string
	Values []Value
	// Pos is where the key appears in Text.
	Pos Position
}
