package policy

import (
	"strings"
	"testing"
	"time"
)

func TestLegacyDate(t *testing.T) {
	tests := []struct {
		value string
		want  bool
	}{
		{"2019-07-01T13:20:15Z", true},
		{"2016-12-13T21:20:37.593194+00:00", true},
		{"2016-12-13t2:00:00.593194+23", true},
		{"01T", true},
		{"-292275054", true},
		{"1700000000", true},
		{"9223372036854775807", true},
		{"9223372036854775808", false},
		{"sdfdsf", false},
		{"234-13", false},
		{"2016-12-13t2:00:00.593194+1", false},
		{"2016-12-13t2:00:00.1999999999+10:59", false},
		{"2016-12-13t24:00:00Z", false},
		{"2016-12-32", false},
		{"-292275055", false},
		{"", false},
		{"2016-12-13-01", false},
	}
	for _, tt := range tests {
		if got := legacyDate(tt.value); got != tt.want {
			t.Errorf("legacyDate(%q) = %v, want %v", tt.value, got, tt.want)
		}
	}
}

func TestCheckResource(t *testing.T) {
	tests := []struct {
		resource, want string // want "" when accepted
	}{
		{"*", ""},
		{"arn:aws:s3:::bucket/*", ""},
		{"arn:aws:fdsasf", ""},
		{"arn:*:s3:::bucket", ""},
		{"arn:aws:s3:us-west-2:123456789012:accesspoint/ap", ""},
		{"arn:aws:iam::123456789012:root", ""},
		{"arn:aws:iam::aws:policy/ReadOnlyAccess", ""},
		{"adf", `Resource adf must be in ARN format or "*".`},
		{"a:bsdfdsafsad", `Partition "bsdfdsafsad" is not valid for resource "arn:bsdfdsafsad:*:*:*:*".`},
		{"aws:s3:::example_bucket", `Partition "s3" is not valid for resource "arn:s3:::example_bucket:*".`},
		{"arn:aws-cn:s3:::bucket", `Partition "aws-cn" is not valid for resource "arn:aws-cn:s3:::bucket".`},
		{"arn:aws", MsgResourceVendor},
		{"arn:aws:s*:::bucket", MsgResourceVendor},
		{"arn:aws:iam:*", "IAM resource arn:aws:iam:* cannot contain region information."},
		{"arn:aws:iam:::example_bucket", msgIAMPath},
		{"arn:aws:s3:us-east-1::bucket", "Resource arn:aws:s3:us-east-1::bucket can not contain region information."},
	}
	for _, tt := range tests {
		if got, _ := checkResource(tt.resource); got != tt.want {
			t.Errorf("checkResource(%q) = %q, want %q", tt.resource, got, tt.want)
		}
	}
}

// FuzzLegacyDate checks that legacyDate does not panic, and that it reads
// every instant Go writes in RFC 3339 and every non-negative epoch.
func FuzzLegacyDate(f *testing.F) {
	f.Add("2019-07-01T13:20:15Z", int64(0))
	f.Add("01T", int64(1700000000))
	f.Fuzz(func(t *testing.T, s string, sec int64) {
		legacyDate(s)
		if sec < 0 {
			sec = -sec
		}
		at := time.Unix(sec%(1<<40), 0).UTC()
		if text := at.Format(time.RFC3339); !legacyDate(text) && at.Year() < 10000 {
			t.Errorf("legacyDate(%q) = false, want true", text)
		}
		if text := at.Format("20060102"); !strings.Contains(text, "-") && sec >= 0 && !legacyDate(text) {
			t.Errorf("legacyDate(%q) = false, want true (an epoch)", text)
		}
	})
}

// FuzzCheckResource checks that checkResource does not panic, that a refusal
// always has a detail, and that it accepts s3 bucket ARNs of any name.
func FuzzCheckResource(f *testing.F) {
	for _, r := range []string{"*", "arn:aws:s3:::b", "a:b:c:d:e:f:g:h", "arn:aws:iam::1:user/x", ""} {
		f.Add(r)
	}
	f.Fuzz(func(t *testing.T, r string) {
		msg, detail := checkResource(r)
		if msg != "" && detail == "" {
			t.Errorf("checkResource(%q) = %q with no detail", r, msg)
		}
		legacyResource(r)
		if m, _ := checkResource("arn:aws:s3:::" + r); m != "" {
			t.Errorf("checkResource(%q) = %q, want accepted", "arn:aws:s3:::"+r, m)
		}
	})
}
