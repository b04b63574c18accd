package httpserve

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// closedWithin reports whether the server closes c within d.
func closedWithin(c net.Conn, d time.Duration) bool {
	c.SetReadDeadline(time.Now().Add(d))
	_, err := io.ReadAll(c)
	var ne net.Error
	return !(errors.As(err, &ne) && ne.Timeout())
}

// get sends one GET on c and reads its answer.
func get(t *testing.T, c net.Conn, br *bufio.Reader) string {
	t.Helper()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(c, "GET /x HTTP/1.1\r\nHost: h\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp.Status + " " + string(b)
}

func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// TestFirstByteTimeout: a connection that sends nothing is closed after
// FirstByteTimeout, long before Timeout; one that has been answered waits
// Timeout for its next request.
func TestFirstByteTimeout(t *testing.T) {
	const first = 200 * time.Millisecond
	addr := start(t, &Server{Handler: echo, Timeout: time.Minute, FirstByteTimeout: first})
	silent := dial(t, addr)
	began := time.Now()
	if !closedWithin(silent, 5*time.Second) {
		t.Fatal("a silent connection is still open after 5 s")
	}
	if d := time.Since(began); d < first/2 {
		t.Errorf("a silent connection was closed after %v, before FirstByteTimeout", d)
	}
	used := dial(t, addr)
	get(t, used, bufio.NewReader(used))
	if closedWithin(used, 4*first) {
		t.Error("an answered connection was closed by FirstByteTimeout while it waited for its next request")
	}
}

// TestMaxConnections: at the cap, a new client is served at once and the
// connection idle longest is closed for it; when every connection is busy,
// a new one waits for a place rather than being refused.
func TestMaxConnections(t *testing.T) {
	release := make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/block" {
			<-release
		}
		io.WriteString(w, "ok")
	})
	addr := start(t, &Server{Handler: h, MaxConnections: 3})
	var idle []net.Conn
	for range 3 {
		idle = append(idle, dial(t, addr))
		time.Sleep(20 * time.Millisecond) // an order of idleness
	}
	// The second is answered once, so it became idle after the third.
	get(t, idle[1], bufio.NewReader(idle[1]))
	fresh := dial(t, addr)
	began := time.Now()
	if got := get(t, fresh, bufio.NewReader(fresh)); got != "200 OK ok" || time.Since(began) > time.Second {
		t.Fatalf("a new client at the cap got %q after %v", got, time.Since(began))
	}
	if !closedWithin(idle[0], time.Second) {
		t.Error("the connection idle longest is still open")
	}
	if closedWithin(idle[1], 100*time.Millisecond) {
		t.Error("the connection idle for the shortest time was closed")
	}

	// Every place busy: the next connection is served when one frees.
	for _, c := range []net.Conn{idle[1], idle[2], fresh} {
		if _, err := io.WriteString(c, "GET /block HTTP/1.1\r\nHost: h\r\n\r\n"); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(100 * time.Millisecond)
	waiting := dial(t, addr)
	io.WriteString(waiting, "GET /x HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")
	if closedWithin(waiting, 200*time.Millisecond) {
		t.Fatal("a connection beyond the cap was closed while every place was busy")
	}
	close(release)
	waiting.SetReadDeadline(time.Now().Add(5 * time.Second))
	b, err := io.ReadAll(waiting)
	if err != nil || !strings.HasPrefix(string(b), "HTTP/1.1 200 OK") {
		t.Fatalf("the waiting connection got %q, %v", b, err)
	}
}

// TestUnreadBodyNotAwaited: a handler that answers without reading a large
// declared body gets its answer sent at once, and the connection closed,
// without the server waiting for (or reading) the body.
func TestUnreadBodyNotAwaited(t *testing.T) {
	addr := start(t, &Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "refused", http.StatusForbidden)
	})})
	c := dial(t, addr)
	io.WriteString(c, "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1048576\r\n\r\nsome")
	c.SetReadDeadline(time.Now().Add(2 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil || resp.StatusCode != http.StatusForbidden || !resp.Close {
		t.Fatalf("answer to a request whose body is not sent = %v, %v; want 403 and close", resp, err)
	}
}
