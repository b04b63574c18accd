package server

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iamq/iamq/eval"
	"github.com/iamq/iamq/internal/authz"
	"github.com/iamq/iamq/internal/server/servertest"
	"github.com/iamq/iamq/policy"
)

// records is a slog.Handler that keeps every record it is given at or above
// its level, for tests to look at attribute by attribute.
type records struct {
	level slog.Level
	mu    sync.Mutex
	recs  []slog.Record
}

func (h *records) Enabled(_ context.Context, l slog.Level) bool { return l >= h.level }
func (h *records) WithAttrs([]slog.Attr) slog.Handler           { return h }
func (h *records) WithGroup(string) slog.Handler                { return h }
func (h *records) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.recs = append(h.recs, r.Clone())
	return nil
}

// find returns the attributes of the records with message msg.
func (h *records) find(msg string) []map[string]string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []map[string]string
	for _, r := range h.recs {
		if r.Message != msg {
			continue
		}
		m := map[string]string{"level": r.Level.String()}
		r.Attrs(func(a slog.Attr) bool { m[a.Key] = a.Value.String(); return true })
		out = append(out, m)
	}
	return out
}

// text is every record, for checking that no secret is in any.
func (h *records) text() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var b strings.Builder
	for _, r := range h.recs {
		b.WriteString(r.Message)
		r.Attrs(func(a slog.Attr) bool { b.WriteString(" " + a.Key + "=" + a.Value.String()); return true })
		b.WriteString("\n")
	}
	return b.String()
}

const createUserBody = "Action=CreateUser&Version=2010-05-08&UserName=bob"

// TestRefusalsLogged: at the default level (info) every refused
// authentication and every AccessDenied is one line naming the caller, the
// action, the resource and the reason, and no line carries a secret; at
// debug level an unknown key's line names it.
func TestRefusalsLogged(t *testing.T) {
	const userARN = "arn:aws:iam::" + testAccount + ":user/engineering/Alice"
	tests := []struct {
		name      string
		level     slog.Level
		authorize func(ctx context.Context, c *Call) error
		req       func(f *fixture) *http.Request
		msg       string
		want      map[string]string
	}{
		{"wrong secret", slog.LevelInfo, nil,
			func(f *fixture) *http.Request {
				return f.signed(t, userKeyID, "wrong"+userSecret, "us-east-1", "sts", stsBody, signAt)
			},
			"authentication refused", map[string]string{"level": "INFO", "code": "SignatureDoesNotMatch", "key_id": userKeyID, "service": "sts"}},
		{"unknown key", slog.LevelInfo, nil,
			func(f *fixture) *http.Request {
				return f.signed(t, "AKIANOTISSUED0000000", userSecret, "us-east-1", "sts", stsBody, signAt)
			},
			"authentication refused", map[string]string{"code": "InvalidClientTokenId", "key_id": "AKIANOTISSUED0000000",
				"reason": "The security token included in the request is invalid."}},
		{"unknown key at debug", slog.LevelDebug, nil,
			func(f *fixture) *http.Request {
				return f.signed(t, "AKIANOTISSUED0000000", userSecret, "us-east-1", "sts", stsBody, signAt)
			},
			"unknown access key", map[string]string{"level": "DEBUG", "key_id": "AKIANOTISSUED0000000"}},
		{"unsigned", slog.LevelInfo, nil,
			func(f *fixture) *http.Request {
				r, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/", strings.NewReader(stsBody))
				r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				return r
			},
			"authentication refused", map[string]string{"code": "MissingAuthenticationToken", "key_id": ""}},
		{"denied by policy", slog.LevelInfo,
			func(ctx context.Context, c *Call) error {
				return &authz.DeniedError{Message: "User: " + c.Caller.ARN + " is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::" + testAccount + ":user/bob because no identity-based policy allows the iam:CreateUser action",
					Action: "iam:CreateUser", Resource: "arn:aws:iam::" + testAccount + ":user/bob"}
			},
			func(f *fixture) *http.Request {
				return f.signed(t, userKeyID, userSecret, "us-east-1", "iam", createUserBody, signAt)
			},
			"access denied", map[string]string{"level": "INFO", "caller": userARN, "key_id": userKeyID, "action": "iam:CreateUser",
				"resource": "arn:aws:iam::" + testAccount + ":user/bob", "reason": "because no identity-based policy allows the iam:CreateUser action"}},
		{"denied by an operation", slog.LevelInfo,
			func(ctx context.Context, c *Call) error { return Errorf(CodeAccessDenied, "not in the trust policy") },
			func(f *fixture) *http.Request {
				return f.signed(t, userKeyID, userSecret, "us-east-1", "iam", createUserBody, signAt)
			},
			"access denied", map[string]string{"caller": userARN, "action": "iam:CreateUser", "reason": "not in the trust policy"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &records{level: tt.level}
			f := newFixture(t, Options{Now: func() time.Time { return signAt }, Logger: slog.New(h), Authorize: tt.authorize})
			f.s.Query(serviceIAM, "CreateUser", func(ctx context.Context, c *Call) (any, error) { return nil, nil })
			if status, _, _ := servertest.Send(t, tt.req(f)); status == http.StatusOK {
				t.Fatalf("request was not refused")
			}
			got := h.find(tt.msg)
			if len(got) != 1 {
				t.Fatalf("%d %q lines, want 1; logged:\n%s", len(got), tt.msg, h.text())
			}
			for k, v := range tt.want {
				if got[0][k] != v {
					t.Errorf("%q line: %s = %q, want %q", tt.msg, k, got[0][k], v)
				}
			}
			if all := h.text(); strings.Contains(all, userSecret) || strings.Contains(all, rootSecret) || strings.Contains(all, "Signature=") {
				t.Errorf("a secret or signature is logged:\n%s", all)
			}
		})
	}
}

// TestNoRefusalLoggedForSuccess: an allowed call logs nothing at info level.
func TestNoRefusalLoggedForSuccess(t *testing.T) {
	h := &records{level: slog.LevelInfo}
	f := newFixture(t, Options{Now: func() time.Time { return signAt }, Logger: slog.New(h)})
	if status, e, _ := servertest.Send(t, f.signed(t, userKeyID, userSecret, "us-east-1", "sts", stsBody, signAt)); status != http.StatusOK {
		t.Fatalf("GetCallerIdentity = %d %+v", status, e)
	}
	if s := h.text(); s != "" {
		t.Errorf("logged at info for an allowed call:\n%s", s)
	}
}

func TestDeniedReason(t *testing.T) {
	tests := []struct {
		name string
		de   *authz.DeniedError
		want string
	}{
		{"explicit deny", &authz.DeniedError{Message: "User: x is not authorized to perform: iam:CreateUser on resource: * with an explicit deny in an identity-based policy",
			Explanation: &eval.Explanation{Decision: eval.ExplicitDeny, Statements: []eval.Match{{Kind: policy.KindIdentity, PolicyID: "arn:aws:iam::1:policy/NoUsers", Sid: "DenyAll", Effect: policy.Deny}}}},
			"explicit deny in identity policy arn:aws:iam::1:policy/NoUsers DenyAll"},
		{"explicit deny without sid", &authz.DeniedError{Explanation: &eval.Explanation{Decision: eval.ExplicitDeny,
			Statements: []eval.Match{{Kind: policy.KindBoundary, PolicyID: "b", Index: 2}}}}, "explicit deny in boundary policy b Statement[2]"},
		{"implicit deny", &authz.DeniedError{Message: "User: x is not authorized to perform: a on resource: r because no session policy allows the a action",
			Explanation: &eval.Explanation{Decision: eval.ImplicitDeny}}, "because no session policy allows the a action"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := deniedReason(tt.de); got != tt.want {
				t.Errorf("deniedReason(%s) = %q, want %q", tt.name, got, tt.want)
			}
		})
	}
}
