package arn

import (
	"bufio"
	"errors"
	"os"
	"strings"
	"testing"
)

// corpus reads the lines of a testdata file, skipping blank lines and
// comments.
func corpus(t testing.TB, name string) []string {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := sc.Text(); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestParseCorpusValid(t *testing.T) {
	for _, s := range corpus(t, "valid.txt") {
		t.Run(s, func(t *testing.T) {
			a, err := Parse(s)
			if err != nil {
				t.Fatalf("Parse(%s) = %v, want no error", s, err)
			}
			if got := a.String(); got != s {
				t.Errorf("Parse(%s).String() = %s, want %s", s, got, s)
			}
			if b, ok := Split(s); !ok || b != a {
				t.Errorf("Split(%s) = %+v, %v, want %+v, true", s, b, ok, a)
			}
			if p, err := ParsePattern(s); err != nil || (!strings.Contains(s, "${") && p != a) {
				t.Errorf("ParsePattern(%s) = %+v, %v, want %+v", s, p, err, a)
			}
		})
	}
}

func TestParseCorpusInvalid(t *testing.T) {
	codes := map[string]Code{"prefix": CodePrefix, "segments": CodeSegments}
	for _, line := range corpus(t, "invalid.txt") {
		name, s, _ := strings.Cut(line, " ")
		t.Run(line, func(t *testing.T) {
			a, err := Parse(s)
			var e *Error
			if !errors.As(err, &e) || e.Code != codes[name] || e.Input != s || !errors.Is(err, ErrInvalid) {
				t.Fatalf("Parse(%q) = %+v, %v, want an *Error with code %s", s, a, err, name)
			}
			if a != (ARN{}) {
				t.Errorf("Parse(%q) = %+v, want the zero ARN", s, a)
			}
			if _, ok := Split(s); ok {
				t.Errorf("Split(%q) ok, want not ok", s)
			}
			if e.Error() == "" {
				t.Errorf("Parse(%q): empty error text", s)
			}
		})
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want ARN
	}{
		{"arn:aws:iam::123456789012:user/a/b", ARN{"aws", "iam", "", "123456789012", "user/a/b"}},
		{"arn:aws:mq:us-east-1:123456789012:broker:b:b-1", ARN{"aws", "mq", "us-east-1", "123456789012", "broker:b:b-1"}},
		{"arn:aws-cn:s3:::b/k:v", ARN{"aws-cn", "s3", "", "", "b/k:v"}},
		{"arn:::::", ARN{}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := Parse(tt.in)
			if err != nil || got != tt.want {
				t.Errorf("Parse(%s) = %+v, %v, want %+v", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestParsePattern(t *testing.T) {
	tests := []struct {
		in   string
		want ARN
		code Code
	}{
		{"arn:aws:iam::${aws:PrincipalAccount}:user/${aws:username}", ARN{"aws", "iam", "", "${aws:PrincipalAccount}", "user/${aws:username}"}, 0},
		{"arn:aws:waf:*", ARN{"aws", "waf", "*", "*", "*"}, 0},
		{"arn:aws:waf:us-*", ARN{"aws", "waf", "us-*", "*", "*"}, 0},
		{"arn:aws:*", ARN{"aws", "*", "*", "*", "*"}, 0},
		{"arn:aws:s3:::b*", ARN{"aws", "s3", "", "", "b*"}, 0},
		{"arn:aws:s3:::b/k:v", ARN{"aws", "s3", "", "", "b/k:v"}, 0},
		{"arn:*", ARN{Partition: "*"}, CodeSegments},
		{"arn:aws:waf", ARN{Partition: "aws", Service: "waf"}, CodeSegments},
		{"arn:aws:s*:x", ARN{Partition: "aws", Service: "s*", Region: "x"}, CodeSegments},
		// An unclosed variable is text: its colon splits.
		{"arn:aws:iam::${aws:x", ARN{"aws", "iam", "", "${aws", "x"}, 0},
		{"arn:aws:${a:b}:c", ARN{Partition: "aws", Service: "${a:b}", Region: "c"}, CodeSegments},
		{"*", ARN{}, CodePrefix},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParsePattern(tt.in)
			var code Code
			if e := (*Error)(nil); errors.As(err, &e) {
				code = e.Code
			}
			if got != tt.want || code != tt.code || (err != nil) != (tt.code != 0) {
				t.Errorf("ParsePattern(%s) = %+v, %v, want %+v, code %d", tt.in, got, err, tt.want, tt.code)
			}
		})
	}
}

func TestIsAccountID(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"123456789012", true},
		{"000000000000", true},
		{"12345678901", false},
		{"1234567890123", false},
		{"12345678901a", false},
		{"aws", false},
		{"", false},
		{"１23456789012", false},
	}
	for _, tt := range tests {
		if got := IsAccountID(tt.in); got != tt.want {
			t.Errorf("IsAccountID(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestSplitAllocs(t *testing.T) {
	for _, s := range []string{"arn:aws:iam::123456789012:user/a/b", "not an arn", "arn:aws"} {
		if n := testing.AllocsPerRun(100, func() {
			a, _ := Split(s)
			_ = SplitIAMResource(a.Resource)
			_ = Match("arn:aws:iam::*:user/*", s)
		}); n != 0 {
			t.Errorf("Split(%q) and Match: %v allocs, want 0", s, n)
		}
	}
}
