package server

import (
	"context"
	"crypto/sha256"
	"errors"
	"hash"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/iamq/iamq/internal/authz"
	"github.com/iamq/iamq/internal/sigv4"
)

// maxUnsignedBody bounds the body of a request carrying no signature: it is
// read only to find an operation AWS leaves unsigned, whose largest input
// (a SAML assertion, at most 100,000 characters) is about
// 110 KB form-encoded.
const maxUnsignedBody = 256 << 10

// errBodyTooLarge and errBodyUnreadable refuse a body before it is used.
var (
	errBodyTooLarge   = &APIError{Code: CodeRequestTooLarge, Message: "Request body is too large.", Status: http.StatusRequestEntityTooLarge, Fault: Sender}
	errBodyUnreadable = Errorf(CodeValidationError, "The request body could not be read.")
)

// body is a request's body as read: its bytes, their SHA-256 (computed as
// they came in) and the room they hold in the server's budget.
type body struct {
	b    []byte
	sum  [sha256.Size]byte
	held int64
}

// emptySum is the SHA-256 of no body.
var emptySum = sha256.Sum256(nil)

// readBody reads the whole body, refusing one larger than limit, within the
// budget of bytes in flight: the room a body needs (its declared length, or
// limit when it is chunked) is taken before it is read, waiting briefly for
// it, and the caller gives it back with s.budget.Release(b.held). A body of
// declared length (every SDK declares it) is read into one exact allocation.
func (s *Server) readBody(ctx context.Context, r *http.Request, limit int64) (body, error) {
	n := r.ContentLength
	switch {
	case n == 0:
		return body{sum: emptySum}, nil
	case n > limit:
		return body{}, errBodyTooLarge
	case n < 0:
		n = limit
	}
	if !s.takeBody(ctx, n) {
		return body{}, errThrottled
	}
	out, err := s.readHashed(r, limit)
	if err != nil {
		s.budget.Release(n)
		return body{}, err
	}
	out.held = n
	return out, nil
}

// readHashed reads and hashes the body in the same pass.
func (s *Server) readHashed(r *http.Request, limit int64) (body, error) {
	if r.ContentLength < 0 { // chunked: rare (no SDK sends it), read whole
		b, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
		switch {
		case err != nil:
			return body{}, errBodyUnreadable
		case int64(len(b)) > limit:
			return body{}, errBodyTooLarge
		}
		return body{b: b, sum: sha256.Sum256(b)}, nil
	}
	b := make([]byte, r.ContentLength)
	k, err := io.ReadFull(r.Body, b[:min(len(b), firstRead)])
	if err != nil {
		return body{}, errBodyUnreadable
	}
	if k == len(b) { // the whole body in one read, as an API call's always is
		return body{b: b, sum: sha256.Sum256(b)}, nil
	}
	sum, err := s.readRest(r.Body, b, k)
	if err != nil {
		return body{}, err
	}
	return body{b: b, sum: sum}, nil
}

// firstRead is how much of a body is read before hashing starts.
const firstRead = 32 << 10

// readRest reads the rest of a large body into b after its first k bytes,
// hashing each piece as it comes in.
func (s *Server) readRest(rd io.Reader, b []byte, k int) ([sha256.Size]byte, error) {
	var sum [sha256.Size]byte
	h, _ := s.hashes.Get().(hash.Hash)
	if h == nil {
		h = sha256.New()
	}
	defer func() { h.Reset(); s.hashes.Put(h) }()
	h.Write(b[:k])
	for off := k; off < len(b); {
		n, err := rd.Read(b[off:])
		h.Write(b[off : off+n])
		off += n
		if err != nil && (off < len(b) || !errors.Is(err, io.EOF)) {
			return sum, errBodyUnreadable
		}
	}
	h.Sum(sum[:0])
	return sum, nil
}

// preauth is what a request's headers prove before its body is read: the
// dev-mode root of a key iamq did not issue, or a signature whose key is
// known and awaits the body's hash.
type preauth struct {
	dev     bool
	caller  authz.Principal
	scope   sigv4.Scope
	pending sigv4.Pending
}

// authenticateHeaders checks all of the request's authentication that needs
// no body, so that a request naming no key iamq knows (or malformed, or
// stale) is refused before its body is read. In dev mode a key iamq did not
// issue is the root of an account, unverified.
func (s *Server) authenticateHeaders(ctx context.Context, r *http.Request) (preauth, error) {
	if s.opts.Current != nil {
		if err := s.opts.Current(ctx); err != nil {
			s.log.LogAttrs(ctx, slog.LevelDebug, "refused while the caches catch up", slog.Any("err", err))
			return preauth{}, errUnavailable()
		}
	}
	if s.opts.Dev {
		if scope, ok := sigv4.ScopeOf(r); ok {
			if dev, err := s.creds.DevKey(ctx, scope.AccessKeyID); err != nil {
				return preauth{}, err
			} else if dev {
				c, err := s.creds.DevRoot(ctx, scope.AccessKeyID, s.opts.DefaultAccount)
				return preauth{dev: true, caller: c, scope: scope}, err
			}
		}
	}
	p, err := s.verifier.Begin(ctx, r)
	return preauth{pending: p}, err
}

// authenticateBody finishes authentication with the body's hash, and
// returns who signed the request.
func (s *Server) authenticateBody(r *http.Request, a *preauth, sum [sha256.Size]byte) (authz.Principal, sigv4.Scope, error) {
	if a.dev {
		return a.caller, a.scope, nil
	}
	res, err := a.pending.Finish(r, sum)
	if err != nil {
		return authz.Principal{}, sigv4.Scope{}, err
	}
	return *res.Key.Owner.(*authz.Principal), res.Scope, nil
}

// DefaultBodyBytesInFlight bounds the bytes of request bodies held at once:
// a few thousand ordinary calls (the largest input, a policy document, is
// a few kilobytes), or 32 bodies of the largest size.
const DefaultBodyBytesInFlight = 32 << 20

// budgetWait is how long a request waits for room in the budget before it
// is refused with Throttling, which the SDKs retry with backoff.
const budgetWait = time.Second

// errThrottled is AWS's answer to a caller going faster than the service
// takes (the Query services' Common Errors: Throttling, HTTP 400).
var errThrottled = &APIError{Code: CodeThrottling, Message: "Rate exceeded", Status: http.StatusBadRequest, Fault: Sender}

// takeBody takes n bytes of the budget of bodies in flight, waiting up to
// budgetWait for room; false means the server is too busy (Throttling). The
// caller gives the bytes back with s.budget.Release(n).
func (s *Server) takeBody(ctx context.Context, n int64) bool {
	if s.budget.TryAcquire(n) {
		return true
	}
	ctx, cancel := context.WithTimeout(ctx, budgetWait)
	defer cancel()
	return s.budget.Acquire(ctx, n) == nil
}
