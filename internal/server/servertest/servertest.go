// Package servertest starts iamq's endpoint for tests as 'iamq serve' runs
// it: a handler served on loopback by internal/httpserve, over a SQLite store
// in a temporary directory, with SDK clients that retry only what the SDKs
// themselves retry on a closed connection.
//
// It may import internal/httpserve, internal/store and
// internal/store/sqlite; the packages of the endpoint's services use it from
// their tests.
package servertest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/iamq/iamq/internal/httpserve"
	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/internal/store/sqlite"
)

// Server serves a handler on loopback as 'iamq serve' does, with
// internal/httpserve, so that the tests driving the endpoint through the
// SDKs also exercise the HTTP server that runs in production. It has the
// parts of httptest.Server the tests use.
type Server struct {
	URL     string
	Handler http.Handler
	srv     *httpserve.Server
	client  *http.Client
	served  chan error
	once    sync.Once
}

// Start starts serving h; Close stops it.
func Start(h http.Handler) *Server {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic("listening on loopback: " + err.Error())
	}
	s := &Server{URL: "http://" + ln.Addr().String(), Handler: h, srv: &httpserve.Server{Handler: h},
		client: &http.Client{Transport: &http.Transport{}}, served: make(chan error, 1)}
	go func() { s.served <- s.srv.Serve(ln) }()
	return s
}

// Client returns a client for the server, whose connections Close ends.
func (s *Server) Client() *http.Client { return s.client }

// Close shuts the server down, waiting for the requests in flight.
func (s *Server) Close() {
	s.once.Do(func() {
		s.client.CloseIdleConnections()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		s.srv.Shutdown(ctx)
		<-s.served
	})
}

// Retryer is the test clients' retryer: API errors are never retried, so a
// test sees each refusal as the server gave it, but the connection errors
// that the SDK itself retries by default are. Go's HTTP client can close a
// keep-alive connection while a large response is still being read, when the
// server answered before the client's writer finished with the request body
// (aws/aws-sdk-go-v2#1825, #2737); the SDK retries "use of closed network
// connection" for that reason.
func Retryer() aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = 3
		o.Retryables = []retry.IsErrorRetryable{retry.RetryableConnectionError{}}
	})
}

// OpenSQLite opens a SQLite store with options o in a fresh temporary
// directory of tb, closed when tb ends.
func OpenSQLite(tb testing.TB, o store.Options) *sqlite.Store {
	tb.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "iamq.db"), o)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return st
}

// Sign signs r, whose body is body, with the SDK's signer as keyID for
// service in region at the time at.
func Sign(tb testing.TB, r *http.Request, body []byte, keyID, secret, region, service string, at time.Time) {
	tb.Helper()
	sum := sha256.Sum256(body)
	creds := aws.Credentials{AccessKeyID: keyID, SecretAccessKey: secret}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, r, hex.EncodeToString(sum[:]), service, region, at); err != nil {
		tb.Fatal(err)
	}
}

// Follow starts the one follower of st's change sequence that a process
// runs, fanning out to caches, until tb ends; its Sync is the endpoint's
// Options.Sync.
func Follow(tb testing.TB, st store.Store, caches ...func([]store.Change)) *store.Follower {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	tb.Cleanup(cancel)
	f := store.NewFollower(st)
	for _, c := range caches {
		f.Subscribe(c)
	}
	if err := f.Start(ctx, nil); err != nil {
		tb.Fatal(err)
	}
	return f
}

// QueryError is the Query protocol's error envelope.
type QueryError struct {
	XMLName xml.Name `xml:"ErrorResponse"`
	Error   struct {
		Type, Code, Message string
	}
	RequestID string `xml:"RequestId"`
}

// Send sends r and decodes the Query error envelope (zero for a success),
// checking that it carries the response's request id.
func Send(tb testing.TB, r *http.Request) (int, QueryError, []byte) {
	tb.Helper()
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var e QueryError
	if resp.StatusCode != http.StatusOK {
		if err := xml.Unmarshal(body, &e); err != nil {
			tb.Fatalf("error body %q: %v", body, err)
		}
		if e.RequestID == "" || e.RequestID != resp.Header.Get("x-amzn-RequestId") {
			tb.Errorf("RequestId %q, header %q", e.RequestID, resp.Header.Get("x-amzn-RequestId"))
		}
	}
	return resp.StatusCode, e, body
}
