package server

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultBodyBytesInFlight bounds the bytes of request bodies held at once:
// a few thousand ordinary calls (IAM's largest input, a policy document, is
// a few kilobytes), or 32 bodies of the largest size.
const DefaultBodyBytesInFlight = 32 << 20

// budgetWait is how long a request waits for room in the budget before it
// is refused with Throttling, which the SDKs retry with backoff.
const budgetWait = time.Second

// errThrottled is AWS's answer to a caller going faster than the service
// takes (IAM API Reference, Common Errors: Throttling, HTTP 400).
var errThrottled = &APIError{Code: CodeThrottling, Message: "Rate exceeded", Status: http.StatusBadRequest, Fault: Sender}

// budget bounds the bytes held by requests in flight. Taking room when there
// is some is one atomic add, and so is giving it back when nobody waits; a
// request finding no room waits on a channel that give closes.
type budget struct {
	limit int64
	used  atomic.Int64
	// waiting counts the requests between their last look at used and
	// their wait: give, having given, wakes them if it is not zero.
	waiting atomic.Int64

	mu    sync.Mutex
	freed chan struct{} // closed and replaced by give while requests wait
}

func newBudget(limit int64) *budget { return &budget{limit: limit} }

// take reserves n bytes, waiting up to budgetWait for room; it reports false
// when there is none (or ctx ends), having reserved nothing.
func (b *budget) take(ctx context.Context, n int64) bool {
	if n <= 0 || b.tryTake(n) {
		return true
	}
	if n > b.limit {
		return false
	}
	t := time.NewTimer(budgetWait)
	defer t.Stop()
	expired := false
	for {
		b.mu.Lock()
		b.waiting.Add(1) // before looking: a give after the look sees it
		took := b.tryTake(n)
		if took || expired {
			b.waiting.Add(-1)
			b.mu.Unlock()
			return took
		}
		if b.freed == nil {
			b.freed = make(chan struct{})
		}
		ch := b.freed
		b.mu.Unlock()
		select {
		case <-ch:
		case <-t.C:
			expired = true
		case <-ctx.Done():
			expired = true
		}
		b.waiting.Add(-1)
	}
}

func (b *budget) tryTake(n int64) bool {
	if b.used.Add(n) <= b.limit {
		return true
	}
	b.used.Add(-n)
	return false
}

// give returns n bytes taken before and wakes the requests waiting.
func (b *budget) give(n int64) {
	if n <= 0 {
		return
	}
	b.used.Add(-n)
	if b.waiting.Load() == 0 {
		return
	}
	b.mu.Lock()
	if b.freed != nil {
		close(b.freed)
		b.freed = nil
	}
	b.mu.Unlock()
}
