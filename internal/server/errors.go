package server

import (
	"errors"
	"net/http"
	"strings"

	"github.com/iamq/iamq/internal/authz"
	"github.com/iamq/iamq/internal/server/queryform"
	"github.com/iamq/iamq/internal/sigv4"
)

// Fault says whose fault an error is, as the Query protocol's <Type> carries it.
type Fault string

// The two faults.
const (
	Sender   Fault = "Sender"
	Receiver Fault = "Receiver"
)

// Code is an AWS error code.
type Code string

// The codes the endpoint itself answers with, common to the services; each
// wire package names its service's own (NoSuchEntity, …) in its table.
const (
	CodeInvalidAction       Code = "InvalidAction"
	CodeMissingAction       Code = "MissingAction"
	CodeMethodNotAllowed    Code = "MethodNotAllowed"
	CodeThrottling          Code = "Throttling"
	CodeValidationError     Code = "ValidationError"
	CodeServiceFailure      Code = "ServiceFailure"
	CodeAccessDenied        Code = "AccessDenied"
	CodeNotFound            Code = "UnknownOperationException"
	CodeRequestTooLarge     Code = "RequestEntityTooLarge"
	CodeInternalServerError Code = "InternalServerErrorException"
	CodeMalformedPolicy     Code = "MalformedPolicyDocument"
	// CodeServiceUnavailable: the store could not be reached; the request
	// may be retried (the SDKs do, on 503).
	CodeServiceUnavailable Code = "ServiceUnavailable"
)

// msgServiceUnavailable is the text of a 503: AWS's description of
// ServiceUnavailable (the Query services' Common Errors).
const msgServiceUnavailable = "The request has failed due to a temporary failure of the server."

// errUnavailable is the answer to a call the store could not serve.
func errUnavailable() *APIError {
	return &APIError{Code: CodeServiceUnavailable, Message: msgServiceUnavailable, Status: http.StatusServiceUnavailable, Fault: Receiver}
}

// msgServiceFailure is what an unknown failure tells the client; the detail
// goes to the log only. The text is AWS's description of ServiceFailure
// (the Query services' Common Errors).
const msgServiceFailure = "The request processing has failed because of an unknown error, exception or failure."

// APIError is an error with its AWS code, HTTP status and fault. Operations
// return it for refusals that no domain error describes (a bad parameter);
// domain errors are mapped by [errorTable].
type APIError struct {
	Code    Code
	Message string
	Status  int
	Fault   Fault
	// Attribute is the input member a REST-JSON refusal names
	// ("errorAttribute", as Amazon MQ's errors carry it); "" for none.
	Attribute string
	// Body, when set, is a REST-JSON refusal's whole JSON body, for the
	// services whose errors carry more than a message (Access Analyzer's
	// ValidationException: reason and fieldList). It must hold the message.
	Body any
}

func (e *APIError) Error() string { return string(e.Code) + ": " + e.Message }

// InvalidClientTokenID refuses a verified caller's credentials that a
// service does not accept (403 InvalidClientTokenId, the authentication
// failure every service shares).
func InvalidClientTokenID(message string) *APIError {
	return &APIError{Code: Code(sigv4.CodeInvalidClientTokenID), Message: message, Status: http.StatusForbidden, Fault: Sender}
}

// Errorf is a Sender fault with status 400 — the shape of most refusals.
func Errorf(code Code, message string) *APIError {
	return &APIError{Code: code, Message: message, Status: http.StatusBadRequest, Fault: Sender}
}

// ErrorCode maps the domain errors that match Err (errors.Is) to an AWS
// code, HTTP status and fault; the message is the error's text without the
// sentinel's own prefix. A service's wire package registers its table with
// [Server.Errors].
type ErrorCode struct {
	Err    error
	Code   Code
	Status int
	Fault  Fault
}

// coreErrors are the errors every service shares: authentication (sigv4's
// codes) and enforcement (authz's AccessDenied).
var coreErrors = [...]ErrorCode{
	{authz.ErrAccessDenied, CodeAccessDenied, http.StatusForbidden, Sender},
	{authz.ErrMalformedPolicy, CodeMalformedPolicy, http.StatusBadRequest, Sender},
	{sigv4.ErrMissingAuthenticationToken, Code(sigv4.CodeMissingAuthenticationToken), http.StatusForbidden, Sender},
	{sigv4.ErrIncompleteSignature, Code(sigv4.CodeIncompleteSignature), http.StatusBadRequest, Sender},
	{sigv4.ErrInvalidClientTokenID, Code(sigv4.CodeInvalidClientTokenID), http.StatusForbidden, Sender},
	{sigv4.ErrSignatureDoesNotMatch, Code(sigv4.CodeSignatureDoesNotMatch), http.StatusForbidden, Sender},
	{sigv4.ErrExpiredToken, Code(sigv4.CodeExpiredToken), http.StatusForbidden, Sender},
}

// Errors registers service's table from its domain errors to its AWS codes.
// The first row that matches wins, before the rows every service shares: a
// service may answer enforcement's denial with its own code
// (AccessDeniedException, ForbiddenException).
func (s *Server) Errors(service Service, codes ...ErrorCode) {
	s.errors[service] = append(s.errors[service], codes...)
}

// toAPIError maps err through service's table and the shared rows. known is
// false for an error no row describes: the caller logs it and the client
// sees ServiceFailure.
func (s *Server) toAPIError(service Service, err error) (e *APIError, known bool) {
	if errors.As(err, &e) {
		return e, true
	}
	var invalid *queryform.Error
	if errors.As(err, &invalid) {
		return Errorf(CodeValidationError, invalid.Message), true
	}
	var sig *sigv4.Error
	if errors.As(err, &sig) {
		for _, r := range coreErrors {
			if errors.Is(err, r.Err) {
				return &APIError{Code: r.Code, Message: sig.Message, Status: r.Status, Fault: r.Fault}, true
			}
		}
	}
	for _, table := range [][]ErrorCode{s.errors[service], coreErrors[:]} {
		for _, r := range table {
			if errors.Is(err, r.Err) {
				return &APIError{Code: r.Code, Message: message(err, r.Err), Status: r.Status, Fault: r.Fault}, true
			}
		}
	}
	if s.opts.Unavailable != nil && s.opts.Unavailable(err) {
		return errUnavailable(), true
	}
	return &APIError{Code: CodeServiceFailure, Message: msgServiceFailure, Status: http.StatusInternalServerError, Fault: Receiver}, false
}

// message strips the sentinel's text from a wrapped error: the store writes
// "store: not found: User with name x cannot be found.", the client reads the
// part after the sentinel.
func message(err, sentinel error) string {
	msg := err.Error()
	if i := strings.Index(msg, sentinel.Error()+": "); i >= 0 {
		return msg[i+len(sentinel.Error())+2:]
	}
	return msg
}
