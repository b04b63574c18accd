package sigv4

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

const (
	testKeyID   = "AKIAIOSFODNN7EXAMPLE"
	testSecret  = "wJalrXUtFMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	tempKeyID   = "ASIAIOSFODNN7EXAMPLE"
	tempToken   = "FwoGZXIvYXdzEXAMPLETOKEN"
	testBody    = "Action=GetCallerIdentity&Version=2011-06-15"
	testService = "sts"
)

// signedAt is when test requests are signed; the verifier's clock defaults
// to the same instant.
var signedAt = time.Date(2024, 1, 1, 0, 30, 0, 0, time.UTC)

func testLookup(_ context.Context, id string) (Key, error) {
	switch id {
	case testKeyID:
		return Key{Secret: testSecret, Owner: "root"}, nil
	case tempKeyID:
		return Key{Secret: testSecret, SessionToken: tempToken, Expires: signedAt.Add(time.Hour)}, nil
	case "BROKEN":
		return Key{}, errors.New("database on fire")
	}
	return Key{}, ErrUnknownKey
}

// request builds a POST as a client would, lets mutate change it, signs it
// with the AWS SDK's signer, and returns it as a server reads it off the wire.
func request(t *testing.T, keyID, token, region, service string, at time.Time, mutate func(*http.Request)) *http.Request {
	t.Helper()
	r, err := http.NewRequest(http.MethodPost, "http://127.0.0.1:4599/", strings.NewReader(testBody))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	if mutate != nil {
		mutate(r)
	}
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	sum := sha256.Sum256(body)
	creds := aws.Credentials{AccessKeyID: keyID, SecretAccessKey: testSecret, SessionToken: token}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, r, hex.EncodeToString(sum[:]), service, region, at); err != nil {
		t.Fatal(err)
	}
	return onTheWire(t, r)
}

// onTheWire writes a client request and reads it back as net/http's server does.
func onTheWire(t *testing.T, r *http.Request) *http.Request {
	t.Helper()
	var buf bytes.Buffer
	if err := r.Write(&buf); err != nil {
		t.Fatal(err)
	}
	sr, err := http.ReadRequest(bufio.NewReader(&buf))
	if err != nil {
		t.Fatal(err)
	}
	return sr
}

func verify(t *testing.T, v *Verifier, r *http.Request) (Result, error) {
	t.Helper()
	body, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	return v.Verify(context.Background(), r, body)
}

func TestVerifyGood(t *testing.T) {
	v := New(testLookup, Options{Now: func() time.Time { return signedAt }})
	for _, tt := range []struct {
		name, key, token string
	}{
		{"long-term key", testKeyID, ""},
		{"temporary key", tempKeyID, tempToken},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, err := verify(t, v, request(t, tt.key, tt.token, "us-east-1", testService, signedAt, nil))
			if err != nil {
				t.Fatalf("Verify = %v, want success", err)
			}
			if res.Scope.AccessKeyID != tt.key || res.Scope.Service != testService || !res.Time.Equal(signedAt) || res.Presigned {
				t.Errorf("Verify = %+v", res)
			}
		})
	}
}

func TestVerifyRefused(t *testing.T) {
	at := signedAt
	tests := []struct {
		name    string
		req     func(t *testing.T) *http.Request
		now     time.Time
		want    *Error
		message string // substring of the message
	}{
		{"no authorization", func(t *testing.T) *http.Request {
			r := request(t, testKeyID, "", "us-east-1", testService, at, nil)
			r.Header.Del("Authorization")
			return r
		}, at, ErrMissingAuthenticationToken, "Request is missing Authentication Token"},
		{"body changed", func(t *testing.T) *http.Request {
			r := request(t, testKeyID, "", "us-east-1", testService, at, nil)
			r.Body = io.NopCloser(strings.NewReader(strings.Replace(testBody, "GetCallerIdentity", "GetCallerIdentitx", 1)))
			return r
		}, at, ErrSignatureDoesNotMatch, msgNoMatch},
		{"signed header changed", func(t *testing.T) *http.Request {
			r := request(t, testKeyID, "", "us-east-1", testService, at, nil)
			r.Header.Set("Content-Type", "text/plain")
			return r
		}, at, ErrSignatureDoesNotMatch, msgNoMatch},
		{"host changed", func(t *testing.T) *http.Request {
			r := request(t, testKeyID, "", "us-east-1", testService, at, nil)
			r.Host = "127.0.0.1:4600"
			return r
		}, at, ErrSignatureDoesNotMatch, msgNoMatch},
		{"date changed same day", func(t *testing.T) *http.Request {
			r := request(t, testKeyID, "", "us-east-1", testService, at, nil)
			r.Header.Set("X-Amz-Date", "20240101T003100Z")
			return r
		}, at, ErrSignatureDoesNotMatch, msgNoMatch},
		{"date changed other day", func(t *testing.T) *http.Request {
			r := request(t, testKeyID, "", "us-east-1", testService, at, nil)
			r.Header.Set("X-Amz-Date", "20231231T235900Z")
			return r
		}, at, ErrSignatureDoesNotMatch, "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20240101' != '20231231', from 'X-Amz-Date'."},
		{"date malformed", func(t *testing.T) *http.Request {
			r := request(t, testKeyID, "", "us-east-1", testService, at, nil)
			r.Header.Set("X-Amz-Date", "yesterday")
			return r
		}, at, ErrIncompleteSignature, "Date must be in ISO-8601 'basic format'. Got 'yesterday'."},
		{"region in scope changed", func(t *testing.T) *http.Request {
			return retitle(request(t, testKeyID, "", "us-east-1", testService, at, nil), "/us-east-1/", "/us-west-2/")
		}, at, ErrSignatureDoesNotMatch, msgNoMatch},
		{"service in scope changed", func(t *testing.T) *http.Request {
			return retitle(request(t, testKeyID, "", "us-east-1", testService, at, nil), "/sts/", "/iam/")
		}, at, ErrSignatureDoesNotMatch, msgNoMatch},
		{"terminator changed", func(t *testing.T) *http.Request {
			return retitle(request(t, testKeyID, "", "us-east-1", testService, at, nil), "aws4_request", "aws5_request")
		}, at, ErrSignatureDoesNotMatch, "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. "},
		{"key id unknown", func(t *testing.T) *http.Request {
			return request(t, "AKIAUNKNOWN", "", "us-east-1", testService, at, nil)
		}, at, ErrInvalidClientTokenID, msgInvalidToken},
		{"key id swapped", func(t *testing.T) *http.Request {
			return retitle(request(t, testKeyID, "", "us-east-1", testService, at, nil), testKeyID, "AKIAOTHER")
		}, at, ErrInvalidClientTokenID, msgInvalidToken},
		{"signature changed", func(t *testing.T) *http.Request {
			r := request(t, testKeyID, "", "us-east-1", testService, at, nil)
			h := r.Header.Get("Authorization")
			last := h[len(h)-1]
			flip := byte('0')
			if last == '0' {
				flip = '1'
			}
			r.Header.Set("Authorization", h[:len(h)-1]+string(flip))
			return r
		}, at, ErrSignatureDoesNotMatch, msgNoMatch},
		{"signature truncated", func(t *testing.T) *http.Request {
			r := request(t, testKeyID, "", "us-east-1", testService, at, nil)
			h := r.Header.Get("Authorization")
			r.Header.Set("Authorization", h[:len(h)-2])
			return r
		}, at, ErrSignatureDoesNotMatch, msgNoMatch},
		{"signed headers missing", func(t *testing.T) *http.Request {
			return retitle(request(t, testKeyID, "", "us-east-1", testService, at, nil), "SignedHeaders=", "Signed=")
		}, at, ErrIncompleteSignature, "Authorization header requires 'SignedHeaders' parameter."},
		{"host not signed", func(t *testing.T) *http.Request {
			return retitle(request(t, testKeyID, "", "us-east-1", testService, at, nil), "SignedHeaders=content-length;content-type;host;", "SignedHeaders=content-length;content-type;")
		}, at, ErrIncompleteSignature, "'Host' or ':authority' must be a 'SignedHeader'"},
		{"date not signed", func(t *testing.T) *http.Request {
			return retitle(request(t, testKeyID, "", "us-east-1", testService, at, nil), ";x-amz-date", "")
		}, at, ErrIncompleteSignature, "'x-amz-date' must be a 'SignedHeader'"},
		{"skew 16 minutes late", func(t *testing.T) *http.Request {
			return request(t, testKeyID, "", "us-east-1", testService, at, nil)
		}, at.Add(16 * time.Minute), ErrSignatureDoesNotMatch, "Signature expired: 20240101T003000Z is now earlier than 20240101T003100Z (20240101T004600Z - 15 min.)"},
		{"skew 16 minutes early", func(t *testing.T) *http.Request {
			return request(t, testKeyID, "", "us-east-1", testService, at, nil)
		}, at.Add(-16 * time.Minute), ErrSignatureDoesNotMatch, "Signature not yet current: 20240101T003000Z is still later than 20240101T002900Z (20240101T001400Z + 15 min.)"},
		{"token on a long-term key", func(t *testing.T) *http.Request {
			return request(t, testKeyID, "sometoken", "us-east-1", testService, at, nil)
		}, at, ErrInvalidClientTokenID, msgInvalidToken},
		{"temporary key without token", func(t *testing.T) *http.Request {
			return request(t, tempKeyID, "", "us-east-1", testService, at, nil)
		}, at, ErrInvalidClientTokenID, msgInvalidToken},
		{"temporary key wrong token", func(t *testing.T) *http.Request {
			return request(t, tempKeyID, tempToken+"x", "us-east-1", testService, at, nil)
		}, at, ErrInvalidClientTokenID, msgInvalidToken},
		{"temporary key expired", func(t *testing.T) *http.Request {
			later := at.Add(2 * time.Hour)
			return request(t, tempKeyID, tempToken, "us-east-1", testService, later, nil)
		}, at.Add(2 * time.Hour), ErrExpiredToken, msgExpiredToken},
		{"query added", func(t *testing.T) *http.Request {
			r := request(t, testKeyID, "", "us-east-1", testService, at, nil)
			r.URL.RawQuery = "Action=CreateUser"
			return r
		}, at, ErrSignatureDoesNotMatch, msgNoMatch},
		{"path changed", func(t *testing.T) *http.Request {
			r := request(t, testKeyID, "", "us-east-1", testService, at, nil)
			r.URL.Path = "/x"
			return r
		}, at, ErrSignatureDoesNotMatch, msgNoMatch},
		{"method changed", func(t *testing.T) *http.Request {
			r := request(t, testKeyID, "", "us-east-1", testService, at, nil)
			r.Method = http.MethodPut
			return r
		}, at, ErrSignatureDoesNotMatch, msgNoMatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := New(testLookup, Options{Now: func() time.Time { return tt.now }})
			_, err := verify(t, v, tt.req(t))
			var e *Error
			if !errors.Is(err, tt.want) || !errors.As(err, &e) || !strings.Contains(e.Message, tt.message) {
				t.Fatalf("Verify = %v, want %s containing %q", err, tt.want.Code, tt.message)
			}
		})
	}
}

// retitle replaces old with new in the Authorization header.
func retitle(r *http.Request, old, new string) *http.Request {
	r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), old, new, 1))
	return r
}

func TestVerifyLookupFailure(t *testing.T) {
	v := New(testLookup, Options{Now: func() time.Time { return signedAt }})
	_, err := verify(t, v, request(t, "BROKEN", "", "us-east-1", testService, signedAt, nil))
	var e *Error
	if err == nil || errors.As(err, &e) {
		t.Fatalf("Verify with a failing lookup = %v, want a plain error", err)
	}
}

func TestVerifyCheckScope(t *testing.T) {
	v := New(testLookup, Options{
		Now: func() time.Time { return signedAt },
		CheckScope: func(region, service string) error {
			if region != "us-east-1" {
				return InvalidRegion(region)
			}
			return nil
		},
	})
	_, err := verify(t, v, request(t, testKeyID, "", "eu-west-1", testService, signedAt, nil))
	if !errors.Is(err, ErrSignatureDoesNotMatch) || !strings.Contains(err.Error(), "Credential should be scoped to a valid region, not 'eu-west-1'. ") {
		t.Fatalf("Verify(eu-west-1) = %v", err)
	}
}

// presign returns a presigned GET URL for GetCallerIdentity made by the SDK.
func presign(t *testing.T, expires string, at time.Time) *http.Request {
	t.Helper()
	q := url.Values{"Action": {"GetCallerIdentity"}, "Version": {"2011-06-15"}}
	if expires != "" {
		q.Set("X-Amz-Expires", expires)
	}
	r, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1:4599/?"+q.Encode(), nil)
	creds := aws.Credentials{AccessKeyID: testKeyID, SecretAccessKey: testSecret}
	u, _, err := v4.NewSigner().PresignHTTP(context.Background(), creds, r, emptyHash, testService, "us-east-1", at)
	if err != nil {
		t.Fatal(err)
	}
	r, _ = http.NewRequest(http.MethodGet, u, nil)
	return onTheWire(t, r)
}

func TestVerifyPresigned(t *testing.T) {
	tests := []struct {
		name    string
		req     func(t *testing.T) *http.Request
		now     time.Time
		want    *Error // nil: accepted
		message string
	}{
		{"good", func(t *testing.T) *http.Request { return presign(t, "", signedAt) }, signedAt.Add(14 * time.Minute), nil, ""},
		{"good with expires", func(t *testing.T) *http.Request { return presign(t, "60", signedAt) }, signedAt.Add(59 * time.Second), nil, ""},
		{"expired", func(t *testing.T) *http.Request { return presign(t, "", signedAt) }, signedAt.Add(16 * time.Minute), ErrSignatureDoesNotMatch,
			"Signature expired: 20240101T003000Z is now earlier than 20240101T003100Z (20240101T004600Z - 15 min.)"},
		// STS ignores X-Amz-Expires: its presigned URLs live 15 minutes.
		{"past X-Amz-Expires, within 15 minutes", func(t *testing.T) *http.Request { return presign(t, "60", signedAt) }, signedAt.Add(14 * time.Minute), nil, ""},
		{"X-Amz-Expires malformed", func(t *testing.T) *http.Request { return presign(t, "soon", signedAt) }, signedAt, ErrIncompleteSignature, "X-Amz-Expires must be a whole number"},
		{"not yet valid", func(t *testing.T) *http.Request { return presign(t, "", signedAt) }, signedAt.Add(-16 * time.Minute), ErrSignatureDoesNotMatch, "Signature not yet current"},
		{"action changed", func(t *testing.T) *http.Request {
			r := presign(t, "", signedAt)
			r.URL.RawQuery = strings.Replace(r.URL.RawQuery, "GetCallerIdentity", "GetSessionToken", 1)
			return r
		}, signedAt, ErrSignatureDoesNotMatch, msgNoMatch},
		{"signature missing", func(t *testing.T) *http.Request {
			r := presign(t, "", signedAt)
			q := r.URL.Query()
			q.Del("X-Amz-Signature")
			r.URL.RawQuery = q.Encode()
			return r
		}, signedAt, ErrIncompleteSignature, "AWS query-string parameters must include 'X-Amz-Signature'."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := New(testLookup, Options{Now: func() time.Time { return tt.now }})
			res, err := verify(t, v, tt.req(t))
			if tt.want == nil {
				if err != nil || !res.Presigned || res.Scope.AccessKeyID != testKeyID {
					t.Fatalf("Verify(presigned) = %+v, %v, want success", res, err)
				}
				return
			}
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.message) {
				t.Fatalf("Verify(presigned) = %v, want %s containing %q", err, tt.want.Code, tt.message)
			}
		})
	}
}
