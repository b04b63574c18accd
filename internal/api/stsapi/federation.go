package stsapi

import (
	"context"
	"net/http"

	"github.com/iamq/iamq/internal/server"
	"github.com/iamq/iamq/internal/sts"
)

// registerFederation registers the federation calls and their errors.
// AssumeRoleWithWebIdentity is unsigned, as in AWS: the token is the
// credential.
func registerFederation(srv *server.Server, a *api) {
	srv.Errors(Service, federationErrors...)
	srv.Query(Service, "AssumeRoleWithWebIdentity", a.assumeRoleWithWebIdentity, server.Unsigned, server.NoPermission)
	srv.Query(Service, "AssumeRoleWithSAML", a.assumeRoleWithSAML, server.Unsigned, server.NoPermission)
	srv.Query(Service, "GetAccessKeyInfo", a.getAccessKeyInfo)
	srv.Query(Service, "DecodeAuthorizationMessage", a.decodeAuthorizationMessage)
	// GetFederationToken is authorized on the federated user it names
	// (Service Authorization Reference, AWS STS: resource federated-user).
	srv.Register(server.Operation{Service: Service, Name: "GetFederationToken", Query: a.getFederationToken,
		Target: func(_ context.Context, c *server.Call) server.Target {
			return server.Target{Action: "sts:GetFederationToken", Resource: sts.FederatedUserARN(c.Caller.Account, c.Form.Get("Name"))}
		}})
}

// The federation calls' codes and statuses (the botocore STS model's
// InvalidIdentityTokenException, ExpiredTokenException and
// IDPRejectedClaimException).
const (
	codeInvalidIdentityToken server.Code = "InvalidIdentityToken"
	codeExpiredToken         server.Code = "ExpiredTokenException"
	codeIDPRejectedClaim     server.Code = "IDPRejectedClaim"
	codeInvalidAuthMessage   server.Code = "InvalidAuthorizationMessageException"
	codeIDPCommunication     server.Code = "IDPCommunicationError"
)

var federationErrors = []server.ErrorCode{
	{Err: sts.ErrInvalidIdentityToken, Code: codeInvalidIdentityToken, Status: http.StatusBadRequest, Fault: server.Sender},
	{Err: sts.ErrExpiredToken, Code: codeExpiredToken, Status: http.StatusBadRequest, Fault: server.Sender},
	{Err: sts.ErrIDPRejectedClaim, Code: codeIDPRejectedClaim, Status: http.StatusForbidden, Fault: server.Sender},
	{Err: sts.ErrIDPCommunication, Code: codeIDPCommunication, Status: http.StatusBadRequest, Fault: server.Sender},
	{Err: sts.ErrInvalidAuthorizationMessage, Code: codeInvalidAuthMessage, Status: http.StatusBadRequest, Fault: server.Sender},
}

type webIdentityResult struct {
	Credentials                 xmlCredentials
	SubjectFromWebIdentityToken string
	AssumedRoleUser             struct {
		AssumedRoleId string
		Arn           string
	}
	PackedPolicySize int
	Provider         string
	Audience         string
	SourceIdentity   string `xml:",omitempty"`
}

func (a *api) assumeRoleWithWebIdentity(ctx context.Context, c *server.Call) (any, error) {
	f := c.Form
	in := sts.WebIdentityInput{RoleARN: f.String("RoleArn"), RoleSessionName: f.String("RoleSessionName"),
		WebIdentityToken: f.String("WebIdentityToken"), ProviderID: f.Get("ProviderId"), Policy: f.Get("Policy")}
	in.DurationSeconds, in.PolicyARNs = sessionParams(f)
	if err := f.Err(); err != nil {
		return nil, err
	}
	out, err := a.sts.AssumeRoleWithWebIdentity(ctx, c.RequestInfo(), in)
	if err != nil {
		return nil, err
	}
	res := webIdentityResult{Credentials: credentialsXML(out.Credentials), SubjectFromWebIdentityToken: out.Subject,
		PackedPolicySize: out.PackedPolicySize, Provider: out.Provider, Audience: out.Audience, SourceIdentity: out.SourceIdentity}
	res.AssumedRoleUser.AssumedRoleId, res.AssumedRoleUser.Arn = out.AssumedRoleID, out.ARN
	return res, nil
}

type federationTokenResult struct {
	Credentials   xmlCredentials
	FederatedUser struct {
		FederatedUserId string
		Arn             string
	}
	PackedPolicySize int
}

func (a *api) getFederationToken(ctx context.Context, c *server.Call) (any, error) {
	f := c.Form
	in := sts.FederationTokenInput{Name: f.String("Name"), Policy: f.Get("Policy"), Tags: server.Tags[sts.Tag](f, "Tags")}
	in.DurationSeconds, in.PolicyARNs = sessionParams(f)
	if err := f.Err(); err != nil {
		return nil, err
	}
	out, err := a.sts.GetFederationToken(ctx, c.Caller, c.RequestInfo(), in)
	if err != nil {
		return nil, err
	}
	res := federationTokenResult{Credentials: credentialsXML(out.Credentials), PackedPolicySize: out.PackedPolicySize}
	res.FederatedUser.FederatedUserId, res.FederatedUser.Arn = out.FederatedUserID, out.ARN
	return res, nil
}

type accessKeyInfoResult struct{ Account string }

// getAccessKeyInfo answers GetAccessKeyInfo, authorized as
// sts:GetAccessKeyInfo on "*" (the action has no resource type).
func (a *api) getAccessKeyInfo(ctx context.Context, c *server.Call) (any, error) {
	id := c.Form.String("AccessKeyId")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	acct, err := a.sts.GetAccessKeyInfo(ctx, id)
	if err != nil {
		return nil, err
	}
	return accessKeyInfoResult{acct}, nil
}

type samlResult struct {
	Credentials     xmlCredentials
	AssumedRoleUser struct {
		AssumedRoleId string
		Arn           string
	}
	PackedPolicySize int
	Subject          string
	SubjectType      string
	Issuer           string
	Audience         string
	NameQualifier    string
	SourceIdentity   string `xml:",omitempty"`
}

func (a *api) assumeRoleWithSAML(ctx context.Context, c *server.Call) (any, error) {
	f := c.Form
	in := sts.SAMLInput{RoleARN: f.String("RoleArn"), PrincipalARN: f.String("PrincipalArn"), SAMLAssertion: f.String("SAMLAssertion"),
		Policy: f.Get("Policy")}
	in.DurationSeconds, in.PolicyARNs = sessionParams(f)
	if err := f.Err(); err != nil {
		return nil, err
	}
	out, err := a.sts.AssumeRoleWithSAML(ctx, c.RequestInfo(), in)
	if err != nil {
		return nil, err
	}
	res := samlResult{Credentials: credentialsXML(out.Credentials), PackedPolicySize: out.PackedPolicySize, Subject: out.Subject,
		SubjectType: out.SubjectType, Issuer: out.Issuer, Audience: out.Audience, NameQualifier: out.NameQualifier,
		SourceIdentity: out.SourceIdentity}
	res.AssumedRoleUser.AssumedRoleId, res.AssumedRoleUser.Arn = out.AssumedRoleID, out.ARN
	return res, nil
}

type decodeResult struct{ DecodedMessage string }

// decodeAuthorizationMessage answers DecodeAuthorizationMessage, authorized
// as sts:DecodeAuthorizationMessage on "*".
func (a *api) decodeAuthorizationMessage(ctx context.Context, c *server.Call) (any, error) {
	m := c.Form.String("EncodedMessage")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	d, err := a.sts.DecodeAuthorizationMessage(m)
	if err != nil {
		return nil, err
	}
	return decodeResult{d}, nil
}
