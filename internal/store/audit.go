package store

import "time"

// AuditRecord is one record of the decision log (internal/audit), as the
// store keeps it: the columns the log is searched by, and the whole record
// as JSON in Event. Records are written in batches off the request path and
// never change; PruneAudit removes the old ones.
type AuditRecord struct {
	ID        string    // the record's eventID, unique
	Time      time.Time // eventTime
	Account   string    // the caller's account ("" for a call no one signed)
	Principal string    // the caller's ARN (a role session's assumed-role ARN)
	// Entity is the IAM identity that acted: the user's or the role's ARN
	// (for a role session), or the account root's; "" when unknown.
	Entity    string
	Service   string // the service prefix: "iam", "sts"
	Action    string // "iam:CreateUser"
	Region    string
	Decision  string // the audit package's decision ("Allow", "ImplicitDeny", …)
	ErrorCode string // "" for a call that succeeded
	Event     []byte // the whole record, JSON
}

// AuditQuery selects records of the decision log. Empty fields select any.
type AuditQuery struct {
	Account   string
	Principal string // the caller's ARN, or the entity's ARN
	Action    string // "iam:CreateUser", compared case-insensitively
	Decision  string
	Since     time.Time // records at or after Since
	Until     time.Time // records before Until (zero: no bound)
	// Limit bounds the records returned: 0 means DefaultAuditLimit, at
	// most MaxAuditLimit. When more match, the newest are returned.
	Limit int
}

// The bounds of an AuditQuery's Limit.
const (
	DefaultAuditLimit = 1000
	MaxAuditLimit     = 10000
)

// AuditAccess sums up the logged calls of one entity to one action: what
// last-accessed data and policy generation are computed from.
type AuditAccess struct {
	Entity  string
	Service string
	Action  string
	Region  string    // the region of the latest call
	Last    time.Time // the latest call
	Count   int
}

// PolicyGeneration is one policy generation job of Access Analyzer's
// StartPolicyGeneration, generated from the decision log: the account that
// asked, the job's id, the principal it is for, the client token that makes
// the request idempotent, when it started, and the job's state and result
// as JSON (package audit's, opaque to the store). Jobs are stored so that
// every node, and a restarted one, answers for them.
type PolicyGeneration struct {
	Account     string
	ID          string
	Principal   string
	ClientToken string // "" when none was given
	Started     time.Time
	Data        []byte
}

// MaxPolicyGenerations bounds the jobs kept per account: creating one more
// deletes the oldest.
const MaxPolicyGenerations = 1000
