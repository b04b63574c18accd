package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/iamq/iamq/internal/server/servertest"
)

// headersOnly sends r's line and headers on a new connection, and as much
// of its body as part says, and returns the connection, the rest unsent.
func headersOnly(t *testing.T, f *fixture, r *http.Request, part int) net.Conn {
	t.Helper()
	var buf bytes.Buffer
	if err := r.Write(&buf); err != nil {
		t.Fatal(err)
	}
	raw := buf.Bytes()
	end := bytes.Index(raw, []byte("\r\n\r\n")) + 4
	c, err := net.Dial("tcp", strings.TrimPrefix(f.srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if _, err := c.Write(raw[:end+part]); err != nil {
		t.Fatal(err)
	}
	return c
}

// answer reads the response on c, waiting at most d.
func answer(t *testing.T, c net.Conn, d time.Duration) (int, servertest.QueryError) {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(d))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("no answer within %v: %v", d, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var e servertest.QueryError
	if resp.StatusCode != http.StatusOK {
		if err := xml.Unmarshal(body, &e); err != nil {
			t.Fatalf("error body %q: %v", body, err)
		}
	}
	return resp.StatusCode, e
}

// bigPost is a form POST of about 1 MB, signed by keyID.
func bigPost(t *testing.T, f *fixture, keyID, secret string) *http.Request {
	body := stsBody + "&Padding=" + strings.Repeat("x", 1<<20-len(stsBody)-20)
	return f.signed(t, keyID, secret, "us-east-1", "sts", body, signAt)
}

// TestRefusedBeforeBody: a request without a signature, or signed with a key
// iamq does not know, is answered from its headers alone: the server does
// not wait for (or hold) its body.
func TestRefusedBeforeBody(t *testing.T) {
	f := newFixture(t, Options{Now: func() time.Time { return signAt }})
	unsigned := bigPost(t, f, rootKeyID, rootSecret)
	unsigned.Header.Del("Authorization")
	tests := []struct {
		name string
		r    *http.Request
		code string
	}{
		{"unsigned", unsigned, "MissingAuthenticationToken"},
		{"unknown key", bigPost(t, f, "AKIANOTISSUED0000000", rootSecret), "InvalidClientTokenId"},
		{"stale signature", f.signed(t, rootKeyID, rootSecret, "us-east-1", "sts", strings.Repeat("x", 1<<20), signAt.Add(-time.Hour)), "SignatureDoesNotMatch"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := headersOnly(t, f, tt.r, 0)
			if status, e := answer(t, c, 2*time.Second); status != http.StatusForbidden || e.Error.Code != tt.code {
				t.Fatalf("answer = %d %s, want 403 %s", status, e.Error.Code, tt.code)
			}
		})
	}
}

// TestBodyBudget: bodies beyond the budget of bytes in flight wait for room
// briefly, then are refused with Throttling; room given back is taken again.
func TestBodyBudget(t *testing.T) {
	f := newFixture(t, Options{Now: func() time.Time { return signAt }, BodyBytesInFlight: 1 << 20})
	// A known key's 1 MB body, half sent, holds the whole budget.
	held := headersOnly(t, f, bigPost(t, f, rootKeyID, rootSecret), 1000)
	time.Sleep(100 * time.Millisecond)
	began := time.Now()
	status, e, body := servertest.Send(t, bigPost(t, f, userKeyID, userSecret))
	if status != http.StatusBadRequest || e.Error.Code != "Throttling" || e.Error.Message != "Rate exceeded" || e.Error.Type != "Sender" {
		t.Fatalf("a body beyond the budget = %d %+v: %s", status, e, body)
	}
	if d := time.Since(began); d < budgetWait/2 {
		t.Errorf("refused after %v, without waiting for room", d)
	}
	held.Close() // the server gives the room back when the read fails
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for ctx.Err() == nil {
		if status, _, _ = servertest.Send(t, bigPost(t, f, userKeyID, userSecret)); status == http.StatusOK {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("after the held body went away, a body of the budget's size got %d", status)
}
