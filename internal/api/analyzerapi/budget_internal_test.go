package analyzerapi

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/iamq/iamq/internal/server"
)

// TestBudget: a comparison past its time is answered with
// UnprocessableEntityException and keeps its turn until it ends; a call
// that cannot get a turn in time gets ThrottlingException; a quick one its
// answer.
func TestBudget(t *testing.T) {
	ctx := context.Background()
	b := newBudget(1, 50*time.Millisecond)
	release := make(chan struct{})
	ended := make(chan struct{})
	_, err := run(ctx, b, func() int { <-release; close(ended); return 0 })
	var e *server.APIError
	if !errors.As(err, &e) || e.Code != codeUnprocessable {
		t.Fatalf("run(slow) err = %v, want %s", err, codeUnprocessable)
	}
	if _, err := run(ctx, b, func() int { return 1 }); !errors.As(err, &e) || e.Code != codeThrottling {
		t.Fatalf("run while the slow one holds the turn: err = %v, want %s", err, codeThrottling)
	}
	close(release)
	<-ended
	var got int
	for i := 0; i < 100; i++ { // the slow one gives its turn back just after it ends
		if got, err = run(ctx, b, func() int { return 7 }); err == nil {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err != nil || got != 7 {
		t.Fatalf("run(quick) = %d, %v; want 7", got, err)
	}
}
