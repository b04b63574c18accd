package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"strings"
	"testing"
)

// hmacOf is the allocation-free HMAC as the verifier uses it.
func hmacOf(key, msg []byte) [sha256.Size]byte {
	return hmacFinish(key, append(appendHMACPrefix(nil, key), msg...))
}

func TestHMACMatchesCryptoHMAC(t *testing.T) {
	for _, tc := range []struct{ key, msg string }{
		{"", ""},
		{"k", "message"},
		{strings.Repeat("k", 32), strings.Repeat("m", 55)}, // the padding edges of SHA-256
		{strings.Repeat("k", 32), strings.Repeat("m", 56)},
		{strings.Repeat("k", 64), strings.Repeat("m", 64)}, // a key of exactly one block
		{"AWS4wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "20150830"},
	} {
		mac := hmac.New(sha256.New, []byte(tc.key))
		mac.Write([]byte(tc.msg))
		if got, want := hmacOf([]byte(tc.key), []byte(tc.msg)), mac.Sum(nil); string(got[:]) != string(want) {
			t.Errorf("HMAC(%q, %q) = %x, want %x", tc.key, tc.msg, got, want)
		}
	}
}

func FuzzHMAC(f *testing.F) {
	f.Add([]byte("key"), []byte("message"))
	f.Fuzz(func(t *testing.T, key, msg []byte) {
		if len(key) > hmacBlock {
			key = key[:hmacBlock]
		}
		mac := hmac.New(sha256.New, key)
		mac.Write(msg)
		if got := hmacOf(key, msg); string(got[:]) != string(mac.Sum(nil)) {
			t.Fatalf("HMAC(%x, %x) differs from crypto/hmac", key, msg)
		}
	})
}

func TestEqualConstantTime(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{{"", "", true}, {"ab", "ab", true}, {"ab", "ac", false}, {"ab", "abc", false}, {"abc", "ab", false}} {
		if got := equalConstantTime([]byte(tc.a), tc.b); got != tc.want {
			t.Errorf("equalConstantTime(%q, %q) = %v", tc.a, tc.b, got)
		}
	}
}
