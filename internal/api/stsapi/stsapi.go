package stsapi

import (
	"context"
	"net/http"

	"github.com/iamq/iamq/internal/server"
	"github.com/iamq/iamq/internal/sts"
)

// api serves STS's operations over the STS service.
type api struct{ sts *sts.Service }

// Register registers STS's Query operations and error codes with srv.
// AssumeRole authorizes itself (its trust policy takes part, in package
// sts) and GetSessionToken needs no permission, as GetCallerIdentity (STS
// API Reference).
func Register(srv *server.Server, svc *sts.Service) {
	a := &api{sts: svc}
	// STS has an endpoint in every region; the namespace is the model's
	// xmlNamespace.
	srv.AddQueryService(server.QueryService{Name: Service, Version: "2011-06-15",
		Namespace: "https://sts.amazonaws.com/doc/2011-06-15/"})
	srv.Errors(Service, errorCodes...)
	srv.Query(Service, "GetCallerIdentity", getCallerIdentity, server.NoPermission)
	srv.Query(Service, "AssumeRole", a.assumeRole, server.NoPermission)
	srv.Query(Service, "GetSessionToken", a.getSessionToken, server.NoPermission)
	registerFederation(srv, a)
	registerStandalone(srv)
}

// Service is STS's signing name, under which its Query calls arrive.
const Service server.Service = "sts"

// STS's own error codes (STS API Reference, Common Errors and AssumeRole's
// Errors).
const (
	codeNoSuchEntity          server.Code = "NoSuchEntity"
	codeLimitExceeded         server.Code = "LimitExceeded"
	codeConcurrentModify      server.Code = "ConcurrentModification"
	codePackedPolicyTooLarge  server.Code = "PackedPolicyTooLarge"
	codeInvalidParameterValue server.Code = "InvalidParameterValue"
)

// errorCodes maps STS's domain errors to its AWS codes (STS API Reference,
// AssumeRole, Errors).
var errorCodes = []server.ErrorCode{
	{Err: sts.ErrNotFound, Code: codeNoSuchEntity, Status: http.StatusNotFound, Fault: server.Sender},
	{Err: sts.ErrLimitExceeded, Code: codeLimitExceeded, Status: http.StatusConflict, Fault: server.Sender},
	{Err: sts.ErrConflict, Code: codeConcurrentModify, Status: http.StatusConflict, Fault: server.Sender},
	{Err: sts.ErrAccessDenied, Code: server.CodeAccessDenied, Status: http.StatusForbidden, Fault: server.Sender},
	{Err: sts.ErrValidation, Code: server.CodeValidationError, Status: http.StatusBadRequest, Fault: server.Sender},
	{Err: sts.ErrPackedPolicySize, Code: codePackedPolicyTooLarge, Status: http.StatusBadRequest, Fault: server.Sender},
	{Err: sts.ErrInvalidParameter, Code: codeInvalidParameterValue, Status: http.StatusBadRequest, Fault: server.Sender},
}

// getCallerIdentity answers who the caller is; AWS never denies it.
func getCallerIdentity(ctx context.Context, c *server.Call) (any, error) {
	return callerIdentityResult(sts.GetCallerIdentity(c.Caller)), nil
}

// callerIdentityResult is GetCallerIdentityResult (STS API Reference), written
// without reflection because it is the benchmark's hot path.
type callerIdentityResult sts.CallerIdentity

// AppendXML appends <Arn>, <UserId> and <Account>.
func (r callerIdentityResult) AppendXML(b []byte) []byte {
	b = server.AppendXMLElement(b, "Arn", r.ARN)
	b = server.AppendXMLElement(b, "UserId", r.UserID)
	return server.AppendXMLElement(b, "Account", r.Account)
}

// xmlCredentials is the model's Credentials.
type xmlCredentials struct {
	AccessKeyId     string
	SecretAccessKey string
	SessionToken    string
	Expiration      string
}

func credentialsXML(cr sts.Credentials) xmlCredentials {
	return xmlCredentials{cr.AccessKeyID, cr.SecretAccessKey, cr.SessionToken, server.ISODate(cr.Expiration)}
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

func (a *api) assumeRole(ctx context.Context, c *server.Call) (any, error) {
	f := c.Form
	in := sts.AssumeRoleInput{RoleARN: f.String("RoleArn"), RoleSessionName: f.String("RoleSessionName"),
		ExternalID: f.Get("ExternalId"), Policy: f.Get("Policy"), TransitiveKeys: f.List("TransitiveTagKeys"),
		SourceIdentity: f.Get("SourceIdentity"), Tags: server.Tags[sts.Tag](f, "Tags"),
		MFA: sts.MFA{SerialNumber: f.Get("SerialNumber"), TokenCode: f.Get("TokenCode")}}
	in.DurationSeconds, in.PolicyARNs = sessionParams(f)
	if err := f.Err(); err != nil {
		return nil, err
	}
	out, err := a.sts.AssumeRole(ctx, c.Caller, c.RequestInfo(), in)
	if err != nil {
		return nil, err
	}
	res := assumeRoleResult{Credentials: credentialsXML(out.Credentials), PackedPolicySize: out.PackedPolicySize, SourceIdentity: out.SourceIdentity}
	res.AssumedRoleUser.AssumedRoleId, res.AssumedRoleUser.Arn = out.AssumedRoleID, out.ARN
	return res, nil
}

type sessionTokenResult struct {
	Credentials xmlCredentials
}

func (a *api) getSessionToken(ctx context.Context, c *server.Call) (any, error) {
	var seconds *int
	if n, ok := c.Form.Int("DurationSeconds"); ok {
		seconds = &n // 0 too: absent and 0 differ
	}
	mfa := sts.MFA{SerialNumber: c.Form.Get("SerialNumber"), TokenCode: c.Form.Get("TokenCode")}
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	cr, err := a.sts.GetSessionToken(ctx, c.Caller, seconds, mfa)
	if err != nil {
		return nil, err
	}
	return sessionTokenResult{credentialsXML(cr)}, nil
}

// sessionParams reads the parameters every call that makes a session
// shares: DurationSeconds (nil when absent; 0 given is kept, for the
// service to refuse, as absent and 0 differ) and the session policies'
// PolicyArns.
func sessionParams(f *server.Form) (duration *int, policyARNs []string) {
	if n, ok := f.Int("DurationSeconds"); ok {
		duration = &n
	}
	for _, m := range f.Members("PolicyArns") {
		policyARNs = append(policyARNs, m.Get("arn"))
	}
	return duration, policyARNs
}
