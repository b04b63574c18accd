package sigv4

import (
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"testing"
	"time"
)

// emptyHash is the SHA-256 of an empty payload.
const emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// unreadable is a body that fails the test if it is read.
type unreadable struct{ t *testing.T }

func (u unreadable) Read([]byte) (int, error) {
	u.t.Error("the body was read")
	return 0, io.EOF
}
func (unreadable) Close() error { return nil }

// TestBeginBeforeBody: Begin refuses what the headers alone refuse without
// touching the body; Finish over the body's hash decides as Verify does.
func TestBeginBeforeBody(t *testing.T) {
	v := New(testLookup, Options{Now: func() time.Time { return signedAt }})
	for name, tc := range map[string]struct {
		keyID string
		code  Code
	}{
		"unknown key":  {"AKIANOTAKEY000000000", CodeInvalidClientTokenID},
		"no signature": {"", CodeMissingAuthenticationToken},
	} {
		t.Run(name, func(t *testing.T) {
			r := request(t, testKeyID, "", "us-east-1", testService, signedAt, nil)
			if tc.keyID == "" {
				r.Header.Del("Authorization")
			} else {
				r = request(t, tc.keyID, "", "us-east-1", testService, signedAt, nil)
			}
			r.Body = unreadable{t}
			_, err := v.Begin(context.Background(), r)
			var e *Error
			if !errors.As(err, &e) || e.Code != tc.code {
				t.Fatalf("Begin(%s) = %v, want %s", name, err, tc.code)
			}
		})
	}
	r := request(t, testKeyID, "", "us-east-1", testService, signedAt, nil)
	p, err := v.Begin(context.Background(), r)
	if err != nil {
		t.Fatalf("Begin = %v", err)
	}
	if res, err := p.Finish(r, sha256.Sum256([]byte(testBody))); err != nil || res.Key.Owner != "root" {
		t.Fatalf("Finish(the body's hash) = %+v, %v", res, err)
	}
	var e *Error
	if _, err := p.Finish(r, sha256.Sum256([]byte(testBody+"&x=1"))); !errors.As(err, &e) || e.Code != CodeSignatureDoesNotMatch {
		t.Fatalf("Finish(another body's hash) = %v, want SignatureDoesNotMatch", err)
	}
}
