package iam

import (
	"regexp"
	"strings"
	"testing"
)

// FuzzGlobFold: globFold agrees with the regular expression its pattern
// means ('*' any run, '?' one character, the rest literal, ASCII case
// ignored).
func FuzzGlobFold(f *testing.F) {
	for _, seed := range [][2]string{{"Describe*", "DescribeBroker"}, {"m?", "MQ"}, {"*a*b", "xaxb"}, {"", ""}, {"**", "x"}, {"a?c", "abd"}} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, pattern, s string) {
		if len(pattern) > 64 || len(s) > 64 {
			return
		}
		var re strings.Builder
		re.WriteString(`(?is)^`)
		for _, r := range pattern {
			switch r {
			case '*':
				re.WriteString(`.*`)
			case '?':
				re.WriteString(`.`)
			default:
				re.WriteString(regexp.QuoteMeta(string(r)))
			}
		}
		re.WriteString(`$`)
		want := regexp.MustCompile(re.String()).MatchString(s)
		// The regexp folds Unicode case and matches '?' to a rune; globFold
		// folds ASCII and works on bytes: compare on ASCII only.
		if !isASCII(pattern) || !isASCII(s) {
			return
		}
		if got := globFold(pattern, s); got != want {
			t.Errorf("globFold(%q, %q) = %v, want %v", pattern, s, got, want)
		}
	})
}

// FuzzCheckGrantInput: any ARN is refused or names a user, group or role
// with a name and a path from "/" to "/".
func FuzzCheckGrantInput(f *testing.F) {
	for _, seed := range []string{"arn:aws:iam::123456789012:user/team/dev", "arn:aws:iam::123456789012:role/r",
		"arn:aws:iam::123456789012:group/", "arn:aws:s3:::bucket", "arn:aws:iam::123456789012:user//x", "not an arn at all"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, a string) {
		ref, path, err := checkGrantInput(testAccount, a, []string{"mq"})
		if err != nil {
			return
		}
		if ref.Name == "" || !strings.HasPrefix(path, "/") || !strings.HasSuffix(path, "/") {
			t.Errorf("checkGrantInput(%q) = %+v, %q", a, ref, path)
		}
	})
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
