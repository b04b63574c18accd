package iamapi

import (
	"context"
	"net/http"

	"github.com/iamq/iamq/internal/audit"
	"github.com/iamq/iamq/internal/authz"
	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/server"
)

// api serves IAM's operations over the IAM service and, for the simulator,
// the authorizer's compiled sets.
type api struct {
	iam   *iam.Service
	authz *authz.Authorizer // nil: the simulator's operations are not served
	audit *audit.Log        // nil: the last-accessed operations are not served
	jobs  jobs              // the last-accessed jobs (lastaccess.go)
}

// operation is one IAM operation: its handler and the resource ARN that its
// action, iam:<name>, acts on. The table of them is the one source of what
// each operation is authorized for, for enforcement and for tests.
type operation struct {
	name     string
	run      func(a *api, ctx context.Context, c *server.Call) (any, error)
	resource resourceFunc
}

// resourceFunc returns the ARN of the resource a call acts on ("*" for the
// operations that act on the account as a whole).
type resourceFunc func(ctx context.Context, a *api, c *server.Call) string

// operations lists every IAM operation iamq serves; the simulator's only
// with an authorizer.
func (a *api) operations() []operation {
	var ops []operation
	sets := [][]operation{userOps(), groupOps(), roleOps(), profileOps(), keyOps(), accountOps(), slrOps(),
		policyOps(), attachOps(), inlineOps(), oidcOps(), samlOps(), standaloneOps(), reportOps(), grantOps(), stsPrefsOps(), loginOps(), mfaOps()}
	sets = append(sets, sshKeyOps(), certOps(), serverCertOps(), svcCredOps()) // certificates and keys
	if a.authz != nil {
		sets = append(sets, simulateOps())
	}
	if a.audit != nil {
		sets = append(sets, lastAccessOps())
	}
	for _, set := range sets {
		ops = append(ops, set...)
	}
	return ops
}

// Service is IAM's signing name, under which its Query calls arrive.
const Service server.Service = "iam"

// Register registers IAM's Query operations and error codes with srv. az may
// be nil (no enforcement): then the simulator's operations are not served.
func Register(srv *server.Server, svc *iam.Service, az *authz.Authorizer) {
	a := &api{iam: svc, authz: az, audit: srv.AuditLog()}
	// IAM is global: its calls are signed for us-east-1 (IAM API Reference,
	// "Signing AWS API requests"); the namespace is the model's xmlNamespace.
	srv.AddQueryService(server.QueryService{Name: Service, Version: "2010-05-08",
		Namespace: "https://iam.amazonaws.com/doc/2010-05-08/", Global: true, Admit: admit})
	srv.Errors(Service, errorCodes...)
	srv.Errors(Service, standaloneCodes...)
	ops := a.operations()
	for _, o := range ops {
		run, res, action := o.run, o.resource, "iam:"+o.name
		srv.Register(server.Operation{Service: Service, Name: o.name,
			Query: func(ctx context.Context, c *server.Call) (any, error) { return run(a, ctx, c) },
			Target: func(ctx context.Context, c *server.Call) server.Target {
				t := server.Target{Action: action, Resource: res(ctx, a, c), Keys: bothKeys(a.conditionKeys(ctx, c), a.serviceCredKeys(ctx, c))}
				if o.name == "ChangePassword" {
					t.Grant = a.passwordGrant(ctx, c)
				}
				return t
			}})
	}
	registerUnimplemented(srv, ops)
}

// IAM's own error codes (IAM API Reference, Common Errors and each
// operation's Errors).
const (
	codeInvalidInput     server.Code = "InvalidInput"
	codeNoSuchEntity     server.Code = "NoSuchEntity"
	codeEntityExists     server.Code = "EntityAlreadyExists"
	codeLimitExceeded    server.Code = "LimitExceeded"
	codeDeleteConflict   server.Code = "DeleteConflict"
	codeConcurrentModify server.Code = "ConcurrentModification"
	codeNotAttachable    server.Code = "PolicyNotAttachable"
	codeUnmodifiable     server.Code = "UnmodifiableEntity"
)

// errorCodes maps IAM's domain errors to its AWS codes and statuses (IAM API
// Reference, each operation's Errors).
var errorCodes = []server.ErrorCode{
	{Err: iam.ErrNotFound, Code: codeNoSuchEntity, Status: http.StatusNotFound, Fault: server.Sender},
	{Err: iam.ErrAlreadyExists, Code: codeEntityExists, Status: http.StatusConflict, Fault: server.Sender},
	{Err: iam.ErrLimitExceeded, Code: codeLimitExceeded, Status: http.StatusConflict, Fault: server.Sender},
	{Err: iam.ErrDeleteConflict, Code: codeDeleteConflict, Status: http.StatusConflict, Fault: server.Sender},
	{Err: iam.ErrConflict, Code: codeConcurrentModify, Status: http.StatusConflict, Fault: server.Sender},
	{Err: iam.ErrInvalid, Code: codeInvalidInput, Status: http.StatusBadRequest, Fault: server.Sender},
	{Err: iam.ErrValidation, Code: server.CodeValidationError, Status: http.StatusBadRequest, Fault: server.Sender},
	{Err: iam.ErrInvalidInput, Code: codeInvalidInput, Status: http.StatusBadRequest, Fault: server.Sender},
	{Err: iam.ErrMalformedPolicy, Code: server.CodeMalformedPolicy, Status: http.StatusBadRequest, Fault: server.Sender},
	{Err: iam.ErrPolicyNotAttachable, Code: codeNotAttachable, Status: http.StatusBadRequest, Fault: server.Sender},
	{Err: iam.ErrUnmodifiable, Code: codeUnmodifiable, Status: http.StatusBadRequest, Fault: server.Sender},
	{Err: iam.ErrAccessDenied, Code: server.CodeAccessDenied, Status: http.StatusForbidden, Fault: server.Sender},
	// The certificate and key operations' (credentials.go).
	{Err: iam.ErrMalformedCertificate, Code: "MalformedCertificate", Status: http.StatusBadRequest, Fault: server.Sender},
	{Err: iam.ErrKeyPairMismatch, Code: "KeyPairMismatch", Status: http.StatusBadRequest, Fault: server.Sender},
	{Err: iam.ErrInvalidCertificate, Code: "InvalidCertificate", Status: http.StatusBadRequest, Fault: server.Sender},
	{Err: iam.ErrDuplicateCertificate, Code: "DuplicateCertificate", Status: http.StatusConflict, Fault: server.Sender},
	{Err: iam.ErrInvalidPublicKey, Code: "InvalidPublicKey", Status: http.StatusBadRequest, Fault: server.Sender},
	{Err: iam.ErrUnrecognizedPublicKeyEncoding, Code: "UnrecognizedPublicKeyEncoding", Status: http.StatusBadRequest, Fault: server.Sender},
	{Err: iam.ErrDuplicateSSHPublicKey, Code: "DuplicateSSHPublicKey", Status: http.StatusBadRequest, Fault: server.Sender},
	{Err: iam.ErrServiceNotSupported, Code: "NotSupportedService", Status: http.StatusNotFound, Fault: server.Sender},
	{Err: iam.ErrPasswordPolicy, Code: codePasswordPolicy, Status: http.StatusBadRequest, Fault: server.Sender},
	{Err: iam.ErrMFACode, Code: codeInvalidAuthCode, Status: http.StatusForbidden, Fault: server.Sender},
}

// msgSessionTokenNoMFA is what IAM answers a call signed with GetSessionToken
// credentials that carry no MFA: the code and text of an invalid token,
// status 403 (the raw IAM response quoted in aws/aws-cli#8918; also
// 99designs/aws-vault#15 and #1056). IAM sends it without a final period.
const msgSessionTokenNoMFA = "The security token included in the request is invalid"

// admit refuses the callers no IAM operation accepts: the temporary
// credentials of GetSessionToken without MFA (STS API Reference,
// GetSessionToken: "You cannot call any IAM API operations unless MFA
// authentication information is included in the request"): every IAM
// operation is refused to them, whatever the policies say, and for the
// root's sessions as well as users'. A session made with an MFA code calls
// IAM as its owner. (STS's side of the rule is package sts's.)
func admit(c *server.Call) error {
	if se := c.Caller.Session; se != nil && se.UserSession && !se.MFA {
		return server.InvalidClientTokenID(msgSessionTokenNoMFA)
	}
	if se := c.Caller.Session; se != nil && se.FederatedUser {
		// "You cannot use these credentials to call any IAM API
		// operations" (STS API Reference, GetFederationToken); AWS's
		// code for it is not published: AccessDenied.
		return &server.APIError{Code: server.CodeAccessDenied, Status: http.StatusForbidden, Fault: server.Sender,
			Message: "User: " + c.Caller.ARN + " is not authorized to call IAM: federated user sessions cannot call IAM operations"}
	}
	return nil
}
