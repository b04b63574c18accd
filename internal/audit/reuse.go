package audit

import (
	"bytes"
	"slices"
)

// The writer encodes every call, and a caller repeats its calls: the same
// source, agent, identity and authorization, often the same parameters. So
// the encoder keeps the JSON of the last record's head (every member
// before requestParameters) and of the last raw input's parameters, and
// copies those bytes when the next record has the same values — comparing
// is cheaper than escaping and writing them again. (Issue 23: at most 5 %
// more server CPU per call with the log on.)

// maxReusedInput bounds the raw input the encoder keeps to compare with the
// next record's.
const maxReusedInput = 4096

// reuse is what the encoder keeps of the last record it wrote.
type reuse struct {
	head   []byte // the JSON of last's head (appendHead)
	headOK bool
	last   Record // last's head members, pointing at the copies below (or its Authorization)
	sc     SessionContext
	issuer SessionIssuer
	web    WebIDFederationData

	input     []byte // the last raw input and its requestParameters member
	inputForm bool
	params    []byte
	paramsOK  bool
	// What the last record's requestParameters member was: none (lastNone),
	// or input's (lastInput); else it was written from RequestParameters.
	lastNone, lastInput bool
}

// keepHead remembers r's head and its JSON. It copies what r points to, so
// that it keeps nothing of a call alive once its record is encoded, but
// for its Authorization, which the server shares between calls and never
// changes once recorded.
func (u *reuse) keepHead(r *Record, head []byte) {
	u.head = append(u.head[:0], head...)
	u.headOK = true
	u.last = Record{EventVersion: r.EventVersion, EventSource: r.EventSource, EventName: r.EventName, AWSRegion: r.AWSRegion,
		SourceIPAddress: r.SourceIPAddress, UserAgent: r.UserAgent, UserIdentity: r.UserIdentity, EventType: r.EventType,
		ReadOnly: r.ReadOnly, RecipientAccountID: r.RecipientAccountID}
	u.last.Authorization = r.Authorization // never changed once recorded: kept, not copied
	if sc := r.UserIdentity.SessionContext; sc != nil {
		u.sc = *sc
		if si := sc.SessionIssuer; si != nil {
			u.issuer = *si
			u.sc.SessionIssuer = &u.issuer
		}
		if w := sc.WebIDFederationData; w != nil {
			u.web = *w
			u.sc.WebIDFederationData = &u.web
		}
		u.last.UserIdentity.SessionContext = &u.sc
	}
}

// sameHead reports whether r's head is the last record's, so that its JSON
// is the same.
func (u *reuse) sameHead(r *Record) bool {
	l := &u.last
	return u.headOK && r.EventVersion == l.EventVersion && r.EventSource == l.EventSource && r.EventName == l.EventName &&
		r.AWSRegion == l.AWSRegion && r.SourceIPAddress == l.SourceIPAddress && r.UserAgent == l.UserAgent &&
		r.EventType == l.EventType && r.ReadOnly == l.ReadOnly && r.RecipientAccountID == l.RecipientAccountID &&
		sameIdentity(&r.UserIdentity, &l.UserIdentity) && sameAuthorization(r.Authorization, l.Authorization)
}

func sameIdentity(a, b *UserIdentity) bool {
	if a.Type != b.Type || a.PrincipalID != b.PrincipalID || a.ARN != b.ARN || a.AccountID != b.AccountID ||
		a.AccessKeyID != b.AccessKeyID || a.UserName != b.UserName || a.InvokedBy != b.InvokedBy {
		return false
	}
	x, y := a.SessionContext, b.SessionContext
	if x == nil || y == nil {
		return x == y
	}
	// time.Time's == also compares the location, which its JSON shows.
	return x.Attributes == y.Attributes && x.SourceIdentity == y.SourceIdentity &&
		samePtr(x.SessionIssuer, y.SessionIssuer) && samePtr(x.WebIDFederationData, y.WebIDFederationData)
}

// samePtr reports whether a and b are both nil or point to equal values.
func samePtr[T comparable](a, b *T) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

func sameAuthorization(a, b *Authorization) bool {
	if a == b {
		return true // the server shares an Authorization between calls
	}
	if a == nil || b == nil {
		return false
	}
	return a.Decision == b.Decision && a.Enforced == b.Enforced && a.Action == b.Action && a.Resource == b.Resource &&
		a.Reason == b.Reason && slices.Equal(a.Statements, b.Statements) && slices.Equal(a.Lacking, b.Lacking) &&
		slices.Equal(a.MissingContextKeys, b.MissingContextKeys)
}

// appendParams writes r's requestParameters member (none when it has no
// parameters): from its raw input, without secrets, or the last input's
// bytes when the raw input is the same.
func (u *reuse) appendParams(b []byte, r *Record) ([]byte, error) {
	in := r.Input
	r.Input = nil
	u.lastNone, u.lastInput = false, false
	if r.RequestParameters != nil || len(in) == 0 {
		if len(r.RequestParameters) == 0 {
			u.lastNone = true
			return b, nil
		}
		return appendParamsMember(b, r.RequestParameters)
	}
	if u.paramsOK && r.InputForm == u.inputForm && bytes.Equal(in, u.input) {
		u.lastInput = true
		return append(b, u.params...), nil
	}
	if r.InputForm {
		r.RequestParameters = QueryParameters(string(in))
	} else {
		r.RequestParameters = JSONParameters(in)
	}
	start := len(b)
	if len(r.RequestParameters) > 0 {
		var err error
		if b, err = appendParamsMember(b, r.RequestParameters); err != nil {
			return b, err
		}
	}
	u.paramsOK = len(in) <= maxReusedInput
	if u.paramsOK {
		u.input = append(u.input[:0], in...)
		u.inputForm = r.InputForm
		u.params = append(u.params[:0], b[start:]...)
		u.lastInput = true
	}
	return b, nil
}

// sameParams reports whether r's requestParameters member is the last
// record's, so that its bytes are the same.
func (u *reuse) sameParams(r *Record) bool {
	if r.RequestParameters != nil || len(r.Input) == 0 {
		return len(r.RequestParameters) == 0 && u.lastNone
	}
	return u.lastInput && r.InputForm == u.inputForm && bytes.Equal(r.Input, u.input)
}
