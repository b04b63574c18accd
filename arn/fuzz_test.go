package arn

import (
	"strings"
	"testing"
)

// seed adds the testdata corpus to f.
func seed(f *testing.F) {
	for _, s := range corpus(f, "valid.txt") {
		f.Add(s)
	}
	for _, line := range corpus(f, "invalid.txt") {
		_, s, _ := strings.Cut(line, " ")
		f.Add(s)
	}
}

// FuzzParse checks that Parse never panics, that what it accepts it writes
// back unchanged (so Parse(String(Parse(x))) == Parse(x)), and that Split
// agrees with it.
func FuzzParse(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, s string) {
		a, err := Parse(s)
		b, ok := Split(s)
		if (err == nil) != ok || a != b {
			t.Fatalf("Parse(%q) = %+v, %v but Split = %+v, %v", s, a, err, b, ok)
		}
		if err != nil {
			return
		}
		if a.String() != s {
			t.Fatalf("Parse(%q).String() = %q", s, a.String())
		}
		again, err := Parse(a.String())
		if err != nil || again != a {
			t.Fatalf("Parse(String(Parse(%q))) = %+v, %v, want %+v", s, again, err, a)
		}
		if r, ok := a.IAM(); ok && r.Type+r.Path+r.Name != a.Resource {
			t.Fatalf("IAM(%q) = %+v does not add up to the resource", s, r)
		}
	})
}

// FuzzParsePattern checks that ParsePattern never panics, that a pattern
// it accepts reparses to itself, and that it agrees with Parse on six
// segments without policy variables.
func FuzzParsePattern(f *testing.F) {
	seed(f)
	f.Add("arn:aws:waf:*")
	f.Add("arn:aws:iam::${aws:PrincipalAccount}:user/${aws:username}")
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePattern(s)
		if err != nil {
			return
		}
		again, err := ParsePattern(p.String())
		if err != nil || again != p {
			t.Fatalf("ParsePattern(String(ParsePattern(%q))) = %+v, %v, want %+v", s, again, err, p)
		}
		if a, err := Parse(s); err == nil && !strings.Contains(s, "${") && a != p {
			t.Fatalf("ParsePattern(%q) = %+v, Parse = %+v", s, p, a)
		}
	})
}

// FuzzMatch checks that Match never panics, that an ARN without wildcards
// matches itself, and that the all-wildcard pattern matches every ARN.
func FuzzMatch(f *testing.F) {
	for _, s := range corpus(f, "valid.txt") {
		f.Add("arn:aws:iam::*:role/*", s)
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, pattern, s string) {
		got := Match(pattern, s)
		_, ok := Split(s)
		if got && !ok {
			t.Fatalf("Match(%q, %q) = true for a text that does not parse", pattern, s)
		}
		if ok && !strings.ContainsAny(s, "*?") && !Match(s, s) {
			t.Fatalf("Match(%q, itself) = false", s)
		}
		if ok && !Match("arn:*:*:*:*:*", s) {
			t.Fatalf("Match(arn:*:*:*:*:*, %q) = false", s)
		}
	})
}
