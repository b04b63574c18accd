package sqlstore

import "testing"

// TestCommonPrefixString holds the shortcut for ids to the plain count.
func TestCommonPrefixString(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{{"", "", 0}, {"abc", "abd", 2}, {"abcdef", "abcdef", 6}, {"abcdefgh", "abcdefgx", 7}, {"abcdefgh", "abcxefgh", 3},
		{"abcdefgh", "abcdefghij", 8}, {"abcdefghij", "abcdefgh", 8}, {"abcdefghi", "abcde", 5}, {"xbcdefghi", "abcdefghi", 0},
		{"5f0c1a2b-3c4d-8e5f-8000-000000000fff", "5f0c1a2b-3c4d-8e5f-8000-000000001000", 32}} {
		if got := commonPrefixString(tt.a, tt.b); got != tt.want {
			t.Errorf("commonPrefixString(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
