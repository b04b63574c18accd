package server

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/iamq/iamq/internal/server/servertest"
)

// TestAfterWrite: a write, of either protocol, syncs the caches and keeps
// the credential cache when it follows the change sequence; a read, a
// REST POST flagged ReadOnly and a failed call sync nothing; without a
// follower, or when the sync fails, the whole credential cache is dropped.
func TestAfterWrite(t *testing.T) {
	tests := []struct {
		name      string
		following bool  // the credentials follow the change sequence (Apply was called)
		syncErr   error // what Sync returns
		call      string
		syncs     int32
		lookups   int // key lookups of the next call: 1 when the cache was dropped
	}{
		{"Query write, following", true, nil, "query-write", 1, 0},
		{"Query write, not following", false, nil, "query-write", 1, 1},
		{"Query write, sync failed", true, errors.New("store down"), "query-write", 1, 1},
		{"Query read", false, nil, "query-read", 0, 0},
		{"REST write, following", true, nil, "rest-write", 1, 0},
		{"REST write, not following", false, nil, "rest-write", 1, 1},
		{"REST POST flagged ReadOnly", false, nil, "rest-check", 0, 0},
		{"REST GET", false, nil, "rest-get", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var syncs atomic.Int32
			f := newFixture(t, Options{Sync: func(context.Context) error { syncs.Add(1); return tt.syncErr }})
			ok := func(ctx context.Context, c *Call) (any, error) { return nil, nil }
			rest := func(ctx context.Context, c *Call) (int, any, error) {
				return http.StatusOK, map[string]bool{"ok": true}, nil
			}
			f.s.Query(serviceIAM, "TagUser", ok)
			f.s.Query(serviceIAM, "ListUsers", ok)
			f.s.REST(serviceMQ, "CreateBroker", "POST /v1/brokers", rest)
			f.s.REST(serviceMQ, "ValidatePolicy", "POST /policy/validation", rest, ReadOnly)
			f.s.REST(serviceMQ, "ListBrokers", "GET /v1/brokers", rest)
			if tt.following {
				f.s.creds.Apply(nil)
			}
			client := f.stsClient(userKeyID, userSecret)
			if _, err := client.GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{}); err != nil {
				t.Fatal(err)
			}
			r := afterWriteRequest(t, f, tt.call)
			resp, err := http.DefaultClient.Do(r)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%s = %d", tt.call, resp.StatusCode)
			}
			if got := syncs.Load(); got != tt.syncs {
				t.Errorf("%s synced %d times, want %d", tt.call, got, tt.syncs)
			}
			before, _ := f.st.counts()
			if _, err := client.GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{}); err != nil {
				t.Fatal(err)
			}
			if after, _ := f.st.counts(); after-before != tt.lookups {
				t.Errorf("after %s, the next call looked its key up %d times, want %d", tt.call, after-before, tt.lookups)
			}
		})
	}
}

// afterWriteRequest is TestAfterWrite's call, signed by the root.
func afterWriteRequest(t *testing.T, f *fixture, call string) *http.Request {
	t.Helper()
	if call == "query-write" || call == "query-read" {
		action := map[string]string{"query-write": "TagUser", "query-read": "ListUsers"}[call]
		return f.signed(t, rootKeyID, rootSecret, "us-east-1", "iam", "Action="+action+"&Version=2010-05-08", f.s.opts.Now())
	}
	method, path := http.MethodPost, map[string]string{"rest-write": "/v1/brokers", "rest-check": "/policy/validation", "rest-get": "/v1/brokers"}[call]
	if call == "rest-get" {
		method = http.MethodGet
	}
	r, err := http.NewRequest(method, f.srv.URL+path, strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	servertest.Sign(t, r, []byte("{}"), rootKeyID, rootSecret, "us-east-1", "mq", f.s.opts.Now())
	r.Body = io.NopCloser(strings.NewReader("{}"))
	return r
}
