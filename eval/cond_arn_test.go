package eval

import (
	"strings"
	"testing"

	"github.com/iamq/iamq/arn"
)

// FuzzArnLikeAgreesWithArnMatch checks eval's compiled ArnLike matcher
// against arn.Match, the reference for segment-wise ARN matching.
func FuzzArnLikeAgreesWithArnMatch(f *testing.F) {
	for _, p := range []string{"arn:aws:sns:*:111122223333:*", "arn:aws:mq:*:*:broker:*:b-?", "arn:*:*:*:*:*", "arn:aws:iam::*:role/*"} {
		for _, s := range []string{"arn:aws:sns:us-east-1:111122223333:t", "arn:aws:mq:us-east-1:1:broker:b:b-1", "arn:aws:iam::1:role/a/b", "arn:::::", "x"} {
			f.Add(p, s)
		}
	}
	f.Fuzz(func(t *testing.T, pattern, s string) {
		if strings.Contains(pattern, "${") {
			return // variables are rendered first; arn.Match takes resolved patterns
		}
		g, err := compileARN(pattern)
		if err != nil {
			return
		}
		got := false
		if a, ok := arn.Split(s); ok {
			got = true
			for i, seg := range [5]string{a.Partition, a.Service, a.Region, a.Account, a.Resource} {
				got = got && g[i].match(seg)
			}
		}
		if want := arn.Match(pattern, s); got != want {
			t.Fatalf("ArnLike(%q, %q) = %v, arn.Match = %v", pattern, s, got, want)
		}
	})
}
