package httpserve

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// echo answers with what a handler sees of the request, so that two
// servers can be compared request by request.
var echo = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	var names []string
	for k := range r.Header {
		names = append(names, k)
	}
	slices.Sort(names)
	w.Header().Set("Content-Type", "text/plain")
	fmt.Fprintf(w, "%s %s %s path=%q query=%q host=%q length=%d te=%q close=%v body=%q err=%v\n",
		r.Method, r.RequestURI, r.Proto, r.URL.Path, r.URL.RawQuery, r.Host, r.ContentLength, r.TransferEncoding, r.Close, body, err)
	for _, k := range names {
		fmt.Fprintf(w, "%s: %q\n", k, r.Header[k])
	}
})

// start serves h with a Server on loopback.
func start(t testing.TB, s *Server) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
		if err := <-done; !errors.Is(err, ErrServerClosed) {
			t.Errorf("Serve returned %v", err)
		}
	})
	return ln.Addr().String()
}

// exchange writes raw to addr and reads every response until the server
// closes the connection (or 300 ms pass), returning them and whether the
// server closed it.
func exchange(t *testing.T, addr, raw string) (resps []string, closed bool) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := io.WriteString(c, raw); err != nil {
		t.Fatal(err)
	}
	c.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	br := bufio.NewReader(c)
	for {
		req, _ := http.ReadRequest(bufio.NewReader(strings.NewReader(raw))) // for HEAD's sake
		resp, err := http.ReadResponse(br, req)
		if err != nil {
			var ne net.Error
			return resps, !(errors.As(err, &ne) && ne.Timeout())
		}
		b, _ := io.ReadAll(resp.Body)
		resps = append(resps, fmt.Sprintf("%d %s", resp.StatusCode, b))
		if resp.Close {
			_, err := br.ReadByte()
			return resps, err == io.EOF
		}
	}
}

// requests reads the raw requests of testdata/requests, with "\n" made
// "\r\n" and a final "\\" meaning "no line break here".
func requests(t testing.TB) map[string]string {
	files, err := filepath.Glob("testdata/requests/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no requests in testdata/requests: %v", err)
	}
	out := make(map[string]string)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		raw := strings.ReplaceAll(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n", "\r\n")
		raw = strings.ReplaceAll(raw, "\\\r\n", "")
		out[strings.TrimSuffix(filepath.Base(f), ".txt")] = raw
	}
	return out
}

// TestAsNetHTTP: every request of the corpus reaches the handler as net/http's
// server would give it, and gets the same statuses and connection handling.
func TestAsNetHTTP(t *testing.T) {
	ours := start(t, &Server{Handler: echo})
	std := httptest.NewServer(echo)
	defer std.Close()
	for name, raw := range requests(t) {
		t.Run(name, func(t *testing.T) {
			got, gotClosed := exchange(t, ours, raw)
			want, wantClosed := exchange(t, std.Listener.Addr().String(), raw)
			if len(got) != len(want) || gotClosed != wantClosed {
				t.Fatalf("got %d responses (closed %v), net/http %d (closed %v):\n%q\n%q", len(got), gotClosed, len(want), wantClosed, got, want)
			}
			for i := range got {
				if got[i][:3] != want[i][:3] || (got[i][:1] == "2" && got[i] != want[i]) {
					t.Errorf("response %d:\n got %q\nwant %q", i+1, got[i], want[i])
				}
			}
		})
	}
}

// TestRefusals: malformed requests are answered with the right status and
// the connection closed.
func TestRefusals(t *testing.T) {
	addr := start(t, &Server{Handler: echo, MaxHeaderBytes: 1 << 10})
	tests := []struct {
		name, raw string
		status    string
	}{
		{"headers too large", "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + strings.Repeat("a", 2<<10) + "\r\n\r\n", "431"},
		{"no Host", "GET / HTTP/1.1\r\n\r\n", "400"},
		{"two Hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "400"},
		{"bad Host", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", "400"},
		{"two lengths", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", "400"},
		{"bad length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", "400"},
		{"gzip coding", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", "501"},
		{"HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "400"},
		{"bad expectation", "POST / HTTP/1.1\r\nHost: x\r\nExpect: magic\r\nContent-Length: 1\r\n\r\na", "417"},
		{"garbage", "\x00\x01\x02 nonsense\r\n\r\n", "400"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, closed := exchange(t, addr, tc.raw)
			if len(got) != 1 || !strings.HasPrefix(got[0], tc.status+" ") || !closed {
				t.Fatalf("got %q (closed %v), want one %s and the connection closed", got, closed, tc.status)
			}
		})
	}
}

// TestClientFeatures: net/http's client, kept-alive, with a body it sends
// only after "100 Continue", and HEAD.
func TestClientFeatures(t *testing.T) {
	addr := start(t, &Server{Handler: echo})
	tr := &http.Transport{ExpectContinueTimeout: 10 * time.Second}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	var conns sync.Map
	for i := range 3 {
		req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/p?q=1", strings.NewReader("Action=X"))
		req.Header.Set("Expect", "100-continue")
		req = req.WithContext(httptraceConn(req.Context(), &conns))
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(b), `body="Action=X"`) {
			t.Fatalf("request %d: %d %s", i, resp.StatusCode, b)
		}
	}
	if n := count(&conns); n != 1 {
		t.Errorf("3 requests used %d connections, want 1", n)
	}
	resp, err := client.Head("http://" + addr + "/")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || len(b) != 0 || resp.ContentLength <= 0 || resp.Header.Get("Date") == "" {
		t.Errorf("HEAD: %d, body %q, length %d, Date %q", resp.StatusCode, b, resp.ContentLength, resp.Header.Get("Date"))
	}
}

// TestPanic: a panicking handler is answered 500 and its connection closed;
// the server goes on.
func TestPanic(t *testing.T) {
	addr := start(t, &Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/panic" {
			panic("boom")
		}
		io.WriteString(w, "fine")
	})})
	got, closed := exchange(t, addr, "GET /panic HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n")
	if len(got) != 1 || !strings.HasPrefix(got[0], "500") || !closed {
		t.Fatalf("got %q (closed %v), want one 500 and the connection closed", got, closed)
	}
	if got, _ := exchange(t, addr, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"); len(got) != 1 || got[0] != "200 fine" {
		t.Fatalf("after the panic: %q", got)
	}
}

// TestShutdown: a request in flight finishes, an idle connection is closed,
// Serve returns ErrServerClosed and new connections are refused.
func TestShutdown(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	s := &Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			close(entered)
			<-release
		}
		io.WriteString(w, "done")
	})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- s.Serve(ln) }()
	addr := ln.Addr().String()

	idle, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	io.WriteString(idle, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	if resp, err := http.ReadResponse(bufio.NewReader(idle), nil); err != nil || resp.StatusCode != 200 {
		t.Fatalf("idle connection's first request: %v", err)
	}
	slow := make(chan string, 1)
	go func() {
		got, _ := exchange(t, addr, "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
		slow <- strings.Join(got, "|")
	}()
	<-entered
	shut := make(chan error, 1)
	go func() { shut <- s.Shutdown(context.Background()) }()
	idle.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := idle.Read(make([]byte, 1)); err != io.EOF {
		t.Errorf("idle connection: read %v, want EOF", err)
	}
	select {
	case err := <-shut:
		t.Fatalf("Shutdown returned %v with a request in flight", err)
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	if got := <-slow; got != "200 done" {
		t.Errorf("request in flight got %q", got)
	}
	if err := <-shut; err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	if err := <-served; !errors.Is(err, ErrServerClosed) {
		t.Errorf("Serve: %v", err)
	}
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Error("a connection was accepted after Shutdown")
	}
}

// TestTimeouts: a connection that sends nothing is closed once Timeout
// passes; one that sends half its headers, once HeaderTimeout passes.
func TestTimeouts(t *testing.T) {
	short := 200 * time.Millisecond
	tests := []struct {
		name string
		srv  *Server
		raw  string
	}{
		{"idle", &Server{Handler: echo, Timeout: short}, ""},
		{"half a request", &Server{Handler: echo, Timeout: time.Minute, HeaderTimeout: short}, "GET / HTTP/1.1\r\nHo"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := net.Dial("tcp", start(t, tc.srv))
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			io.WriteString(c, tc.raw)
			c.SetReadDeadline(time.Now().Add(5 * time.Second))
			began := time.Now()
			_, err = io.ReadAll(c)
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				t.Fatalf("still open after 5 s")
			}
			if d := time.Since(began); d < short/2 {
				t.Errorf("closed after %v, before the timeout", d)
			}
		})
	}
}

// TestContentLength: the length sent is the body's, even when the handler
// declared another; HEAD keeps the length the handler gave.
func TestContentLength(t *testing.T) {
	addr := start(t, &Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", r.URL.Query().Get("declare"))
		if r.Method != http.MethodHead {
			io.WriteString(w, "hello")
		}
	})})
	for _, tc := range []struct{ method, declare, want string }{
		{"GET", "5", "5"}, {"GET", "3", "5"}, {"GET", "+5", "5"}, {"GET", "", "5"}, {"HEAD", "42", "42"},
	} {
		req, _ := http.NewRequest(tc.method, "http://"+addr+"/?declare="+url.QueryEscape(tc.declare), nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if got := resp.Header.Get("Content-Length"); got != tc.want || (tc.method == "GET" && string(b) != "hello") {
			t.Errorf("%s declaring %q: Content-Length %q, body %q; want %s", tc.method, tc.declare, got, b, tc.want)
		}
	}
}

// TestDateHeader: Date is the current second, as net/http would write it.
func TestDateHeader(t *testing.T) {
	before := time.Now().Truncate(time.Second)
	v := dates.now()
	d, err := http.ParseTime(v[0])
	if err != nil || d.Before(before) || d.After(time.Now()) {
		t.Fatalf("Date %q (%v), want the current second", v, err)
	}
}

// httptraceConn records in conns every connection a request uses.
func httptraceConn(ctx context.Context, conns *sync.Map) context.Context {
	return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{GotConn: func(i httptrace.GotConnInfo) {
		conns.Store(i.Conn.LocalAddr().String(), true)
	}})
}

func count(m *sync.Map) (n int) {
	m.Range(func(any, any) bool { n++; return true })
	return n
}

// flakyListener fails its first accepts as a process out of file
// descriptors does.
type flakyListener struct {
	net.Listener
	fails int
}

func (l *flakyListener) Accept() (net.Conn, error) {
	if l.fails > 0 {
		l.fails--
		return nil, &net.OpError{Op: "accept", Net: "tcp", Err: errors.New("too many open files")}
	}
	return l.Listener.Accept()
}

// TestAcceptErrors: failed accepts are retried, not the end of serving.
func TestAcceptErrors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Handler: echo}
	done := make(chan error, 1)
	go func() { done <- s.Serve(&flakyListener{Listener: ln, fails: 3}) }()
	defer func() {
		s.Shutdown(context.Background())
		if err := <-done; !errors.Is(err, ErrServerClosed) {
			t.Errorf("Serve: %v", err)
		}
	}()
	got, _ := exchange(t, ln.Addr().String(), "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	if len(got) != 1 || !strings.HasPrefix(got[0], "200 ") {
		t.Fatalf("after three failed accepts: %q", got)
	}
}
