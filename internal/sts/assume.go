package sts

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/eval"
	"github.com/iamq/iamq/internal/authz"
	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/store"
)

// The errors of the STS operations; the endpoint's error table maps them to
// AWS's codes.
var (
	ErrValidation       = errors.New("sts: validation error")        // ValidationError
	ErrAccessDenied     = errors.New("sts: access denied")           // AccessDenied
	ErrPackedPolicySize = errors.New("sts: packed policy too large") // PackedPolicyTooLarge
	ErrMalformedPolicy  = errors.New("sts: malformed policy")        // MalformedPolicyDocument
	ErrInvalidParameter = errors.New("sts: invalid parameter")       // InvalidParameterValue
)

// Limits of AssumeRole and GetSessionToken (STS API Reference).
const (
	MinDuration         = 900    // seconds, every temporary credential
	MaxRoleDuration     = 43200  // seconds, a role's MaxSessionDuration at most
	ChainedDuration     = 3600   // seconds, a session made by a role session
	MaxUserDuration     = 129600 // seconds, GetSessionToken of an IAM user
	DefaultUserDuration = 43200  // seconds, GetSessionToken's default
	RootSessionDuration = 3600   // seconds, GetSessionToken of a root at most
	MaxPolicyARNs       = 10
	MaxSessionTags      = 50
	// packedLimit is what the session policies (and, apart, the session
	// tags) may occupy in packed form. AWS does not publish its packing; iamq
	// counts the characters of the compact inline policy plus those of each
	// policy ARN, and of each tag's key and value, against 2,048.
	packedLimit = 2048
)

// Options configure a Service. The zero value is the default.
type Options struct {
	Now func() time.Time // nil means time.Now
	// Authz decides AssumeRole's actions with the role's trust policy and
	// finds the session's managed policies; nil trusts every caller and
	// accepts every policy ARN (tests of the wire alone).
	Authz *authz.Authorizer
	// CheckPolicy validates a session policy document (an error for
	// MalformedPolicyDocument) and returns its size without white space; nil
	// means authz.CheckSessionPolicy.
	CheckPolicy func(text string) (size int, err error)
	// OIDCKeys finds OIDC providers' signing keys; nil means a [LocalKeys]
	// that reads no file.
	OIDCKeys OIDCKeys
}

// Service runs the STS operations over one store.
type Service struct {
	store store.Store
	opts  Options
}

// New returns a Service over st.
func New(st store.Store, o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.CheckPolicy == nil {
		o.CheckPolicy = authz.CheckSessionPolicy
	}
	if o.OIDCKeys == nil {
		o.OIDCKeys = &LocalKeys{}
	}
	return &Service{store: st, opts: o}
}

// AssumeRoleInput is AssumeRole's request (STS API Reference).
type AssumeRoleInput struct {
	RoleARN         string
	RoleSessionName string
	// DurationSeconds is nil when absent (one hour). A value given is
	// checked, 0 included: the model's minimum is 900 (roleDurationSecondsType).
	DurationSeconds *int
	ExternalID      string
	Policy          string
	PolicyARNs      []string
	Tags            []store.Tag
	TransitiveKeys  []string
	SourceIdentity  string
	// MFA is the caller's device and code, when the role's trust policy
	// asks for MFA.
	MFA MFA
}

// Credentials are temporary security credentials.
type Credentials struct {
	AccessKeyID, SecretAccessKey, SessionToken string
	Expiration                                 time.Time
}

// AssumeRoleOutput is AssumeRole's result.
type AssumeRoleOutput struct {
	Credentials      Credentials
	AssumedRoleID    string // ROLEID:SESSION
	ARN              string // arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION
	PackedPolicySize int    // percent of the allowed size
	SourceIdentity   string
}

// TrustRequest is one authorization AssumeRole needs: Action (sts:AssumeRole,
// sts:TagSession or sts:SetSourceIdentity) on the role, with the role's trust
// policy as its resource-based policy and the request's sts: keys.
type TrustRequest struct {
	Action  string
	Role    store.Role
	RoleARN string
	Input   *AssumeRoleInput
	// Tags are the session's tags, inherited transitive ones included.
	Tags []store.Tag
}

// AssumeRole makes a role session for caller (STS API Reference, AssumeRole;
// IAM User Guide, "Methods to assume a role"). The trust policy decides with
// the caller's own policies (info is what the request says of its context);
// the session's managed policies (PolicyArns) must exist in the role's
// account.
func (s *Service) AssumeRole(ctx context.Context, caller authz.Principal, info authz.RequestInfo, in AssumeRoleInput) (AssumeRoleOutput, error) {
	if caller.Kind == eval.PrincipalRoot {
		return AssumeRoleOutput{}, fmt.Errorf("%w: Roles may not be assumed by root accounts.", ErrAccessDenied)
	}
	if caller.Kind == eval.PrincipalFederatedUser {
		// A GetFederationToken session may call no STS operation but
		// GetCallerIdentity (STS API Reference, GetFederationToken).
		return AssumeRoleOutput{}, fmt.Errorf("%w: User: %s is not authorized to perform: sts:AssumeRole on resource: %s", ErrAccessDenied, caller.ARN, in.RoleARN)
	}
	seconds, err := validateAssume(&in)
	if err != nil {
		return AssumeRoleOutput{}, err
	}
	chained := caller.Kind == eval.PrincipalRoleSession
	packed, err := s.packPolicies(&in)
	if err != nil {
		return AssumeRoleOutput{}, err
	}
	tags, err := sessionTags(caller, &in)
	if err != nil {
		return AssumeRoleOutput{}, err
	}
	account, ok := roleAccount(in.RoleARN)
	if !ok {
		return AssumeRoleOutput{}, fmt.Errorf("%w: %s is not a valid role ARN.", ErrValidation, in.RoleARN)
	}
	role, err := s.role(ctx, account, in.RoleARN)
	if errors.Is(err, store.ErrNotFound) {
		// Whether the role exists is not told: the refusal is AccessDenied.
		return AssumeRoleOutput{}, fmt.Errorf("%w: User: %s is not authorized to perform: sts:AssumeRole on resource: %s", ErrAccessDenied, caller.ARN, in.RoleARN)
	}
	if err != nil {
		return AssumeRoleOutput{}, err
	}
	if err := checkDuration(seconds, role.MaxSessionDuration, chained); err != nil {
		return AssumeRoleOutput{}, err
	}
	if in.MFA.given() {
		// The code is checked before the trust policy, which then sees
		// aws:MultiFactorAuthPresent true and aws:MultiFactorAuthAge 0.
		if info.MFAAuth, err = s.checkMFA(ctx, caller, in.MFA); err != nil {
			return AssumeRoleOutput{}, err
		}
	}
	if err := s.authorizeAll(ctx, caller, info, TrustRequest{Role: role, RoleARN: in.RoleARN, Input: &in, Tags: tags}); err != nil {
		return AssumeRoleOutput{}, err
	}
	// After the authorization, so that a caller the role does not trust
	// learns nothing of the policies in its account.
	var lookup PolicyLookup
	if s.opts.Authz != nil {
		lookup = s.opts.Authz.PolicyExists
	}
	if err := checkPolicyARNs(ctx, lookup, account, in.PolicyARNs); err != nil {
		return AssumeRoleOutput{}, err
	}
	sess := authz.Session{Name: in.RoleSessionName, PolicyARNs: in.PolicyARNs, Tags: tags, Transitive: transitive(caller, in.TransitiveKeys),
		SourceIdentity: in.SourceIdentity, Issued: s.opts.Now().UTC().Truncate(time.Second), Chained: chained,
		// A session made with MFA passes it on to the role sessions it makes.
		MFA: !info.MFAAuth.IsZero() || caller.Session != nil && caller.Session.UserSession && caller.Session.MFA}
	if in.Policy != "" {
		sess.Policies = []string{in.Policy}
	}
	if sess.SourceIdentity == "" && caller.Session != nil {
		sess.SourceIdentity = caller.Session.SourceIdentity // it passes on to chained sessions
	}
	creds, err := s.issue(ctx, account, store.EntityRef{Kind: store.KindRole, Name: role.Name}, sess, seconds)
	if err != nil {
		return AssumeRoleOutput{}, err
	}
	return AssumeRoleOutput{Credentials: creds, AssumedRoleID: role.ID + ":" + in.RoleSessionName,
		ARN: arn.AssumedRole(account, role.Name, in.RoleSessionName).String(), PackedPolicySize: packed,
		SourceIdentity: sess.SourceIdentity}, nil
}

// PolicyLookup finds the managed policy arn as account sees it (the
// authorizer, which resolves sessions' policies the same way): nil when it
// exists — an AWS managed policy, or a customer managed policy of account —
// or an error matching store.ErrNotFound (or iam.ErrInvalidInput or
// iam.ErrValidation for an ARN IAM does not accept).
type PolicyLookup func(ctx context.Context, account, arn string) error

// checkPolicyARNs refuses session policies that do not exist in the role's
// account: "The policies must exist in the same account as the role" (STS
// API Reference, AssumeRole, PolicyArns); AWS managed policies
// (arn:aws:iam::aws:policy/…) exist in every account. Accepting others made
// a session that could do nothing, where AWS refuses the call. The code,
// InvalidParameterValue, is STS's for an invalid parameter value (STS API
// Reference, Common Errors); AWS's text is not published.
func checkPolicyARNs(ctx context.Context, lookup PolicyLookup, account string, arns []string) error {
	if lookup == nil {
		return nil
	}
	for _, arn := range arns {
		err := lookup(ctx, account, arn)
		if errors.Is(err, store.ErrNotFound) || errors.Is(err, iam.ErrInvalidInput) || errors.Is(err, iam.ErrValidation) {
			return fmt.Errorf("%w: Policy %s does not exist in the account of the role.", ErrInvalidParameter, arn)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// role reads the role that arn names, checking its path.
func (s *Service) role(ctx context.Context, account, roleARN string) (store.Role, error) {
	var role store.Role
	err := s.store.View(ctx, account, func(tx store.Tx) error {
		var err error
		role, err = tx.Role(arn.FriendlyName(roleARN)) // roleAccount saw "role/" in it
		if err == nil && arn.Role(account, role.Path, role.Name).String() != roleARN {
			err = fmt.Errorf("sts: role %s: %w", roleARN, store.ErrNotFound)
		}
		return err
	})
	return role, err
}

// issue stores a temporary key for owner in account: every node accepts it
// until it expires.
func (s *Service) issue(ctx context.Context, account string, owner store.EntityRef, sess authz.Session, seconds int) (Credentials, error) {
	data, err := json.Marshal(sess)
	if err != nil {
		return Credentials{}, err
	}
	expires := sess.Issued.Add(time.Duration(seconds) * time.Second)
	k := store.AccessKey{Owner: owner, Status: store.KeyActive, Expires: expires, SessionToken: newToken(), Session: data}
	err = s.store.Update(ctx, account, func(tx store.Tx) error {
		var err error
		k, err = tx.CreateAccessKey(k)
		return err
	})
	if err != nil {
		return Credentials{}, err
	}
	return Credentials{AccessKeyID: k.ID, SecretAccessKey: k.Secret, SessionToken: k.SessionToken, Expiration: expires}, nil
}

// newToken returns a random session token: 96 random bytes, base64.
func newToken() string {
	b := make([]byte, 96)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return base64.StdEncoding.EncodeToString(b)
}

// roleAccount returns the account of arn:aws:iam::ACCOUNT:role/PATH/NAME.
func roleAccount(s string) (string, bool) {
	a, ok := arn.Split(s)
	if !ok || a.Partition != arn.PartitionAWS || a.Service != arn.ServiceIAM || a.Region != "" || !arn.IsAccountID(a.Account) ||
		!strings.HasPrefix(a.Resource, arn.TypeRole+"/") || strings.HasSuffix(a.Resource, "/") {
		return "", false
	}
	return a.Account, true
}

// GetSessionToken returns temporary credentials that act as caller, an IAM
// user or a root (STS API Reference, GetSessionToken). seconds nil means the
// default: 12 hours for a user, one hour for a root; a value given is
// checked against the model's durationSecondsType (900 to 129,600), 0
// included. With mfa, the code is checked against the caller's device and
// the session carries MFA: it may then call IAM.
func (s *Service) GetSessionToken(ctx context.Context, caller authz.Principal, seconds *int, mfa MFA) (Credentials, error) {
	if caller.Kind != eval.PrincipalUser && caller.Kind != eval.PrincipalRoot || caller.Session != nil {
		return Credentials{}, fmt.Errorf("%w: Cannot call GetSessionToken with session credentials", ErrAccessDenied)
	}
	max, def := MaxUserDuration, DefaultUserDuration
	if caller.Kind == eval.PrincipalRoot {
		max, def = RootSessionDuration, RootSessionDuration
	}
	n := def
	if seconds != nil {
		n = *seconds
	}
	if err := durationBounds(n, max); err != nil {
		return Credentials{}, err
	}
	sess := authz.Session{UserSession: true, Issued: s.opts.Now().UTC().Truncate(time.Second)}
	if mfa.given() {
		at, err := s.checkMFA(ctx, caller, mfa)
		if err != nil {
			return Credentials{}, err
		}
		sess.Issued, sess.MFA = at, true
	}
	owner := store.EntityRef{Kind: store.KindAccount}
	if caller.Kind == eval.PrincipalUser {
		owner = store.EntityRef{Kind: store.KindUser, Name: caller.Name}
	}
	return s.issue(ctx, caller.Account, owner, sess, n)
}
