package server

import (
	"errors"
	"net/http"
	"strings"

	"github.com/iamq/iamq/internal/authz"
	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/sigv4"
	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/internal/sts"
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

// The codes the endpoint itself answers with. Operations add their own
// (NoSuchEntity and the other rows of [errorTable]).
const (
	CodeInvalidAction     Code = "InvalidAction"
	CodeMissingAction     Code = "MissingAction"
	CodeMethodNotAllowed  Code = "MethodNotAllowed"
	CodeThrottling        Code = "Throttling"
	CodeValidationError   Code = "ValidationError"
	CodeInvalidInput      Code = "InvalidInput"
	CodeServiceFailure    Code = "ServiceFailure"
	CodeNoSuchEntity      Code = "NoSuchEntity"
	CodeEntityExists      Code = "EntityAlreadyExists"
	CodeLimitExceeded     Code = "LimitExceeded"
	CodeDeleteConflict    Code = "DeleteConflict"
	CodeConcurrentModify  Code = "ConcurrentModification"
	CodeAccessDenied      Code = "AccessDenied"
	CodeNotFound          Code = "UnknownOperationException"
	CodeRequestTooLarge   Code = "RequestEntityTooLarge"
	CodeInternalFailureMQ Code = "InternalServerErrorException"
	CodeMalformedPolicy   Code = "MalformedPolicyDocument"
	CodeNotAttachable     Code = "PolicyNotAttachable"
	CodeUnmodifiable      Code = "UnmodifiableEntity"
	// STS's codes (STS API Reference, AssumeRole, Errors).
	CodePackedPolicyTooLarge  Code = "PackedPolicyTooLarge"
	CodeInvalidParameterValue Code = "InvalidParameterValue"
)

// msgServiceFailure is what an unknown failure tells the client; the detail
// goes to the log only. The text is AWS's description of ServiceFailure
// (IAM API Reference, Common Errors).
const msgServiceFailure = "The request processing has failed because of an unknown error, exception or failure."

// APIError is an error with its AWS code, HTTP status and fault. Operations
// return it for refusals that no domain error describes (a bad parameter);
// domain errors are mapped by [errorTable].
type APIError struct {
	Code    Code
	Message string
	Status  int
	Fault   Fault
}

func (e *APIError) Error() string { return string(e.Code) + ": " + e.Message }

// Errorf is a Sender fault with status 400 — the shape of most refusals.
func Errorf(code Code, message string) *APIError {
	return &APIError{Code: code, Message: message, Status: http.StatusBadRequest, Fault: Sender}
}

// row is one line of the table: errors matching target (errors.Is) become
// code, status and fault; the message is the error's text without the
// sentinel's own prefix.
type row struct {
	target error
	code   Code
	status int
	fault  Fault
}

// errorTable is the one table from domain errors to AWS's code, HTTP status
// and fault. The first row that matches wins; an error no row matches is a
// ServiceFailure. Statuses are those of the IAM API Reference's error lists.
var errorTable = [...]row{
	{store.ErrNotFound, CodeNoSuchEntity, http.StatusNotFound, Sender},
	{store.ErrAlreadyExists, CodeEntityExists, http.StatusConflict, Sender},
	{store.ErrLimitExceeded, CodeLimitExceeded, http.StatusConflict, Sender},
	{store.ErrDeleteConflict, CodeDeleteConflict, http.StatusConflict, Sender},
	{store.ErrConflict, CodeConcurrentModify, http.StatusConflict, Sender},
	{store.ErrInvalid, CodeInvalidInput, http.StatusBadRequest, Sender},
	{iam.ErrValidation, CodeValidationError, http.StatusBadRequest, Sender},
	{iam.ErrInvalidInput, CodeInvalidInput, http.StatusBadRequest, Sender},
	{iam.ErrMalformedPolicy, CodeMalformedPolicy, http.StatusBadRequest, Sender},
	{iam.ErrPolicyNotAttachable, CodeNotAttachable, http.StatusBadRequest, Sender},
	{iam.ErrUnmodifiable, CodeUnmodifiable, http.StatusBadRequest, Sender},
	{iam.ErrAccessDenied, CodeAccessDenied, http.StatusForbidden, Sender},
	{authz.ErrAccessDenied, CodeAccessDenied, http.StatusForbidden, Sender},
	{authz.ErrMalformedPolicy, CodeMalformedPolicy, http.StatusBadRequest, Sender},
	{sts.ErrAccessDenied, CodeAccessDenied, http.StatusForbidden, Sender},
	{sts.ErrValidation, CodeValidationError, http.StatusBadRequest, Sender},
	{sts.ErrPackedPolicySize, CodePackedPolicyTooLarge, http.StatusBadRequest, Sender},
	{sts.ErrInvalidParameter, CodeInvalidParameterValue, http.StatusBadRequest, Sender},
	{sigv4.ErrMissingAuthenticationToken, Code(sigv4.CodeMissingAuthenticationToken), http.StatusForbidden, Sender},
	{sigv4.ErrIncompleteSignature, Code(sigv4.CodeIncompleteSignature), http.StatusBadRequest, Sender},
	{sigv4.ErrInvalidClientTokenID, Code(sigv4.CodeInvalidClientTokenID), http.StatusForbidden, Sender},
	{sigv4.ErrSignatureDoesNotMatch, Code(sigv4.CodeSignatureDoesNotMatch), http.StatusForbidden, Sender},
	{sigv4.ErrExpiredToken, Code(sigv4.CodeExpiredToken), http.StatusForbidden, Sender},
}

// toAPIError maps err through [errorTable]. known is false for an error no
// row describes: the caller logs it and the client sees ServiceFailure.
func toAPIError(err error) (e *APIError, known bool) {
	if errors.As(err, &e) {
		return e, true
	}
	var sig *sigv4.Error
	if errors.As(err, &sig) {
		for _, r := range errorTable {
			if errors.Is(err, r.target) {
				return &APIError{Code: r.code, Message: sig.Message, Status: r.status, Fault: r.fault}, true
			}
		}
	}
	for _, r := range errorTable {
		if errors.Is(err, r.target) {
			return &APIError{Code: r.code, Message: message(err, r.target), Status: r.status, Fault: r.fault}, true
		}
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
