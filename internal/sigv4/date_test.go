package sigv4

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

// signWithDateHeader signs r the way older clients do, with the HTTP Date
// header instead of X-Amz-Date, signing "date;host". It is written from the
// AWS General Reference's description, independently of the verifier, so
// that it can serve as an oracle for the Date branch (the SDKs always use
// X-Amz-Date).
func signWithDateHeader(r *http.Request, keyID, secret, region, service string, at time.Time) {
	r.Header.Set("Date", at.UTC().Format(http.TimeFormat))
	canonical := strings.Join([]string{
		r.Method, "/", "",
		"date:" + r.Header.Get("Date"), "host:" + r.Host, "",
		"date;host", emptyHash,
	}, "\n")
	sum := sha256.Sum256([]byte(canonical))
	scope := at.UTC().Format("20060102") + "/" + region + "/" + service + "/aws4_request"
	toSign := "AWS4-HMAC-SHA256\n" + at.UTC().Format(timeFormat) + "\n" + scope + "\n" + hex.EncodeToString(sum[:])
	mac := func(key []byte, s string) []byte {
		h := hmac.New(sha256.New, key)
		h.Write([]byte(s))
		return h.Sum(nil)
	}
	k := mac([]byte("AWS4"+secret), at.UTC().Format("20060102"))
	for _, part := range []string{region, service, "aws4_request"} {
		k = mac(k, part)
	}
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+keyID+"/"+scope+", SignedHeaders=date;host, Signature="+hex.EncodeToString(mac(k, toSign)))
}

func TestVerifyDateHeader(t *testing.T) {
	tests := []struct {
		name    string
		mutate  func(r *http.Request)
		want    error // nil: accepted
		message string
	}{
		{"accepted", nil, nil, ""},
		{"date changed", func(r *http.Request) { r.Header.Set("Date", signedAt.Add(time.Minute).Format(http.TimeFormat)) }, ErrSignatureDoesNotMatch, msgNoMatch},
		{"date of another day", func(r *http.Request) { r.Header.Set("Date", signedAt.Add(-time.Hour).Format(http.TimeFormat)) },
			ErrSignatureDoesNotMatch, "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20240101' != '20231231', from 'Date'."},
		{"date malformed", func(r *http.Request) { r.Header.Set("Date", "yesterday") }, ErrIncompleteSignature, "Date must be in ISO-8601 'basic format'. Got 'yesterday'."},
		{"x-amz-date wins and is unsigned", func(r *http.Request) { r.Header.Set("X-Amz-Date", signedAt.Format(timeFormat)) },
			ErrIncompleteSignature, "'x-amz-date' must be a 'SignedHeader'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1:4599/", nil)
			signWithDateHeader(r, testKeyID, testSecret, "us-east-1", "sts", signedAt)
			if tt.mutate != nil {
				tt.mutate(r)
			}
			v := New(testLookup, Options{Now: func() time.Time { return signedAt }})
			res, err := v.Verify(context.Background(), onTheWire(t, r), nil)
			if tt.want == nil {
				if err != nil || !res.Time.Equal(signedAt) {
					t.Fatalf("Verify(Date header) = %+v, %v, want success at %s", res, err, signedAt)
				}
				return
			}
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.message) {
				t.Fatalf("Verify(Date header, %s) = %v, want %v containing %q", tt.name, err, tt.want, tt.message)
			}
		})
	}
}
