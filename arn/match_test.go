package arn

import "testing"

func TestMatch(t *testing.T) {
	tests := []struct {
		pattern, s string
		want       bool
	}{
		{"arn:aws:sns:*:111122223333:*", "arn:aws:sns:us-east-1:111122223333:t", true},
		{"arn:aws:sns:*:111122223333:*", "arn:aws:sns:us-east-1:444455556666:t", false},
		// '*' stays within its segment: it does not span the colons.
		{"arn:aws:*:111122223333:*", "arn:aws:sns:us-east-1:111122223333:t", false},
		{"arn:aws:s*", "arn:aws:sns:us-east-1:111122223333:t", false},
		// ... except in the resource segment, which takes the rest.
		{"arn:aws:mq:*:*:broker:*", "arn:aws:mq:us-east-1:1:broker:b:b-1", true},
		{"arn:aws:mq:*:*:broker:*:b-?", "arn:aws:mq:us-east-1:1:broker:b:b-1", true},
		{"arn:aws:mq:*:*:broker:*:b-?", "arn:aws:mq:us-east-1:1:broker:b:b-12", false},
		{"arn:aws:iam::*:role/*", "arn:aws:iam::123456789012:role/a/b", true},
		{"arn:aws:iam::*:role/*", "arn:aws:iam::123456789012:user/a", false},
		{"arn:aws:iam::?????????????:role/*", "arn:aws:iam::123456789012:role/a", false},
		{"arn:aws:iam::????????????:role/*", "arn:aws:iam::123456789012:role/a", true},
		// Case-sensitive.
		{"arn:aws:iam::*:role/Admin", "arn:aws:iam::1:role/admin", false},
		// An empty segment matches only an empty one, or '*'.
		{"arn:aws:iam::*:root", "arn:aws:iam:us-east-1:1:root", false},
		{"arn:aws:iam:*:*:root", "arn:aws:iam::1:root", true},
		{"arn:*:*:*:*:*", "arn:::::", true},
		{"*", "arn:aws:iam::1:root", false},
		{"arn:aws:iam::*:root", "not an arn", false},
		{"arn:aws:s3:::a*b*c", "arn:aws:s3:::aXbYbZc", true},
		{"arn:aws:s3:::a*b*c", "arn:aws:s3:::aXbYcZ", false},
	}
	for _, tt := range tests {
		t.Run(tt.pattern+" "+tt.s, func(t *testing.T) {
			if got := Match(tt.pattern, tt.s); got != tt.want {
				t.Errorf("Match(%s, %s) = %v, want %v", tt.pattern, tt.s, got, tt.want)
			}
		})
	}
}

func TestMatchSegment(t *testing.T) {
	tests := []struct {
		pattern, s string
		want       bool
	}{
		{"", "", true},
		{"", "a", false},
		{"*", "", true},
		{"**", "abc", true},
		{"?", "", false},
		{"a?c", "abc", true},
		{"a*", "a", true},
		{"*a", "ba", true},
		{"*a", "ab", false},
		{"a*b?d", "axxbcd", true},
		{"a*b?d", "axxbcdd", false},
		{"*x*y*", "axbxcy", true},
	}
	for _, tt := range tests {
		if got := MatchSegment(tt.pattern, tt.s); got != tt.want {
			t.Errorf("MatchSegment(%q, %q) = %v, want %v", tt.pattern, tt.s, got, tt.want)
		}
	}
}
