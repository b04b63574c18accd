package stsapi

import (
	"context"
	"net/http"

	"github.com/iamq/iamq/internal/server"
)

// Codes of STS's model for the operations iamq answers as AWS answers a
// standalone account (STS's service model, each shape's error trait).
const (
	codeExpiredTradeInToken server.Code = "ExpiredTradeInTokenException"
	codeOutboundDisabled    server.Code = "OutboundWebIdentityFederationDisabledException"
)

// registerStandalone registers AssumeRoot, GetDelegatedAccessToken and
// GetWebIdentityToken, which need features a standalone account lacks
// (docs/iam-operations.md): each answers the error that state gets,
// changing nothing.
func registerStandalone(srv *server.Server) {
	srv.Query(Service, "AssumeRoot", assumeRoot, server.NoPermission)
	srv.Query(Service, "GetDelegatedAccessToken", getDelegatedAccessToken, server.NoPermission)
	srv.Query(Service, "GetWebIdentityToken", getWebIdentityToken, server.NoPermission)
}

// assumeRoot refuses: a privileged root session is for the management
// account (or a delegated administrator) of an organization with
// centralized root access, on a member account (STS API Reference,
// AssumeRoot; IAM User Guide, "Centrally manage root access for member
// accounts"). No iamq account is in an organization.
func assumeRoot(_ context.Context, c *server.Call) (any, error) {
	target := c.Form.String("TargetPrincipal")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, &server.APIError{Code: server.CodeAccessDenied, Status: http.StatusForbidden, Fault: server.Sender,
		Message: "User: " + c.Caller.ARN + " is not authorized to perform: sts:AssumeRoot on resource: " + target +
			" because the account " + c.Caller.Account + " is not the management account of an organization with centralized root access"}
}

// getDelegatedAccessToken refuses the trade-in token: tokens are issued by
// IAM's SendDelegationToken for an accepted delegation request, and iamq
// has none (its delegation requests answer NoSuchEntity), so no token it
// could be handed is a live one.
func getDelegatedAccessToken(_ context.Context, c *server.Call) (any, error) {
	c.Form.String("TradeInToken")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, &server.APIError{Code: codeExpiredTradeInToken, Status: http.StatusBadRequest, Fault: server.Sender,
		Message: "The trade-in token provided in the request has expired or was never issued and can no longer be exchanged for credentials."}
}

// getWebIdentityToken refuses: outbound web identity federation is disabled
// for every iamq account (IAM's EnableOutboundWebIdentityFederation is
// refused), the state in which STS answers this error (STS API Reference,
// GetWebIdentityToken).
func getWebIdentityToken(_ context.Context, c *server.Call) (any, error) {
	c.Form.List("Audience")
	c.Form.String("SigningAlgorithm")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, &server.APIError{Code: codeOutboundDisabled, Status: http.StatusForbidden, Fault: server.Sender,
		Message: "The outbound web identity federation feature is not enabled for this account."}
}
