// Package httpserve serves HTTP/1.1 connections to an [http.Handler] with
// less work per request than net/http's server.
//
// iamq's endpoint answers small API calls from the AWS CLI and SDKs, one
// after another on kept-alive connections. For such a call net/http's server
// costs more CPU than iamq's handler does (a goroutine and a read per request
// to watch the connection, a cancelable context, deadlines set three times,
// the response headers copied), and on a two-core machine that CPU is the
// endpoint's throughput. This server parses requests with net/http's own
// parser ([http.ReadRequest], with its checks of Content-Length and
// Transfer-Encoding), hands the handler a plain *http.Request, buffers the
// response and writes it with one system call.
//
// It bounds what clients may hold: at most MaxConnections connections (at
// the cap a new one takes the place of the longest idle one, so that
// silent connections cannot lock clients out), a short wait for a new
// connection's first byte, and no read buffer until that byte comes.
//
// What it leaves out: HTTP/2, TLS, response trailers, [http.Flusher] and
// [http.Hijacker], and cancelling a request's context when its client goes
// away (an API call is short; the context ends when the server shuts down).
package httpserve

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults for a zero [Server].
const (
	DefaultTimeout        = 2 * time.Minute
	DefaultHeaderTimeout  = 10 * time.Second
	DefaultMaxHeaderBytes = 64 << 10
	// DefaultFirstByteTimeout is how long a new connection may stay silent.
	DefaultFirstByteTimeout = 10 * time.Second
	// DefaultMaxConnections is well under the usual limits on open files
	// (Go raises the soft limit to the hard one, often 65,536 or more).
	DefaultMaxConnections = 4096
)

// maxDrain is how much of a body the handler left unread is read and
// discarded to keep the connection; a longer rest closes it.
const maxDrain = 256 << 10

// lingerTime is how long lingerClose waits for the client's rest.
const lingerTime = 500 * time.Millisecond

// maxKeptBuffer is the largest response buffer a connection keeps for its
// next request.
const maxKeptBuffer = 64 << 10

// ErrServerClosed is what Serve returns after Shutdown.
var ErrServerClosed = http.ErrServerClosed

// Server serves HTTP/1.1. Set its fields before Serve; it is safe for
// concurrent use after.
type Server struct {
	// Handler answers every request.
	Handler http.Handler
	// Timeout bounds a connection's wait for its next request and the time
	// to read that request and write its answer; the connection is closed
	// when it passes. The deadline is renewed at most once a second, so a
	// connection gets between Timeout-1s and Timeout (Timeout/8 for timeouts
	// under 8 s). 0 means DefaultTimeout.
	Timeout time.Duration
	// HeaderTimeout bounds the time to read a request's line and headers
	// once its first bytes have come, when they did not all come at once.
	// 0 means DefaultHeaderTimeout.
	HeaderTimeout time.Duration
	// MaxHeaderBytes bounds a request's line and headers; a larger request
	// is answered 431. 0 means DefaultMaxHeaderBytes.
	MaxHeaderBytes int
	// FirstByteTimeout bounds a new connection's wait for the first byte of
	// its first request (never more than Timeout); a client that connects
	// and sends nothing is closed when it passes. 0 means
	// DefaultFirstByteTimeout.
	FirstByteTimeout time.Duration
	// MaxConnections caps the connections open at once. At the cap, a new
	// connection closes the one that has been idle longest (waiting for its
	// first or its next request); when none is idle, accepting waits for a
	// connection to end. 0 means DefaultMaxConnections.
	MaxConnections int
	// BaseContext is the context of every request; nil means Background.
	// Shutdown does not cancel it.
	BaseContext context.Context
	// Logger receives handler panics and failed accepts; nil discards them.
	Logger *slog.Logger

	closing   atomic.Bool
	mu        sync.Mutex // guards the fields below and every conn's busy, shut and idle links
	listeners map[net.Listener]struct{}
	conns     map[*conn]struct{}
	idle      idleList   // the idle connections, longest idle first
	freed     *sync.Cond // on mu: a connection has ended or become idle
	waiting   bool       // an accept waits on freed
}

// Serve accepts connections on ln and serves each on its own goroutine until
// Shutdown is called, when it returns [ErrServerClosed], or ln is closed.
// Other accept errors (too many open files) are logged and retried after a
// pause, as net/http does.
func (s *Server) Serve(ln net.Listener) error {
	if !s.track(ln) {
		ln.Close()
		return ErrServerClosed
	}
	defer s.untrack(ln)
	var backoff time.Duration
	for {
		rwc, err := ln.Accept()
		if err != nil {
			if s.closing.Load() {
				return ErrServerClosed
			}
			if errors.Is(err, net.ErrClosed) {
				return err
			}
			backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
			s.logError("httpserve: accepting a connection", "err", err, "retry_in", backoff)
			time.Sleep(backoff)
			continue
		}
		backoff = 0
		c := &conn{srv: s, rwc: rwc, remote: rwc.RemoteAddr().String()}
		if !s.admit(c) {
			rwc.Close()
			return ErrServerClosed
		}
		go c.serve()
	}
}

// Shutdown stops accepting connections, closes the idle ones and waits for
// the others to finish their request, until ctx ends.
func (s *Server) Shutdown(ctx context.Context) error {
	s.closing.Store(true)
	s.mu.Lock()
	for ln := range s.listeners {
		ln.Close()
	}
	if s.freed != nil {
		s.freed.Broadcast() // an accept waiting for a free place gives up
	}
	s.mu.Unlock()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		s.mu.Lock()
		n := len(s.conns)
		for c := range s.conns {
			// Again on every tick: a connection that renewed its deadline
			// just after it went idle is woken by the next.
			c.closeIfIdle()
		}
		s.mu.Unlock()
		if n == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
}

func (s *Server) track(ln net.Listener) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing.Load() {
		return false
	}
	if s.listeners == nil {
		s.listeners = make(map[net.Listener]struct{})
	}
	s.listeners[ln] = struct{}{}
	return true
}

func (s *Server) untrack(ln net.Listener) {
	s.mu.Lock()
	delete(s.listeners, ln)
	s.mu.Unlock()
}

func (s *Server) timeout() time.Duration {
	if s.Timeout > 0 {
		return s.Timeout
	}
	return DefaultTimeout
}

// firstByteTimeout is the wait for a new connection's first byte.
func (s *Server) firstByteTimeout() time.Duration {
	d := DefaultFirstByteTimeout
	if s.FirstByteTimeout > 0 {
		d = s.FirstByteTimeout
	}
	return min(d, s.timeout())
}

func (s *Server) headerTimeout() time.Duration {
	if s.HeaderTimeout > 0 {
		return s.HeaderTimeout
	}
	return DefaultHeaderTimeout
}

func (s *Server) maxHeaderBytes() int64 {
	if s.MaxHeaderBytes > 0 {
		return int64(s.MaxHeaderBytes)
	}
	return DefaultMaxHeaderBytes
}

func (s *Server) logError(msg string, args ...any) {
	if s.Logger != nil {
		s.Logger.Error(msg, args...)
	}
}

// conn is one client connection, serving its requests in turn.
type conn struct {
	srv    *Server
	rwc    net.Conn
	remote string
	lr     limitedReader // what the bufio.Reader reads: the header budget
	br     *bufio.Reader
	bw     *bufio.Writer
	out    bytes.Buffer   // the response body being written
	body   countingReader // the request body of declared length, as read
	// deadline is the read and write deadline last set.
	deadline time.Time
	// first is the first byte of the first request, read before the
	// connection has a read buffer.
	first [1]byte
	// Guarded by srv.mu: busy while reading or answering a request; shut
	// once Shutdown or the cap has ended it; the links of the idle list.
	busy       bool
	shut       bool
	prev, next *conn
}

// headerBuffered reports whether the request's headers have all been read
// into the buffer, as a small request's are by its first read.
func (c *conn) headerBuffered() bool {
	b, _ := c.br.Peek(c.br.Buffered())
	return bytes.Contains(b, []byte("\n\r\n")) || bytes.Contains(b, []byte("\n\n"))
}

// extendDeadline renews the deadline when it is more than a second (or an
// eighth of the timeout) old: a system call and a timer update saved on most
// requests.
func (c *conn) extendDeadline() {
	t := c.srv.timeout()
	want := time.Now().Add(t)
	if want.Sub(c.deadline) > min(time.Second, t/8) {
		c.deadline = want
		c.rwc.SetDeadline(want)
	}
}

func (c *conn) serve() {
	defer func() {
		c.rwc.Close()
		c.srv.remove(c)
	}()
	if !c.firstByte() {
		return
	}
	ctx := c.srv.BaseContext // nil: requests keep ReadRequest's Background
	for {
		if c.br == nil {
			c.br = bufio.NewReaderSize(&c.lr, 4<<10)
		} else {
			c.extendDeadline()
		}
		c.lr.n = c.srv.maxHeaderBytes() // the budget of the request line and headers
		if _, err := c.br.Peek(1); err != nil {
			return // closed, timed out, or woken by Shutdown
		}
		if !c.setBusy(true) {
			return
		}
		if !c.headerBuffered() {
			// A request arriving in pieces gets HeaderTimeout for its
			// headers, then the deadline is renewed for its body.
			c.rwc.SetReadDeadline(time.Now().Add(c.srv.headerTimeout()))
			c.deadline = time.Time{}
		}
		if !c.serveOne(ctx) {
			return
		}
		if c.srv.closing.Load() || !c.setBusy(false) {
			return
		}
	}
}

// firstByte waits FirstByteTimeout for the connection's first byte, with no
// buffer yet: a silent client costs its goroutine and socket only. The byte
// is handed to the request parser first.
func (c *conn) firstByte() bool {
	c.rwc.SetDeadline(time.Now().Add(c.srv.firstByteTimeout()))
	c.deadline = time.Time{} // renewed once the request has come
	if n, err := c.rwc.Read(c.first[:]); n == 0 || err != nil && err != io.EOF {
		return false
	}
	c.lr.r, c.lr.pending = c.rwc, true
	c.lr.first = c.first[0]
	return true
}

// writer is the connection's write buffer, made at its first answer.
func (c *conn) writer() *bufio.Writer {
	if c.bw == nil {
		c.bw = bufio.NewWriterSize(c.rwc, 4<<10)
	}
	return c.bw
}

// serveOne reads one request and answers it; it reports whether the
// connection may serve another.
func (c *conn) serveOne(ctx context.Context) (keep bool) {
	r, err := http.ReadRequest(c.br)
	tooLarge := c.lr.exhausted()
	c.lr.n = 1<<63 - 1 // the body is bounded by its length, or by the handler
	if c.deadline.IsZero() {
		c.extendDeadline() // after a HeaderTimeout
	}
	if err != nil {
		switch {
		case tooLarge:
			c.refuse(http.StatusRequestHeaderFieldsTooLarge, "request line and headers are too large")
		case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		case isTimeout(err):
		case strings.Contains(err.Error(), "unsupported transfer encoding"):
			c.refuse(http.StatusNotImplemented, "unsupported transfer encoding")
		default:
			c.refuse(http.StatusBadRequest, err.Error())
		}
		return false
	}
	if msg := checkRequest(r); msg != "" {
		c.refuse(http.StatusBadRequest, msg)
		return false
	}
	if r.ContentLength > 0 {
		c.body = countingReader{ReadCloser: r.Body}
		r.Body = &c.body
	}
	if expect := r.Header.Get("Expect"); expect != "" {
		if !strings.EqualFold(expect, "100-continue") || !r.ProtoAtLeast(1, 1) {
			c.refuse(http.StatusExpectationFailed, "unsupported Expect header")
			return false
		}
		if r.ContentLength != 0 {
			r.Body = &continueReader{ReadCloser: r.Body, c: c}
		}
	}
	r.RemoteAddr = c.remote
	if ctx != nil {
		r = r.WithContext(ctx)
	}
	w := &response{c: c, req: r, header: make(http.Header, 4)}
	c.out.Reset()
	if !c.run(w, r) {
		return false
	}
	keep = !r.Close && !c.srv.closing.Load() && !wantsClose(w.header)
	if cr, ok := r.Body.(*continueReader); ok && !cr.sent {
		keep = false // the client has not sent the body it waits to be asked for
	}
	// A body the handler left mostly unread (a request refused from its
	// headers) is not waited for: the connection is closed instead.
	unread := keep && (r.ContentLength-c.body.n > maxDrain || !drain(r.Body))
	keep = keep && !unread
	if !unread {
		// Not when unread: closing net/http's request body reads it to its
		// end, which is what closing the connection avoids.
		r.Body.Close()
	}
	if err := w.finish(keep); err != nil {
		return false
	}
	if unread {
		c.lingerClose()
	}
	if c.out.Cap() > maxKeptBuffer {
		c.out = bytes.Buffer{}
	}
	return keep
}

// run calls the handler; a panic is logged and answered 500, and ends the
// connection, as net/http does.
func (c *conn) run(w *response, r *http.Request) (ok bool) {
	defer func() {
		if p := recover(); p != nil {
			if p != http.ErrAbortHandler {
				c.srv.logError("http: panic serving "+c.remote, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			}
			if !w.wroteHeader {
				c.refuse(http.StatusInternalServerError, "")
			}
			ok = false
		}
	}()
	c.srv.Handler.ServeHTTP(w, r)
	return true
}

// refuse answers a request that cannot be served and will close the
// connection.
func (c *conn) refuse(status int, msg string) {
	text := strconv.Itoa(status) + " " + http.StatusText(status)
	if msg != "" {
		text += ": " + msg
	}
	bw := c.writer()
	fmt.Fprintf(bw, "HTTP/1.1 %03d %s\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\nContent-Length: %d\r\n\r\n%s",
		status, http.StatusText(status), len(text), text)
	if bw.Flush() == nil {
		c.lingerClose()
	}
}

// lingerClose ends the sending side and reads what the client still sends
// for a moment before the connection is closed: closing a socket with unread
// input resets it, and the client might lose the answer.
func (c *conn) lingerClose() {
	if tc, ok := c.rwc.(interface{ CloseWrite() error }); ok {
		tc.CloseWrite()
		c.rwc.SetReadDeadline(time.Now().Add(lingerTime))
		io.CopyN(io.Discard, c.rwc, maxDrain)
	}
}

// checkRequest applies the rules net/http's server adds to ReadRequest's:
// HTTP/1.x only, and exactly one valid Host on HTTP/1.1.
func checkRequest(r *http.Request) string {
	if r.ProtoMajor != 1 {
		return "unsupported protocol version"
	}
	if r.ProtoAtLeast(1, 1) && r.Host == "" {
		return "missing required Host header"
	}
	if !validHost(r.Host) {
		return "malformed Host header"
	}
	return ""
}

// validHost reports whether h has only the bytes a host and port may have
// (RFC 3986's reg-name, IP literals and port).
func validHost(h string) bool {
	for i := 0; i < len(h); i++ {
		c := h[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("-._~!$&'()*+,;=:[]%", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// drain reads what the handler left of the body, up to maxDrain; it reports
// whether the body was read to its end, so that the connection can be kept.
func drain(body io.Reader) bool {
	n, err := io.CopyN(io.Discard, body, maxDrain+1)
	return n <= maxDrain && (err == io.EOF || err == nil && n == 0)
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// limitedReader is the connection as the request parser reads it: at most n
// more bytes. It bounds the request line and headers. It gives the
// connection's first byte, read before, first.
type limitedReader struct {
	r       io.Reader
	n       int64
	first   byte
	pending bool // first is still to be read
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		return 0, errHeaderBudget
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	if l.pending && len(p) > 0 {
		// With what else has come, so that a request sent at once is
		// buffered whole by one read, as headerBuffered expects.
		p[0], l.pending = l.first, false
		n, err := l.r.Read(p[1:])
		l.n -= int64(n) + 1
		return n + 1, err
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}

func (l *limitedReader) exhausted() bool { return l.n <= 0 }

var errHeaderBudget = errors.New("httpserve: request headers too large")

// countingReader counts the bytes read of a request body.
type countingReader struct {
	io.ReadCloser
	n int64
}

func (r *countingReader) Read(p []byte) (int, error) {
	n, err := r.ReadCloser.Read(p)
	r.n += int64(n)
	return n, err
}

// continueReader sends "100 Continue" before the first read of a body whose
// client waits for it.
type continueReader struct {
	io.ReadCloser
	c    *conn
	sent bool
}

func (r *continueReader) Read(p []byte) (int, error) {
	if !r.sent {
		r.sent = true
		bw := r.c.writer()
		bw.WriteString("HTTP/1.1 100 Continue\r\n\r\n")
		if err := bw.Flush(); err != nil {
			return 0, err
		}
	}
	return r.ReadCloser.Read(p)
}
