package server

import (
	"context"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/iamq/iamq/internal/httpserve"
)

// testServer serves a handler on loopback as 'iamq serve' does, with
// internal/httpserve, so that the tests driving the endpoint through the
// SDKs also exercise the HTTP server that runs in production. It has the
// parts of httptest.Server the tests use.
type testServer struct {
	URL     string
	Handler http.Handler
	srv     *httpserve.Server
	client  *http.Client
	served  chan error
	once    sync.Once
}

// newTestServer starts serving h; Close stops it.
func newTestServer(h http.Handler) *testServer {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic("listening on loopback: " + err.Error())
	}
	s := &testServer{URL: "http://" + ln.Addr().String(), Handler: h, srv: &httpserve.Server{Handler: h},
		client: &http.Client{Transport: &http.Transport{}}, served: make(chan error, 1)}
	go func() { s.served <- s.srv.Serve(ln) }()
	return s
}

// Client returns a client for the server, whose connections Close ends.
func (s *testServer) Client() *http.Client { return s.client }

// Close shuts the server down, waiting for the requests in flight.
func (s *testServer) Close() {
	s.once.Do(func() {
		s.client.CloseIdleConnections()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		s.srv.Shutdown(ctx)
		<-s.served
	})
}
