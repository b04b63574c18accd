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
	// RequestID is the call's requestID; it may be "" in what AuditRecords
	// returns.
	RequestID string
	// WithoutTail, on AppendAudit, says that Event leaves out its last
	// members, which the store writes back (AuditTail) from Time,
	// RequestID and ID: the decision log hands its events over so, to spare
	// writing and comparing the members that differ from call to call.
	// AuditRecords returns every Event whole, with WithoutTail false.
	WithoutTail bool
}

// AuditTail writes the members a decision log event ends with:
// `,"eventTime":"T","requestID":"R","eventID":"ID"}`, T in RFC 3339 with
// nanoseconds in UTC (as time.Time's JSON has it), R and ID as they are:
// the decision log's ids need no escaping. It keeps the text of the last
// second it wrote, which a batch's records mostly share. The zero value is
// ready to use.
type AuditTail struct {
	sec    int64
	prefix []byte // "2006-01-02T15:04:05" of sec
}

// The members AuditTail writes, around their values.
const (
	AuditTailTime      = `,"eventTime":"`
	AuditTailRequestID = `","requestID":"`
	AuditTailEventID   = `","eventID":"`
	AuditTailEnd       = `"}`
)

// Append appends the members to b.
func (w *AuditTail) Append(b []byte, t time.Time, requestID, id string) []byte {
	b = append(b, AuditTailTime...)
	b = w.AppendTime(b, t)
	b = append(b, AuditTailRequestID...)
	b = append(b, requestID...)
	b = append(b, AuditTailEventID...)
	b = append(b, id...)
	return append(b, AuditTailEnd...)
}

// AppendTime appends t as the tail writes it: t.UTC() in time.RFC3339Nano.
func (w *AuditTail) AppendTime(b []byte, t time.Time) []byte {
	t = t.UTC()
	if y := t.Year(); y < 1000 || y > 9999 {
		return t.AppendFormat(b, time.RFC3339Nano)
	}
	if sec := t.Unix(); w.prefix == nil || sec != w.sec {
		w.sec = sec
		w.prefix = t.AppendFormat(w.prefix[:0], "2006-01-02T15:04:05")
	}
	b = append(b, w.prefix...)
	if ns := t.Nanosecond(); ns != 0 {
		var frac [10]byte
		frac[0] = '.'
		for i := 9; i > 0; i-- {
			frac[i] = byte('0' + ns%10)
			ns /= 10
		}
		n := len(frac)
		for frac[n-1] == '0' {
			n--
		}
		b = append(b, frac[:n]...)
	}
	return append(b, 'Z')
}

// PlainAuditID reports whether id may be written in AuditTail's members
// as it is: JSON writes it unescaped (letters, digits and "-_.:/+=").
func PlainAuditID(id string) bool {
	for i := 0; i < len(id); i++ {
		if !plainAuditByte[id[i]] {
			return false
		}
	}
	return true
}

// plainAuditByte: the bytes PlainAuditID allows.
var plainAuditByte = func() (t [256]bool) {
	for _, c := range []byte("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:/+=") {
		t[c] = true
	}
	return t
}()

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
