package analyzerapi

import (
	"context"
	"net/http"
	"time"

	"github.com/iamq/iamq/internal/server"
)

// The comparison behind CheckNoNewAccess (analysis.Covers) costs, for
// crafted policies, far more than its inputs' size suggests (dozens of
// patterns sharing their wildcards take seconds to minutes), and it cannot
// be stopped once started. So comparisons run one at a time per server (or
// Options.Comparisons at a time), each in its own goroutine: a call waits
// for its turn at most Options.CompareTimeout (ThrottlingException, which
// the SDKs retry), and a comparison not done within it is answered with
// UnprocessableEntityException while it finishes in the background, still
// holding its turn. A flood of such policies occupies that many cores, never
// more.

// Defaults of the comparison budget.
const (
	defaultComparisons    = 1
	defaultCompareTimeout = 5 * time.Second
)

const (
	codeThrottling    server.Code = "ThrottlingException"
	codeUnprocessable server.Code = "UnprocessableEntityException"
)

// budget hands out turns to run comparisons.
type budget struct {
	turns   chan struct{}
	timeout time.Duration
}

func newBudget(n int, timeout time.Duration) *budget {
	if n <= 0 {
		n = defaultComparisons
	}
	if timeout <= 0 {
		timeout = defaultCompareTimeout
	}
	return &budget{turns: make(chan struct{}, n), timeout: timeout}
}

// run runs f in a turn and returns its result, or a refusal when no turn
// came or f did not finish within the timeout.
func run[T any](ctx context.Context, b *budget, f func() T) (T, error) {
	var zero T
	timer := time.NewTimer(b.timeout)
	defer timer.Stop()
	select {
	case b.turns <- struct{}{}:
	case <-timer.C:
		return zero, &server.APIError{Code: codeThrottling, Message: "Too many policy comparisons are running; retry later.",
			Status: http.StatusTooManyRequests, Fault: server.Sender}
	case <-ctx.Done():
		return zero, ctx.Err()
	}
	done := make(chan T, 1)
	go func() {
		defer func() { <-b.turns }()
		done <- f()
	}()
	select {
	case v := <-done:
		return v, nil
	case <-timer.C:
		return zero, &server.APIError{Code: codeUnprocessable, Status: http.StatusUnprocessableEntity, Fault: server.Sender,
			Message: "The policies are too complex to compare within " + b.timeout.String() + "."}
	case <-ctx.Done():
		return zero, ctx.Err()
	}
}
