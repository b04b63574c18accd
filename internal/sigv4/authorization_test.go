package sigv4

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseAuthorization(t *testing.T) {
	tests := []struct {
		name    string
		header  string
		want    Authorization
		wantErr string // substring of the message; "" means success
	}{
		{
			name:   "sdk",
			header: "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=abcd",
			want:   Authorization{Credential: "AKID/20240101/us-east-1/sts/aws4_request", SignedHeaders: "host;x-amz-date", Signature: "abcd"},
		},
		{
			name:   "no spaces",
			header: "AWS4-HMAC-SHA256 Credential=a/b/c/d/e,SignedHeaders=host,Signature=00",
			want:   Authorization{Credential: "a/b/c/d/e", SignedHeaders: "host", Signature: "00"},
		},
		{
			name:    "missing two",
			header:  "AWS4-HMAC-SHA256 Credential=ABCDEF",
			wantErr: "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256 Credential=ABCDEF",
		},
		{
			name:    "other scheme",
			header:  "Bearer abc",
			wantErr: "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=Bearer abc",
		},
		{
			name:    "space inside credential",
			header:  "AWS4-HMAC-SHA256 Credential=AKID /20150620/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=00",
			wantErr: "'/20150620/us-east-1/sts/aws4_request' not a valid key=value pair (missing equal-sign) in Authorization header: 'AWS4-HMAC-SHA256 Credential=AKID /20150620/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=00'.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseAuthorization(tt.header)
			if tt.wantErr != "" {
				if !errors.Is(err, ErrIncompleteSignature) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseAuthorization(%q) error = %v, want IncompleteSignature %q", tt.header, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseAuthorization(%q) = %+v, %v, want %+v", tt.header, got, err, tt.want)
			}
		})
	}
}

func TestParseCredential(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Scope
		ok   bool
	}{
		{"good", "AKID/20240101/us-east-1/iam/aws4_request", Scope{"AKID", "20240101", "us-east-1", "iam", "aws4_request"}, true},
		{"four parts", "AKID/20240101/us-east-1/iam", Scope{}, false},
		{"six parts", "AKID/20240101/us-east-1/iam/aws4_request/x", Scope{}, false},
		{"empty part", "AKID//us-east-1/iam/aws4_request", Scope{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseCredential(tt.in)
			if (err == nil) != tt.ok || got != tt.want {
				t.Fatalf("ParseCredential(%q) = %+v, %v, want %+v ok=%v", tt.in, got, err, tt.want, tt.ok)
			}
			if err == nil && got.String() != "20240101/us-east-1/iam/aws4_request" {
				t.Errorf("Scope.String() = %q", got.String())
			}
		})
	}
}

// FuzzParseAuthorization: no panic; a header that parses has all three
// components, and printing them back parses to the same value.
func FuzzParseAuthorization(f *testing.F) {
	files, _ := filepath.Glob("testdata/authorization/*.txt")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Fuzz(func(t *testing.T, h string) {
		a, err := ParseAuthorization(h)
		if err != nil {
			if !errors.Is(err, ErrIncompleteSignature) {
				t.Fatalf("ParseAuthorization(%q) error %v is not IncompleteSignature", h, err)
			}
			return
		}
		if a.Credential == "" || a.SignedHeaders == "" || a.Signature == "" {
			t.Fatalf("ParseAuthorization(%q) = %+v with an empty component", h, a)
		}
		printed := Algorithm + " Credential=" + a.Credential + ", SignedHeaders=" + a.SignedHeaders + ", Signature=" + a.Signature
		b, err := ParseAuthorization(printed)
		if err != nil || b != a {
			t.Fatalf("ParseAuthorization(print(%+v)) = %+v, %v", a, b, err)
		}
	})
}
