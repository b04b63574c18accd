package eval

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/iamq/iamq/policy"
)

// PrincipalKind is the kind of principal that makes a request. It decides
// which policies apply and how a resource-based policy may name the principal
// (IAM User Guide: "Policy evaluation logic", "AWS JSON policy elements:
// Principal").
type PrincipalKind uint8

// The kinds of principal.
const (
	// PrincipalUser is an IAM user.
	PrincipalUser PrincipalKind = iota
	// PrincipalRoot is the root user of an account: it has every permission
	// in its own account unless an explicit deny or an SCP takes it away.
	PrincipalRoot
	// PrincipalRoleSession is an assumed-role session
	// (arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION); its IdentityARN is the
	// role.
	PrincipalRoleSession
	// PrincipalFederatedUser is a federated user session from
	// GetFederationToken (arn:aws:sts::ACCOUNT:federated-user/NAME); its
	// IdentityARN is the IAM user that created it.
	PrincipalFederatedUser
	// PrincipalService is an AWS service principal (mq.amazonaws.com), which
	// only a resource-based policy can grant to.
	PrincipalService
	// PrincipalWebIdentity is an identity provider's caller (a SAML provider
	// ARN or an OIDC provider such as cognito-identity.amazonaws.com), matched
	// by a Federated principal in a role's trust policy.
	PrincipalWebIdentity
)

var principalKindNames = [...]string{"user", "root", "roleSession", "federatedUser", "service", "webIdentity"}

// String returns the kind's name as the corpus and the CLI write it.
func (k PrincipalKind) String() string {
	if int(k) < len(principalKindNames) {
		return principalKindNames[k]
	}
	return "PrincipalKind(" + strconv.Itoa(int(k)) + ")"
}

// ParsePrincipalKind returns the kind named s (as String writes it).
func ParsePrincipalKind(s string) (PrincipalKind, bool) {
	for i, n := range principalKindNames {
		if n == s {
			return PrincipalKind(i), true
		}
	}
	return 0, false
}

// Tag is one principal tag (aws:PrincipalTag/KEY).
type Tag struct {
	Key, Value string
}

// Principal is who makes a request.
type Principal struct {
	Kind PrincipalKind
	// ARN is the principal's own ARN: the user, the role session, the
	// federated user, arn:aws:iam::ACCOUNT:root, or the service or provider
	// name for PrincipalService and PrincipalWebIdentity.
	ARN string
	// IdentityARN is the IAM identity behind a session: the role of a role
	// session (arn:aws:iam::ACCOUNT:role/PATH/NAME), the IAM user of a
	// federated user session. Empty for the other kinds.
	IdentityARN string
	// Account is the principal's account id.
	Account string
	// UserID is the unique id that aws:userid carries (AIDA… for a user,
	// AROA…:SESSION for a role session). Optional.
	UserID string
	// Tags are the principal's tags (aws:PrincipalTag/KEY).
	Tags []Tag
}

// Request is one request to authorize: who asks to do what to which resource,
// in which context. A Request and its Context may be reused from request to
// request; Evaluate does not keep them.
type Request struct {
	Principal Principal
	// Action is "service:Action"; it matches case-insensitively.
	Action string
	// Resource is the resource's ARN, or "*" for an action that takes none.
	Resource string
	// ResourceAccount is the account that owns the resource. Empty means the
	// principal's account; a different account makes the request
	// cross-account (IAM User Guide: "Cross-account policy evaluation logic").
	ResourceAccount string
	// Context holds the request's condition keys. Nil is an empty context.
	// When it lacks them, Evaluate derives aws:PrincipalArn,
	// aws:PrincipalAccount, aws:PrincipalType, aws:username (IAM users),
	// aws:userid, aws:PrincipalTag/KEY, aws:PrincipalServiceName and
	// aws:ResourceAccount from the fields above.
	Context *Context
}

func (r *Request) crossAccount() bool {
	return r.ResourceAccount != "" && r.ResourceAccount != r.Principal.Account
}

type valueKind uint8

const (
	kindString valueKind = iota
	kindNumber
	kindBool
	kindDate
	kindIP
	kindBinary
)

// Value is one value of a context key. Make one with [String], [Number],
// [Bool], [Time], [IP] or [Binary]. A typed value is compared by its type; a
// String value is parsed by the operator that compares it (a String
// "203.0.113.7" matches an IpAddress condition).
type Value struct {
	kind valueKind
	s    string
	n    float64
	t    time.Time
	ip   netip.Addr
	b    []byte
}

// String returns a string value.
func String(s string) Value { return Value{kind: kindString, s: s} }

// Number returns a numeric value.
func Number(f float64) Value { return Value{kind: kindNumber, n: f} }

// Bool returns a boolean value.
func Bool(b bool) Value {
	v := Value{kind: kindBool}
	if b {
		v.n = 1
	}
	return v
}

// Time returns a date value (aws:CurrentTime).
func Time(t time.Time) Value { return Value{kind: kindDate, t: t} }

// IP returns an IP address value (aws:SourceIp).
func IP(a netip.Addr) Value { return Value{kind: kindIP, ip: a} }

// Binary returns a binary value, compared by BinaryEquals.
func Binary(b []byte) Value { return Value{kind: kindBinary, b: b} }

// Text returns the value as text: how string operators and policy variables
// see it. Only typed values other than String allocate here.
func (v Value) Text() string {
	switch v.kind {
	case kindNumber:
		return strconv.FormatFloat(v.n, 'f', -1, 64)
	case kindBool:
		return strconv.FormatBool(v.n != 0)
	case kindDate:
		return v.t.UTC().Format(time.RFC3339)
	case kindIP:
		return v.ip.String()
	case kindBinary:
		return b64(v.b)
	}
	return v.s
}

// ParseValue reads a context value written as text, by the type names of the
// IAM simulator's ContextKeyType: "string", "numeric", "boolean", "date",
// "ip" and "binary" (base64); a "List" suffix is accepted and ignored, since a
// Context key holds any number of values.
func ParseValue(typ, text string) (Value, error) {
	switch strings.TrimSuffix(typ, "List") {
	case "string", "":
		return String(text), nil
	case "numeric":
		n, err := policy.ParseNumber(text)
		return Number(n), err
	case "boolean":
		b, err := policy.ParseBool(text)
		return Bool(b), err
	case "date":
		t, err := policy.ParseDate(text)
		return Time(t), err
	case "ip":
		a, err := netip.ParseAddr(text)
		if err != nil {
			return Value{}, fmt.Errorf("%w: %q is not an IP address", policy.ErrValue, text)
		}
		return IP(a), nil
	case "binary":
		b, err := policy.ParseBinary(text)
		return Binary(b), err
	}
	return Value{}, fmt.Errorf("%w: %q", ErrValueType, typ)
}

// ErrValueType is returned by ParseValue for a type name it does not know.
var ErrValueType = errors.New("eval: unknown context value type")
