package sts

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/iamq/iamq/internal/store"
)

// PrincipalType is the kind of principal a caller is, as the
// aws:PrincipalType condition key names it.
type PrincipalType string

// The principal types iamq's access keys act as.
const (
	PrincipalRoot        PrincipalType = "Account"
	PrincipalUser        PrincipalType = "User"
	PrincipalAssumedRole PrincipalType = "AssumedRole"
	PrincipalFederated   PrincipalType = "FederatedUser"
)

// Caller is a verified principal: who a request's access key acts as.
type Caller struct {
	Account string        // the 12-digit account id
	ARN     string        // arn:aws:iam::ACCOUNT:root, …:user/PATH/NAME, arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION
	UserID  string        // the account id, the user's id, or ROLEID:SESSION (aws:userid)
	Type    PrincipalType // aws:PrincipalType
	Name    string        // the user's or role's name; "" for the root
	// Key is the access key the request was signed with, without its secret
	// or session token; nil for dev mode's unsigned roots.
	Key *store.AccessKey
	// Session is what a role session carries (its policies and tags); nil
	// for long-term keys.
	Session *Session
	// User is the IAM user a user's key belongs to, as read with the key
	// (with its tags); nil for other callers or when not read. It is as
	// fresh as the key: the endpoint's credential cache holds both and drops
	// both on every change.
	User *store.User
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
}

// RootCaller is the root of account.
func RootCaller(account string) Caller {
	return Caller{Account: account, ARN: "arn:aws:iam::" + account + ":root", UserID: account, Type: PrincipalRoot}
}

// CallerForKey is the principal an access key acts as. userPath is the path
// of the owning user ("/" when unknown), needed for the user's ARN. The
// returned Caller's Key holds k without its secret and token.
func CallerForKey(k store.AccessKey, userPath string) (Caller, error) {
	k.Secret, k.SessionToken = "", ""
	var c Caller
	switch k.Owner.Kind {
	case store.KindAccount:
		c = RootCaller(k.AccountID)
	case store.KindUser:
		c = Caller{Account: k.AccountID, ARN: "arn:aws:iam::" + k.AccountID + ":user" + cleanPath(userPath) + k.Owner.Name,
			UserID: k.OwnerID, Type: PrincipalUser, Name: k.Owner.Name}
	case store.KindRole:
		var s Session
		if err := json.Unmarshal(k.Session, &s); err != nil || s.Name == "" {
			return Caller{}, fmt.Errorf("sts: role session of key %s has no session name", k.ID)
		}
		c = Caller{Account: k.AccountID, ARN: "arn:aws:sts::" + k.AccountID + ":assumed-role/" + k.Owner.Name + "/" + s.Name,
			UserID: k.OwnerID + ":" + s.Name, Type: PrincipalAssumedRole, Name: k.Owner.Name, Session: &s}
	default:
		return Caller{}, fmt.Errorf("sts: access key %s has an owner of kind %q", k.ID, k.Owner.Kind)
	}
	if c.Session == nil && len(k.Session) > 0 {
		// GetSessionToken's temporary key of a user or root: it acts as
		// its owner, and is known to be temporary.
		var s Session
		if err := json.Unmarshal(k.Session, &s); err != nil {
			return Caller{}, fmt.Errorf("sts: session of key %s: %w", k.ID, err)
		}
		c.Session = &s
	}
	c.Key = &k
	return c, nil
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

// CallerIdentity is GetCallerIdentity's result.
type CallerIdentity struct {
	Account string
	ARN     string
	UserID  string
}

// GetCallerIdentity returns who the caller is. It needs no permission and
// cannot be denied, as in AWS.
func GetCallerIdentity(c Caller) CallerIdentity {
	return CallerIdentity{Account: c.Account, ARN: c.ARN, UserID: c.UserID}
}
