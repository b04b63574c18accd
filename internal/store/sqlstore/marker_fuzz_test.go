package sqlstore

import (
	"errors"
	"strings"
	"testing"

	"github.com/iamq/iamq/internal/store"
)

// FuzzMarker feeds arbitrary markers to decodeMarker, the one parser of
// client input in the store (IAM's Marker parameter comes back to it
// verbatim): it must never panic, must refuse what it did not issue with
// ErrInvalid, and whatever it accepts must encode back to the same marker.
func FuzzMarker(f *testing.F) {
	for _, seed := range []string{"", encodeMarker("alice"), encodeMarker("group", "admins"), "!!", "Zm9v", encodeMarker("a\x00b")} {
		f.Add(seed, 1)
		f.Add(seed, 2)
	}
	f.Fuzz(func(t *testing.T, m string, n int) {
		if n < 1 || n > 4 {
			return
		}
		parts, err := decodeMarker(m, n)
		if err != nil {
			if !errors.Is(err, store.ErrInvalid) {
				t.Fatalf("decodeMarker(%q, %d) = %v, want ErrInvalid", m, n, err)
			}
			return
		}
		if len(parts) != n {
			t.Fatalf("decodeMarker(%q, %d) = %d parts", m, n, len(parts))
		}
		if m == "" {
			return
		}
		if again := encodeMarker(parts...); again != m && !strings.Contains(strings.Join(parts, ""), "\x00") {
			// Base64 without padding has one encoding per byte string,
			// except for stray low bits in the last character.
			if back, err := decodeMarker(again, n); err != nil || strings.Join(back, "\x00") != strings.Join(parts, "\x00") {
				t.Fatalf("encodeMarker(decodeMarker(%q)) = %q, which decodes to %q, %v", m, again, back, err)
			}
		}
	})
}
