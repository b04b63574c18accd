package authz

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/eval"
	"github.com/iamq/iamq/internal/store"
)

// Principal is who is calling: a verified caller, as the endpoint knows it
// from the access key that signed the request (the root of an account, a
// user, a role session), or a principal the simulator stands in for. It is
// the one caller type every package uses.
type Principal struct {
	Kind    eval.PrincipalKind // PrincipalRoot, PrincipalUser or PrincipalRoleSession
	Account string
	// ARN is the caller's ARN: arn:aws:iam::ACCOUNT:root, the user's ARN, or
	// the session's arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION.
	ARN    string
	UserID string // aws:userid
	// Name is the user's name, or the role's name for a role session; "" for
	// the root.
	Name string
	// Key is the access key the request was signed with, without its secret
	// or session token; nil for dev mode's unsigned roots and the simulator.
	Key *store.AccessKey
	// Session is what a temporary credential carries (a role session's
	// policies and tags, or a GetSessionToken session); nil for long-term
	// keys.
	Session *Session
	// User is the IAM user a user's key belongs to, as read with the key
	// (with its tags); nil for other callers or when not read. It is as
	// fresh as the key: the credential cache holds both and drops both when
	// the key or the user changes.
	User *store.User
	// Service is the AWS service (mq.amazonaws.com) acting through its
	// service-linked role, for the role session ServiceRole makes; "" for
	// every caller that signs its own requests.
	Service string
}

// ServiceRole is service (its principal, mq.amazonaws.com) acting in
// account through its service-linked role roleName: a session of the role,
// named after the service, decided by the role's policies (the service's
// AWS managed policy, AmazonMQServiceRolePolicy for Amazon MQ) as AWS
// decides what a service does with its service-linked role (IAM User Guide,
// "Using service-linked roles").
func ServiceRole(account, service, roleID, roleName string) Principal {
	return Principal{Kind: eval.PrincipalRoleSession, Account: account, ARN: arn.AssumedRole(account, roleName, service).String(),
		UserID: roleID + ":" + service, Name: roleName, Session: &Session{Name: service}, Service: service}
}

// Session is a temporary credential's data, kept as JSON in
// store.AccessKey.Session: the session's name and what AssumeRole was given.
type Session struct {
	Name string `json:"name"`
	// Policies are the inline session policy (AssumeRole's Policy);
	// PolicyARNs the managed session policies (PolicyArns).
	Policies   []string `json:"policies,omitempty"`
	PolicyARNs []string `json:"policyArns,omitempty"`
	// Tags are the session tags; Transitive the keys that pass on to a
	// chained role session.
	Tags       []store.Tag `json:"tags,omitempty"`
	Transitive []string    `json:"transitive,omitempty"`
	// SourceIdentity is set once and passes on to chained sessions.
	SourceIdentity string    `json:"sourceIdentity,omitempty"`
	Issued         time.Time `json:"issued"`
	// Chained: the session was made by a role session (role chaining,
	// limited to one hour).
	Chained bool `json:"chained,omitempty"`
	// UserSession: a GetSessionToken session of an IAM user or root; it
	// acts as its owner, not as a role.
	UserSession bool `json:"userSession,omitempty"`
	// FederatedProvider is the ARN of the identity provider (OIDC or SAML)
	// that a federated role session was made with: aws:FederatedProvider.
	FederatedProvider string `json:"federatedProvider,omitempty"`
	// FederatedUser: a GetFederationToken session of an IAM user, named
	// Name (arn:aws:sts::ACCOUNT:federated-user/NAME); its permissions are
	// the user's intersected with the session policies, none without them.
	FederatedUser bool `json:"federatedUser,omitempty"`
	// MFA: the session was made with an MFA code (GetSessionToken's or
	// AssumeRole's SerialNumber and TokenCode), at Issued. It carries
	// aws:MultiFactorAuthPresent true and aws:MultiFactorAuthAge.
	MFA bool `json:"mfa,omitempty"`
}

// Root is the root of account.
func Root(account string) Principal {
	return Principal{Kind: eval.PrincipalRoot, Account: account, ARN: arn.Root(account).String(), UserID: account}
}

// PrincipalForKey is the principal an access key acts as. userPath is the
// path of the owning user ("/" when unknown), needed for the user's ARN. The
// returned Principal's Key holds k without its secret and token.
func PrincipalForKey(k store.AccessKey, userPath string) (Principal, error) {
	k.Secret, k.SessionToken = "", ""
	var p Principal
	switch k.Owner.Kind {
	case store.KindAccount:
		p = Root(k.AccountID)
	case store.KindUser:
		p = Principal{Kind: eval.PrincipalUser, Account: k.AccountID, ARN: arn.User(k.AccountID, cleanPath(userPath), k.Owner.Name).String(),
			UserID: k.OwnerID, Name: k.Owner.Name}
	case store.KindRole:
		var s Session
		if err := json.Unmarshal(k.Session, &s); err != nil || s.Name == "" {
			return Principal{}, fmt.Errorf("authz: role session of key %s has no session name", k.ID)
		}
		p = Principal{Kind: eval.PrincipalRoleSession, Account: k.AccountID, ARN: arn.AssumedRole(k.AccountID, k.Owner.Name, s.Name).String(),
			UserID: k.OwnerID + ":" + s.Name, Name: k.Owner.Name, Session: &s}
	default:
		return Principal{}, fmt.Errorf("authz: access key %s has an owner of kind %q", k.ID, k.Owner.Kind)
	}
	if p.Session == nil && len(k.Session) > 0 {
		// GetSessionToken's temporary key of a user or root: it acts as
		// its owner, and is known to be temporary.
		var s Session
		if err := json.Unmarshal(k.Session, &s); err != nil {
			return Principal{}, fmt.Errorf("authz: session of key %s: %w", k.ID, err)
		}
		p.Session = &s
	}
	if p.Session != nil && p.Session.FederatedUser {
		if (p.Kind != eval.PrincipalUser && p.Kind != eval.PrincipalRoot) || p.Session.Name == "" {
			return Principal{}, fmt.Errorf("authz: federation token %s has no user or no name", k.ID)
		}
		// A federated user: its own ARN and id, the user's name for its
		// policies (the user's ARN is its IdentityARN, set when loaded).
		p.Kind, p.ARN, p.UserID = eval.PrincipalFederatedUser, arn.FederatedUser(k.AccountID, p.Session.Name).String(), k.AccountID+":"+p.Session.Name
	}
	p.Key = &k
	return p, nil
}

// cleanPath makes an IAM path fit between "user" and the name: "/" or
// "/division/".
func cleanPath(p string) string {
	if p == "" {
		return "/"
	}
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p
}

// temporary reports whether the principal acts with temporary credentials.
func (p *Principal) temporary() bool { return p.Session != nil }

// sessionKey names a role session among its role's: its access key, or the
// session's name for one without a key (the simulator's).
func (p *Principal) sessionKey() string {
	if p.Key != nil {
		return p.Key.ID
	}
	if p.Session != nil {
		return p.Session.Name
	}
	return ""
}

// cacheKey names the principal's compiled set in the cache. Sessions are
// cached per session, since session policies and tags differ.
func (p *Principal) cacheKey() string {
	switch p.Kind {
	case eval.PrincipalUser:
		return p.Account + "\x00user\x00" + p.Name
	case eval.PrincipalRoleSession:
		return p.Account + "\x00session\x00" + p.Name + "\x00" + p.sessionKey()
	case eval.PrincipalFederatedUser:
		return p.Account + "\x00federated\x00" + p.Name + "\x00" + p.sessionKey()
	}
	return p.Account + "\x00" + p.ARN
}
