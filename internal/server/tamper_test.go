package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/iamq/iamq/internal/server/servertest"
	"github.com/iamq/iamq/internal/store"
)

const msgNoMatch = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."

// TestTampered sends requests signed by the SDK's signer and then altered,
// each refused with AWS's code, status and message.
func TestTampered(t *testing.T) {
	good := func(f *fixture, t *testing.T) *http.Request {
		return f.signed(t, rootKeyID, rootSecret, "us-east-1", "sts", stsBody, signAt)
	}
	auth := func(f *fixture, t *testing.T, old, new string) *http.Request {
		r := good(f, t)
		r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), old, new, 1))
		return r
	}
	tests := []struct {
		name    string
		req     func(f *fixture, t *testing.T) *http.Request
		skew    time.Duration // the server's clock minus signAt
		status  int
		code    string
		message string // a prefix of the message
	}{
		{"body", func(f *fixture, t *testing.T) *http.Request {
			r := good(f, t)
			r.Body = readCloser(strings.Replace(stsBody, "2011-06-15", "2011-06-16", 1))
			return r
		}, 0, 403, "SignatureDoesNotMatch", msgNoMatch},
		{"signed header", func(f *fixture, t *testing.T) *http.Request {
			r := good(f, t)
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return r
		}, 0, 403, "SignatureDoesNotMatch", msgNoMatch},
		{"date within the window", func(f *fixture, t *testing.T) *http.Request {
			r := good(f, t)
			r.Header.Set("X-Amz-Date", "20240101T002900Z")
			return r
		}, 0, 403, "SignatureDoesNotMatch", msgNoMatch},
		{"date of another day", func(f *fixture, t *testing.T) *http.Request {
			r := good(f, t)
			r.Header.Set("X-Amz-Date", "20231231T235000Z")
			return r
		}, 0, 403, "SignatureDoesNotMatch", "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20240101' != '20231231'"},
		{"date removed", func(f *fixture, t *testing.T) *http.Request {
			r := good(f, t)
			r.Header.Del("X-Amz-Date")
			return r
		}, 0, 400, "IncompleteSignature", "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."},
		{"scope region", func(f *fixture, t *testing.T) *http.Request {
			return auth(f, t, "/us-east-1/", "/us-west-2/")
		}, 0, 403, "SignatureDoesNotMatch", msgNoMatch},
		{"scope service", func(f *fixture, t *testing.T) *http.Request {
			return auth(f, t, "/sts/", "/iam/")
		}, 0, 403, "SignatureDoesNotMatch", msgNoMatch},
		{"scope service unknown", func(f *fixture, t *testing.T) *http.Request {
			return f.signed(t, rootKeyID, rootSecret, "us-east-1", "s3", stsBody, signAt)
		}, 0, 403, "SignatureDoesNotMatch", "Credential should be scoped to correct service: 'iam'. "},
		{"iam signed for another region", func(f *fixture, t *testing.T) *http.Request {
			return f.signed(t, rootKeyID, rootSecret, "eu-west-1", "iam", "Action=ListUsers&Version=2010-05-08", signAt)
		}, 0, 403, "SignatureDoesNotMatch", "Credential should be scoped to a valid region, not 'eu-west-1'. "},
		{"scope terminator", func(f *fixture, t *testing.T) *http.Request {
			return auth(f, t, "/aws4_request", "/aws4_reqvest")
		}, 0, 403, "SignatureDoesNotMatch", "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws4_reqvest'. "},
		{"key id", func(f *fixture, t *testing.T) *http.Request {
			return auth(f, t, rootKeyID, userKeyID)
		}, 0, 403, "SignatureDoesNotMatch", msgNoMatch},
		{"key id unknown", func(f *fixture, t *testing.T) *http.Request {
			return auth(f, t, rootKeyID, "AKIANOTISSUED0000000")
		}, 0, 403, "InvalidClientTokenId", "The security token included in the request is invalid."},
		{"key inactive", func(f *fixture, t *testing.T) *http.Request {
			f.st.setStatus(rootKeyID, store.KeyInactive)
			return good(f, t)
		}, 0, 403, "InvalidClientTokenId", "The security token included in the request is invalid."},
		{"signature", func(f *fixture, t *testing.T) *http.Request {
			return auth(f, t, "Signature=", "Signature=00")
		}, 0, 403, "SignatureDoesNotMatch", msgNoMatch},
		{"signature removed", func(f *fixture, t *testing.T) *http.Request {
			r := good(f, t)
			h := r.Header.Get("Authorization")
			r.Header.Set("Authorization", h[:strings.Index(h, ", Signature=")])
			return r
		}, 0, 400, "IncompleteSignature", "Authorization header requires 'Signature' parameter. Authorization=AWS4-HMAC-SHA256 Credential="},
		{"secret wrong", func(f *fixture, t *testing.T) *http.Request {
			return f.signed(t, rootKeyID, userSecret, "us-east-1", "sts", stsBody, signAt)
		}, 0, 403, "SignatureDoesNotMatch", msgNoMatch},
		{"skew 16 minutes", good, 16 * time.Minute, 403, "SignatureDoesNotMatch",
			"Signature expired: 20240101T003000Z is now earlier than 20240101T003100Z (20240101T004600Z - 15 min.)"},
		{"skew -16 minutes", good, -16 * time.Minute, 403, "SignatureDoesNotMatch",
			"Signature not yet current: 20240101T003000Z is still later than 20240101T002900Z (20240101T001400Z + 15 min.)"},
		{"no authorization", func(f *fixture, t *testing.T) *http.Request {
			r := good(f, t)
			r.Header.Del("Authorization")
			return r
		}, 0, 403, "MissingAuthenticationToken", "Request is missing Authentication Token"},
		{"security token on a long-term key", func(f *fixture, t *testing.T) *http.Request {
			r := good(f, t)
			r.Header.Set("X-Amz-Security-Token", "FQoGZXIvYXdzEXAMPLE")
			return r
		}, 0, 403, "InvalidClientTokenId", "The security token included in the request is invalid."},
		{"host", func(f *fixture, t *testing.T) *http.Request {
			r := good(f, t)
			r.Host = "localhost:1"
			return r
		}, 0, 403, "SignatureDoesNotMatch", msgNoMatch},
		{"query string added", func(f *fixture, t *testing.T) *http.Request {
			r := good(f, t)
			r.URL.RawQuery = "Action=GetCallerIdentity"
			return r
		}, 0, 403, "SignatureDoesNotMatch", msgNoMatch},
		{"presigned expired", func(f *fixture, t *testing.T) *http.Request {
			return f.presigned(t, signAt, nil)
		}, 16 * time.Minute, 403, "SignatureDoesNotMatch", "Signature expired: 20240101T003000Z is now earlier than 20240101T003100Z (20240101T004600Z - 15 min.)"},
		{"presigned action", func(f *fixture, t *testing.T) *http.Request {
			return f.presigned(t, signAt, func(q url.Values) { q.Set("Version", "2011-06-16") })
		}, 0, 403, "SignatureDoesNotMatch", msgNoMatch},
		{"presigned without signature", func(f *fixture, t *testing.T) *http.Request {
			return f.presigned(t, signAt, func(q url.Values) { q.Del("X-Amz-Signature") })
		}, 0, 400, "IncompleteSignature", "AWS query-string parameters must include 'X-Amz-Signature'."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, Options{Now: func() time.Time { return signAt.Add(tt.skew) }})
			status, e, body := servertest.Send(t, tt.req(f, t))
			if status != tt.status || e.Error.Code != tt.code || e.Error.Type != "Sender" || !strings.HasPrefix(e.Error.Message, tt.message) {
				t.Fatalf("%s: got %d %s, want %d %s %q", tt.name, status, body, tt.status, tt.code, tt.message)
			}
		})
	}
	if len(tests) < 20 {
		t.Errorf("only %d tampered variants", len(tests))
	}
}

// presigned returns a presigned GetCallerIdentity GET, its query changed by
// mutate after signing.
func (f *fixture) presigned(t *testing.T, at time.Time, mutate func(url.Values)) *http.Request {
	t.Helper()
	r, _ := http.NewRequest(http.MethodGet, f.srv.URL+"/?Action=GetCallerIdentity&Version=2011-06-15", nil)
	creds := aws.Credentials{AccessKeyID: rootKeyID, SecretAccessKey: rootSecret}
	u, _, err := v4.NewSigner().PresignHTTP(context.Background(), creds, r,
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "sts", "us-east-1", at)
	if err != nil {
		t.Fatal(err)
	}
	if mutate != nil {
		pu, _ := url.Parse(u)
		q := pu.Query()
		mutate(q)
		pu.RawQuery = q.Encode()
		u = pu.String()
	}
	r, _ = http.NewRequest(http.MethodGet, u, nil)
	return r
}

func readCloser(s string) *nopCloser { return &nopCloser{strings.NewReader(s)} }

type nopCloser struct{ *strings.Reader }

func (nopCloser) Close() error { return nil }
