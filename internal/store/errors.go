package store

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"
)

// Sentinel errors of every backend. Backends wrap them with %w and a message
// that the IAM layer may show; callers test them with errors.Is, never by
// matching the text.
var (
	// ErrNotFound: the named account, entity, version, attachment or key does
	// not exist (IAM's NoSuchEntity).
	ErrNotFound = errors.New("store: not found")
	// ErrAlreadyExists: a name (compared case-insensitively) or id is taken
	// (IAM's EntityAlreadyExists).
	ErrAlreadyExists = errors.New("store: already exists")
	// ErrLimitExceeded: a quota would be exceeded (IAM's LimitExceeded). The
	// error is a *LimitError that carries IAM's message.
	ErrLimitExceeded = errors.New("store: limit exceeded")
	// ErrConflict: the write lost a race that the caller may retry, or the
	// request contradicts the current state in a way that is not a deletion
	// conflict.
	ErrConflict = errors.New("store: conflict")
	// ErrDeleteConflict: the entity cannot be deleted while something still
	// refers to it (IAM's DeleteConflict). The error is a *DeleteConflictError
	// that carries IAM's message.
	ErrDeleteConflict = errors.New("store: delete conflict")
	// ErrInvalid: an argument the store cannot use (a marker it did not
	// issue, MaxItems out of range, an entity kind that has no such thing);
	// the IAM layer validates input first, so this is a caller's bug or a
	// client's forged marker (IAM's InvalidInput).
	ErrInvalid = errors.New("store: invalid argument")
)

// LimitError is a quota refusal. Message is IAM's text, for example
// "Cannot exceed quota for PoliciesPerUser: 10"
// (../shared/data/amazon-mq-iam-facts.md §4). It matches ErrLimitExceeded.
type LimitError struct {
	Quota   Quota  // which quota
	Limit   int    // the limit in force
	Message string // IAM's message
}

// Error returns the IAM message.
func (e *LimitError) Error() string { return e.Message }

// Is reports whether target is ErrLimitExceeded.
func (e *LimitError) Is(target error) bool { return target == ErrLimitExceeded }

// DeleteConflictError refuses a deletion. Message is IAM's text, for example
// "Cannot delete entity, must detach all policies first.". It matches
// ErrDeleteConflict.
type DeleteConflictError struct {
	Message string
}

// Error returns the IAM message.
func (e *DeleteConflictError) Error() string { return e.Message }

// Is reports whether target is ErrDeleteConflict.
func (e *DeleteConflictError) Is(target error) bool { return target == ErrDeleteConflict }

// ErrDecrypt means a sealed secret does not open with this key: the store
// was given another key than the one that wrote it.
var ErrDecrypt = errors.New("store: cannot decrypt a secret (wrong key file?)")

// ErrUnavailable: the store cannot be reached (a network failure, a
// PostgreSQL server restarting or refusing connections). The request
// changed nothing that was acknowledged; the API answers 503
// ServiceUnavailable, which the SDKs retry.
var ErrUnavailable = errors.New("store: unavailable")

// Unavailable reports whether err means that the store could not be
// reached, rather than that it refused the request: ErrUnavailable, a
// broken or refused connection, a timeout, a failure the driver says is safe
// to retry, or a PostgreSQL error of class 08
// (connection exception), 57P01–57P03 (the server shutting down, crashed,
// starting up) or 53300 (too many connections). Backends' errors keep their
// causes (%w), so the test reads the whole chain without naming a driver.
func Unavailable(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, ErrUnavailable) || errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.EPIPE) {
		return true
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		return true
	}
	var state interface{ SQLState() string }
	if errors.As(err, &state) {
		code := state.SQLState()
		return strings.HasPrefix(code, "08") || code == "57P01" || code == "57P02" || code == "57P03" || code == "53300"
	}
	// pgx marks the failures that happened before the server saw the
	// statement (a connection the driver had already closed) safe to retry.
	var retry interface{ SafeToRetry() bool }
	if errors.As(err, &retry) && retry.SafeToRetry() {
		return true
	}
	var timeout interface{ Timeout() bool }
	return errors.As(err, &timeout) && timeout.Timeout()
}
