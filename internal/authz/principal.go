package authz

import (
	"time"

	"github.com/iamq/iamq/eval"
)

// Principal is a verified caller, as the endpoint knows it from the access
// key that signed the request.
type Principal struct {
	Kind    eval.PrincipalKind // PrincipalRoot, PrincipalUser or PrincipalRoleSession
	Account string
	// ARN is the caller's ARN: arn:aws:iam::ACCOUNT:root, the user's ARN, or
	// the session's arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION.
	ARN    string
	UserID string // aws:userid
	// Name is the user's name, or the role's name for a role session.
	Name string
	// Session holds what a role session carries; zero for other callers.
	Session Session
}

// Session is what a temporary credential carries beyond its role: the
// session policies and tags given to AssumeRole, and when it was issued.
type Session struct {
	// Key identifies the session (its access key id): sessions of one role
	// with different session policies are cached apart.
	Key string
	// Policies are the inline session policy documents (the Policy
	// parameter); PolicyARNs the managed session policies (PolicyArns).
	Policies   []string
	PolicyARNs []string
	Tags       []eval.Tag
	Issued     time.Time
}

// temporary reports whether the principal acts with temporary credentials.
func (p *Principal) temporary() bool { return p.Session.Key != "" }

// cacheKey names the principal's compiled set in the cache. Sessions are
// cached per session, since session policies and tags differ.
func (p *Principal) cacheKey() string {
	switch p.Kind {
	case eval.PrincipalUser:
		return p.Account + "\x00user\x00" + p.Name
	case eval.PrincipalRoleSession:
		return p.Account + "\x00session\x00" + p.Name + "\x00" + p.Session.Key
	}
	return p.Account + "\x00" + p.ARN
}
