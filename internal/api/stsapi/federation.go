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
}

// The federation calls' codes and statuses (the botocore STS model's
// InvalidIdentityTokenException, ExpiredTokenException and
// IDPRejectedClaimException).
const (
	codeInvalidIdentityToken server.Code = "InvalidIdentityToken"
	codeExpiredToken         server.Code = "ExpiredTokenException"
	codeIDPRejectedClaim     server.Code = "IDPRejectedClaim"
)

var federationErrors = []server.ErrorCode{
	{Err: sts.ErrInvalidIdentityToken, Code: codeInvalidIdentityToken, Status: http.StatusBadRequest, Fault: server.Sender},
	{Err: sts.ErrExpiredToken, Code: codeExpiredToken, Status: http.StatusBadRequest, Fault: server.Sender},
	{Err: sts.ErrIDPRejectedClaim, Code: codeIDPRejectedClaim, Status: http.StatusForbidden, Fault: server.Sender},
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
}

func (a *api) assumeRoleWithWebIdentity(ctx context.Context, c *server.Call) (any, error) {
	f := c.Form
	in := sts.WebIdentityInput{RoleARN: f.String("RoleArn"), RoleSessionName: f.String("RoleSessionName"),
		WebIdentityToken: f.String("WebIdentityToken"), ProviderID: f.Get("ProviderId"), Policy: f.Get("Policy")}
	if n, ok := f.Int("DurationSeconds"); ok {
		in.DurationSeconds = &n
	}
	for _, m := range f.Members("PolicyArns") {
		in.PolicyARNs = append(in.PolicyARNs, m.Get("arn"))
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	out, err := a.sts.AssumeRoleWithWebIdentity(ctx, c.RequestInfo(), in)
	if err != nil {
		return nil, err
	}
	res := webIdentityResult{Credentials: credentialsXML(out.Credentials), SubjectFromWebIdentityToken: out.Subject,
		PackedPolicySize: out.PackedPolicySize, Provider: out.Provider, Audience: out.Audience}
	res.AssumedRoleUser.AssumedRoleId, res.AssumedRoleUser.Arn = out.AssumedRoleID, out.ARN
	return res, nil
}
