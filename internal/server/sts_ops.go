package server

import (
	"context"
	"net/http"

	"github.com/iamq/iamq/eval"
	"github.com/iamq/iamq/internal/authz"
	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/internal/sts"
)

// registerSTS registers the STS operations. AssumeRole authorizes itself
// (its trust policy takes part) and GetSessionToken needs no permission, as
// GetCallerIdentity (STS API Reference).
func (s *Server) registerSTS() {
	s.Errors(ServiceSTS, stsErrors...)
	s.Query(ServiceSTS, "GetCallerIdentity", s.getCallerIdentity, NoPermission)
	s.Query(ServiceSTS, "AssumeRole", s.assumeRole, NoPermission)
	s.Query(ServiceSTS, "GetSessionToken", s.getSessionToken, NoPermission)
}

// stsErrors maps STS's domain errors to its AWS codes (STS API Reference,
// AssumeRole, Errors).
var stsErrors = []ErrorCode{
	{store.ErrNotFound, CodeNoSuchEntity, http.StatusNotFound, Sender},
	{store.ErrLimitExceeded, CodeLimitExceeded, http.StatusConflict, Sender},
	{store.ErrConflict, CodeConcurrentModify, http.StatusConflict, Sender},
	{sts.ErrAccessDenied, CodeAccessDenied, http.StatusForbidden, Sender},
	{sts.ErrValidation, CodeValidationError, http.StatusBadRequest, Sender},
	{sts.ErrPackedPolicySize, CodePackedPolicyTooLarge, http.StatusBadRequest, Sender},
	{sts.ErrInvalidParameter, CodeInvalidParameterValue, http.StatusBadRequest, Sender},
}

// getCallerIdentity answers who the caller is; AWS never denies it.
func (s *Server) getCallerIdentity(ctx context.Context, c *Call) (any, error) {
	return callerIdentityResult(sts.GetCallerIdentity(c.Caller)), nil
}

// callerIdentityResult is GetCallerIdentityResult (STS API Reference), written
// without reflection because it is the benchmark's hot path.
type callerIdentityResult sts.CallerIdentity

// AppendXML appends <Arn>, <UserId> and <Account>.
func (r callerIdentityResult) AppendXML(b []byte) []byte {
	b = AppendXMLElement(b, "Arn", r.ARN)
	b = AppendXMLElement(b, "UserId", r.UserID)
	return AppendXMLElement(b, "Account", r.Account)
}

// xmlCredentials is the model's Credentials.
type xmlCredentials struct {
	AccessKeyId     string
	SecretAccessKey string
	SessionToken    string
	Expiration      string
}

func credentialsXML(cr sts.Credentials) xmlCredentials {
	return xmlCredentials{cr.AccessKeyID, cr.SecretAccessKey, cr.SessionToken, ISODate(cr.Expiration)}
}

type assumeRoleResult struct {
	Credentials     xmlCredentials
	AssumedRoleUser struct {
		AssumedRoleId string
		Arn           string
	}
	PackedPolicySize int
	SourceIdentity   string `xml:",omitempty"`
}

func (s *Server) assumeRole(ctx context.Context, c *Call) (any, error) {
	f := c.Form
	in := sts.AssumeRoleInput{RoleARN: f.String("RoleArn"), RoleSessionName: f.String("RoleSessionName"),
		ExternalID: f.Get("ExternalId"), Policy: f.Get("Policy"), TransitiveKeys: f.List("TransitiveTagKeys"),
		SourceIdentity: f.Get("SourceIdentity"), Tags: Tags[store.Tag](f, "Tags")}
	if n, ok := f.Int("DurationSeconds"); ok {
		in.DurationSeconds = &n // 0 too: absent and 0 differ
	}
	for _, m := range f.Members("PolicyArns") {
		in.PolicyARNs = append(in.PolicyARNs, m.Get("arn"))
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	var policies sts.PolicyLookup
	if s.opts.Authz != nil {
		policies = s.opts.Authz.PolicyExists
	}
	out, err := s.sts.AssumeRole(ctx, c.Caller, in, func(ctx context.Context, r sts.TrustRequest) error {
		return s.authorizeTrust(ctx, c, r)
	}, policies)
	if err != nil {
		return nil, err
	}
	s.creds.invalidate() // a new key exists
	res := assumeRoleResult{Credentials: credentialsXML(out.Credentials), PackedPolicySize: out.PackedPolicySize, SourceIdentity: out.SourceIdentity}
	res.AssumedRoleUser.AssumedRoleId, res.AssumedRoleUser.Arn = out.AssumedRoleID, out.ARN
	return res, nil
}

// authorizeTrust decides one of AssumeRole's actions: the caller's policies
// and the role's trust policy, with the request's sts: keys (IAM User Guide,
// "AWS STS condition context keys").
func (s *Server) authorizeTrust(ctx context.Context, c *Call, r sts.TrustRequest) error {
	if s.opts.Authz == nil {
		return nil // enforcement off (protocol tests)
	}
	trust, err := authz.CompileTrust(r.RoleARN, r.Role.AssumeRolePolicy)
	if err != nil {
		return err
	}
	p := c.Caller
	in := r.Input
	keys := func(ec *eval.Context) {
		ec.Add("sts:RoleSessionName", eval.String(in.RoleSessionName))
		if in.ExternalID != "" {
			ec.Add("sts:ExternalId", eval.String(in.ExternalID))
		}
		if in.SourceIdentity != "" {
			ec.Add("sts:SourceIdentity", eval.String(in.SourceIdentity))
		}
		if len(r.Tags) > 0 {
			keys := make([]eval.Value, 0, len(r.Tags))
			for _, t := range r.Tags {
				ec.Add("aws:RequestTag/"+t.Key, eval.String(t.Value))
				keys = append(keys, eval.String(t.Key))
			}
			ec.Add("aws:TagKeys", keys...)
		}
		if len(in.TransitiveKeys) > 0 {
			vs := make([]eval.Value, 0, len(in.TransitiveKeys))
			for _, k := range in.TransitiveKeys {
				vs = append(vs, eval.String(k))
			}
			ec.Add("sts:TransitiveTagKeys", vs...)
		}
	}
	return s.opts.Authz.Authorize(ctx, &p, &authz.Request{Action: r.Action, Resource: r.RoleARN, ResourceAccount: r.Role.AccountID,
		Info: requestInfo(c), Keys: keys, Trust: trust})
}

type sessionTokenResult struct {
	Credentials xmlCredentials
}

func (s *Server) getSessionToken(ctx context.Context, c *Call) (any, error) {
	var seconds *int
	if n, ok := c.Form.Int("DurationSeconds"); ok {
		seconds = &n // 0 too: absent and 0 differ
	}
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	cr, err := s.sts.GetSessionToken(ctx, c.Caller, seconds)
	if err != nil {
		return nil, err
	}
	s.creds.invalidate()
	return sessionTokenResult{credentialsXML(cr)}, nil
}
