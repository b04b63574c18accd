package store

import (
	"database/sql/driver"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"
)

// sqlState is an error with a PostgreSQL SQLSTATE, as pgconn.PgError has.
type sqlState string

func (s sqlState) Error() string    { return "postgres error " + string(s) }
func (s sqlState) SQLState() string { return string(s) }

func TestUnavailable(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"not found", fmt.Errorf("%w: User x", ErrNotFound), false},
		{"sentinel", ErrUnavailable, true},
		{"refused", fmt.Errorf("store: begin: %w", &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}), true},
		{"bad conn", fmt.Errorf("store: %w", driver.ErrBadConn), true},
		{"eof", fmt.Errorf("store: %w", io.ErrUnexpectedEOF), true},
		{"admin shutdown", fmt.Errorf("store: %w", sqlState("57P01")), true},
		{"connection failure", sqlState("08006"), true},
		{"starting up", sqlState("57P03"), true},
		{"closed by the driver", fmt.Errorf("store: %w", safeToRetry{}), true},
		{"unique violation", sqlState("23505"), false},
		{"serialization", sqlState("40001"), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Unavailable(tc.err); got != tc.want {
				t.Errorf("Unavailable(%v) = %v, want %v", tc.err, got, tc.want)
			}
		})
	}
}

// safeToRetry is pgconn's error for a connection it had closed already.
type safeToRetry struct{}

func (safeToRetry) Error() string     { return "conn closed" }
func (safeToRetry) SafeToRetry() bool { return true }
