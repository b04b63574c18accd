package iam

import (
	"errors"
	"fmt"

	"github.com/iamq/iamq/internal/store"
)

// Sentinel errors of the IAM rules that the store does not already name
// (store.ErrNotFound is NoSuchEntity, store.ErrAlreadyExists is
// EntityAlreadyExists, and so on). The server's one error table maps each to
// its AWS code; the message the client reads is the *Error's Message.
var (
	// ErrValidation: a parameter breaks its constraints (ValidationError).
	ErrValidation = errors.New("iam: validation error")
	// ErrInvalidInput: a parameter is well formed but unusable (InvalidInput).
	ErrInvalidInput = errors.New("iam: invalid input")
	// ErrMalformedPolicy: a policy document is refused (MalformedPolicyDocument).
	ErrMalformedPolicy = errors.New("iam: malformed policy document")
	// ErrPolicyNotAttachable: a service-role policy attached to a user,
	// group or customer role (PolicyNotAttachable).
	ErrPolicyNotAttachable = errors.New("iam: policy not attachable")
	// ErrUnmodifiable: a change to a service-linked role that only its
	// service may make (UnmodifiableEntity).
	ErrUnmodifiable = errors.New("iam: unmodifiable entity")
	// ErrAccessDenied: a change to something the caller's account does not
	// own, such as an AWS managed policy (AccessDenied).
	ErrAccessDenied = errors.New("iam: access denied")
)

// Error is a refusal with IAM's message. Kind is one of the sentinels above or
// of package store; errors.Is matches it.
type Error struct {
	Kind    error
	Message string
}

// Error returns the message the client reads.
func (e *Error) Error() string { return e.Message }

// Is reports whether target is e's kind.
func (e *Error) Is(target error) bool { return target == e.Kind }

// refuse returns an *Error of kind with a formatted message.
func refuse(kind error, format string, args ...any) error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// noSuchEntity is IAM's NoSuchEntity, e.g. "The user with name x cannot be found.".
func noSuchEntity(format string, args ...any) error {
	return refuse(store.ErrNotFound, format, args...)
}
