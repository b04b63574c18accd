package store

import (
	"strings"
	"testing"
)

func TestNewID(t *testing.T) {
	cases := []struct {
		prefix IDPrefix
		length int
	}{
		{PrefixUser, 21}, {PrefixGroup, 21}, {PrefixRole, 21}, {PrefixPolicy, 21}, {PrefixInstanceProfile, 21},
		{PrefixAccessKey, 20}, {PrefixTemporaryKey, 20},
	}
	for _, c := range cases {
		t.Run(string(c.prefix), func(t *testing.T) {
			seen := map[string]bool{}
			for range 1000 {
				id := NewID(c.prefix)
				if len(id) != c.length || !strings.HasPrefix(id, string(c.prefix)) {
					t.Fatalf("NewID(%s) = %q, want %d characters", c.prefix, id, c.length)
				}
				if strings.Trim(id, idAlphabet) != "" {
					t.Fatalf("NewID(%s) = %q has characters outside %s", c.prefix, id, idAlphabet)
				}
				if seen[id] {
					t.Fatalf("NewID(%s) repeated %q", c.prefix, id)
				}
				seen[id] = true
			}
		})
	}
	if s := NewSecret(); len(s) != 40 || strings.Trim(s, secretAlphabet) != "" {
		t.Fatalf("NewSecret() = %q", s)
	}
}
