package iam

import (
	"testing"
)

func TestParsePolicyARN(t *testing.T) {
	tests := []struct {
		name, arn string
		ok        bool
		path      string
	}{
		{"aws root path", "arn:aws:iam::aws:policy/AmazonMQFullAccess", true, "/"},
		{"aws job function", "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess", true, "/job-function/"},
		{"customer deep", "arn:aws:iam::123456789012:policy/a/b.c/P+=,.@_-", true, "/a/b.c/"},
		{"doubled prefix", "arn:aws:iam::aws:policy/arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess", false, ""},
		{"short account", "arn:aws:iam::12345:policy/P", false, ""},
		{"role", "arn:aws:iam::123456789012:role/P", false, ""},
		{"empty name", "arn:aws:iam::123456789012:policy/a/", false, ""},
		{"empty segment", "arn:aws:iam::123456789012:policy//P", false, ""},
		{"other partition", "arn:aws-cn:iam::123456789012:policy/P", false, ""},
		{"space", "arn:aws:iam::123456789012:policy/a b", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ref, ok := parsePolicyARN(tt.arn)
			if ok != tt.ok || ok && ref.Path != tt.path {
				t.Fatalf("parsePolicyARN(%s) = %+v, %v, want path %q, %v", tt.arn, ref, ok, tt.path, tt.ok)
			}
		})
	}
}

func TestCheckVersionID(t *testing.T) {
	tests := []struct {
		id string
		ok bool
	}{
		{"v1", true}, {"v188", true}, {"v1.2-a", true}, {"v0", false}, {"1", false}, {"v", false}, {"v1_2", false}, {"v1.a_b", false},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			var v Validation
			if got := checkVersionID(&v, tt.id); got != tt.ok || (v.Err() == nil) != tt.ok {
				t.Fatalf("checkVersionID(%q) = %v (%v), want %v", tt.id, got, v.Err(), tt.ok)
			}
		})
	}
}

// FuzzParsePolicyARN checks that parsing never panics and that a parsed ARN
// is exactly its parts put back together.
func FuzzParsePolicyARN(f *testing.F) {
	for _, s := range []string{"arn:aws:iam::aws:policy/AmazonMQFullAccess", "arn:aws:iam::123456789012:policy/a/b/c",
		"arn:aws:iam::aws:policy/arn:aws:iam::aws:policy/X", "arn:aws:iam::1:policy/", "arn:aws:iam:::", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ref, ok := parsePolicyARN(s)
		if !ok {
			return
		}
		if back := "arn:aws:iam::" + ref.Account + ":policy" + ref.Path + ref.Name; back != s {
			t.Fatalf("parsePolicyARN(%q) = %+v, which prints as %q", s, ref, back)
		}
		if !IsName(ref.Name) || ref.Path[0] != '/' || ref.Path[len(ref.Path)-1] != '/' {
			t.Fatalf("parsePolicyARN(%q) = %+v: bad name or path", s, ref)
		}
	})
}

// FuzzParsePolicyMarker checks that parsing never panics and that a marker
// that parses encodes back to itself.
func FuzzParsePolicyMarker(f *testing.F) {
	for _, m := range []policyMarker{{Phase: phaseAWS, After: "AmazonMQFullAccess"}, {Phase: phaseLocal}, {Phase: phaseLocal, After: "MToa2V5"}} {
		f.Add(m.encode())
	}
	f.Add("not a marker")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		m, err := parsePolicyMarker(s)
		if err != nil || s == "" {
			return
		}
		again, err := parsePolicyMarker(m.encode())
		if err != nil || again != m {
			t.Fatalf("parsePolicyMarker(%q) = %+v, re-encoded %+v, %v", s, m, again, err)
		}
	})
}
