package store

import (
	"strings"
	"testing"
	"time"
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

// TestAuditTailTime: AuditTail writes a time as time.Time's JSON does in
// UTC, whatever second it wrote before.
func TestAuditTailTime(t *testing.T) {
	zone := time.FixedZone("x", -5*3600)
	var w AuditTail
	for _, tm := range []time.Time{
		time.Date(2026, 12, 3, 15, 0, 0, 0, time.UTC),
		time.Date(2026, 12, 3, 15, 0, 0, 120, time.UTC),
		time.Date(2026, 12, 3, 15, 0, 0, 123456789, time.UTC),
		time.Date(2026, 12, 3, 15, 0, 0, 100000000, time.UTC),
		time.Date(2026, 12, 3, 15, 0, 1, 5, time.UTC),
		time.Date(2026, 12, 3, 15, 0, 0, 7, time.UTC), // an earlier second again
		time.Date(2026, 12, 3, 10, 0, 0, 7, zone),     // the same instant, in another zone
		time.Date(1969, 12, 31, 23, 59, 59, 999999999, time.UTC),
		{},
		time.Date(12026, 1, 1, 0, 0, 0, 1, time.UTC),
	} {
		want := tm.UTC().Format(time.RFC3339Nano)
		if got := string(w.AppendTime(nil, tm)); got != want {
			t.Errorf("AppendTime(%v) = %s, want %s", tm, got, want)
		}
	}
	got := string(w.Append([]byte(`{"a":1`), time.Date(2026, 12, 3, 15, 0, 0, 5e8, time.UTC), "r-1", "e-1"))
	if want := `{"a":1,"eventTime":"2026-12-03T15:00:00.5Z","requestID":"r-1","eventID":"e-1"}`; got != want {
		t.Errorf("Append = %s, want %s", got, want)
	}
}

// FuzzAuditTailTime: AuditTail's time is time.Time's RFC3339Nano in UTC.
func FuzzAuditTailTime(f *testing.F) {
	f.Add(int64(1796310000), int64(123456789), int64(1796310000))
	f.Fuzz(func(t *testing.T, sec, nsec, before int64) {
		var w AuditTail
		w.AppendTime(nil, time.Unix(before, 0))
		tm := time.Unix(sec, nsec)
		if got, want := string(w.AppendTime(nil, tm)), tm.UTC().Format(time.RFC3339Nano); got != want {
			t.Errorf("AppendTime(%d, %d) = %s, want %s", sec, nsec, got, want)
		}
	})
}

// TestPlainAuditID: ids written as they are, and ids JSON would escape.
func TestPlainAuditID(t *testing.T) {
	for id, want := range map[string]bool{"": true, "1c6a7105-c8c1-f849-0000-000000000001": true, "a_b.c:d/e+f=": true,
		`a"b`: false, `a\b`: false, "a<b": false, "ü": false, "a b": false} {
		if got := PlainAuditID(id); got != want {
			t.Errorf("PlainAuditID(%q) = %v, want %v", id, got, want)
		}
	}
}
