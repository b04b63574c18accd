package mq

import (
	"errors"
	"fmt"
)

// The kinds of refusal, as Amazon MQ's error shapes name them (botocore
// service model mq 2017-11-27): each *Error matches one with errors.Is.
var (
	// ErrBadRequest: the input is not valid, or the resource is not in a
	// state that allows the call (BadRequestException, 400).
	ErrBadRequest = errors.New("mq: bad request")
	// ErrNotFound: the broker, configuration, revision or user does not
	// exist (NotFoundException, 404).
	ErrNotFound = errors.New("mq: not found")
	// ErrConflict: the name or user already exists (ConflictException, 409).
	ErrConflict = errors.New("mq: conflict")
	// ErrForbidden: the operation is not allowed on this resource
	// (ForbiddenException, 403).
	ErrForbidden = errors.New("mq: forbidden")
)

// Error is a refusal: its kind, the request attribute it names (the wire
// name, "brokerName"; "" when none) and the message the client reads.
type Error struct {
	Kind      error
	Attribute string
	Message   string
}

// Error returns the message.
func (e *Error) Error() string { return e.Message }

// Unwrap returns the kind, so that errors.Is(err, ErrBadRequest) holds.
func (e *Error) Unwrap() error { return e.Kind }

func refuse(kind error, attribute, format string, args ...any) *Error {
	return &Error{Kind: kind, Attribute: attribute, Message: fmt.Sprintf(format, args...)}
}

func badRequest(attribute, format string, args ...any) *Error {
	return refuse(ErrBadRequest, attribute, format, args...)
}

// notFound is Amazon MQ's NotFoundException for a resource id.
func notFound(attribute, what, id string) *Error {
	return refuse(ErrNotFound, attribute, "Can't find requested %s [%s].", what, id)
}
