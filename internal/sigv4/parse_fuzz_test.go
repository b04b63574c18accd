package sigv4

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// seed adds every file of testdata/dir to f's corpus.
func seed(f *testing.F, dir string) {
	files, _ := filepath.Glob(filepath.Join("testdata", dir, "*.txt"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
}

// FuzzParseCredential: a credential that parses is exactly its five parts
// joined by '/', none of them empty.
func FuzzParseCredential(f *testing.F) {
	seed(f, "credential")
	f.Fuzz(func(t *testing.T, c string) {
		s, err := ParseCredential(c)
		if err != nil {
			return
		}
		parts := []string{s.AccessKeyID, s.Date, s.Region, s.Service, s.Terminator}
		if slices.Contains(parts, "") || strings.Join(parts, "/") != c || s.AccessKeyID+"/"+s.String() != c {
			t.Fatalf("ParseCredential(%q) = %+v", c, s)
		}
	})
}

// FuzzCanonicalQuery: no panic; the canonical query is sorted, strictly
// encoded, never carries X-Amz-Signature when asked to drop it, and is a
// fixed point (canonicalizing it again changes nothing).
func FuzzCanonicalQuery(f *testing.F) {
	seed(f, "query")
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := canonicalQuery(raw, true)
		if err != nil {
			return
		}
		if q == "" {
			return
		}
		pairs := strings.Split(q, "&")
		if !slices.IsSortedFunc(pairs, func(a, b string) int {
			ak, av, _ := strings.Cut(a, "=")
			bk, bv, _ := strings.Cut(b, "=")
			if c := strings.Compare(ak, bk); c != 0 {
				return c
			}
			return strings.Compare(av, bv)
		}) {
			t.Fatalf("canonicalQuery(%q) = %q is not sorted", raw, q)
		}
		for _, p := range pairs {
			if strings.HasPrefix(p, "X-Amz-Signature=") {
				t.Fatalf("canonicalQuery(%q) kept the signature: %q", raw, q)
			}
			for i := 0; i < len(p); i++ {
				if c := p[i]; !unreserved(c) && c != '%' && c != '=' {
					t.Fatalf("canonicalQuery(%q) = %q leaves %q unencoded", raw, q, c)
				}
			}
		}
		if again, err := canonicalQuery(q, true); err != nil || again != q {
			t.Fatalf("canonicalQuery(canonicalQuery(%q)) = %q, %v; want %q", raw, again, err, q)
		}
	})
}

// FuzzAmzDate: the hand-written X-Amz-Date parser agrees with time.Parse.
func FuzzAmzDate(f *testing.F) {
	for _, s := range []string{"20240101T003000Z", "20240230T000000Z", "20241231T235959Z", "2024010T003000Z", "20240101T246000Z", "+0240101T003000Z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		got, err := fastAmzDate(v)
		want, wantErr := time.Parse(timeFormat, v)
		if (err == nil) != (wantErr == nil) || (err == nil && !got.Equal(want)) {
			t.Fatalf("fastAmzDate(%q) = %v, %v; time.Parse = %v, %v", v, got, err, want, wantErr)
		}
	})
}
