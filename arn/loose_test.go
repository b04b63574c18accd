package arn

import "testing"

func TestReadLoose(t *testing.T) {
	tests := []struct {
		in     string
		want   Loose
		filled string
	}{
		{"adf", Loose{}, "arn:*:*:*:*:*"},
		{"a:bsdfdsafsad", Loose{Partition: "bsdfdsafsad", N: 1}, "arn:bsdfdsafsad:*:*:*:*"},
		{"a:b:cadfsdf", Loose{Partition: "b", Service: "cadfsdf", N: 2}, "arn:b:cadfsdf:*:*:*"},
		{"a:b:c:d:e:f:g:h", Loose{Partition: "b", Service: "c", Region: "d", Account: "e", Resource: "f:g:h", N: 5}, "arn:b:c:d:e:f:g:h"},
		{"aws:s3:::example_bucket", Loose{Partition: "s3", Account: "example_bucket", N: 4}, "arn:s3:::example_bucket:*"},
		{"arn:error:s3:::b", Loose{Partition: "error", Service: "s3", Resource: "b", N: 5}, "arn:error:s3:::b"},
		{"arn:aws:", Loose{Partition: "aws", N: 2}, "arn:aws:*:*:*:*"},
	}
	for _, tt := range tests {
		got := ReadLoose(tt.in)
		if got != tt.want {
			t.Errorf("ReadLoose(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
		if f := got.Filled(); f != tt.filled {
			t.Errorf("ReadLoose(%q).Filled() = %q, want %q", tt.in, f, tt.filled)
		}
	}
}

// FuzzReadLoose checks that ReadLoose does not panic and that, for text with
// all six parts, Filled gives it back with "arn" in front.
func FuzzReadLoose(f *testing.F) {
	f.Add("arn:aws:s3:::bucket/*")
	f.Add("a:b")
	f.Fuzz(func(t *testing.T, s string) {
		l := ReadLoose(s)
		if l.N == 5 && l.Service != "" {
			if _, rest, _ := cut(s); l.Filled() != "arn:"+rest {
				t.Errorf("ReadLoose(%q).Filled() = %q, want arn:%s", s, l.Filled(), rest)
			}
		}
	})
}

// cut drops the text before the first colon.
func cut(s string) (string, string, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == ':' {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}
