package sts

import (
	"errors"
	"strings"
	"testing"

	"github.com/iamq/iamq/internal/store"
)

func TestValidateAssume(t *testing.T) {
	const role = "arn:aws:iam::111122223333:role/r"
	tests := []struct {
		name string
		in   AssumeRoleInput
		want error // nil, or the sentinel
	}{
		{"minimal", AssumeRoleInput{RoleARN: role, RoleSessionName: "ab"}, nil},
		{"session name short", AssumeRoleInput{RoleARN: role, RoleSessionName: "a"}, ErrValidation},
		{"session name long", AssumeRoleInput{RoleARN: role, RoleSessionName: strings.Repeat("a", 65)}, ErrValidation},
		{"session name chars", AssumeRoleInput{RoleARN: role, RoleSessionName: "a/b"}, ErrValidation},
		{"session name all chars", AssumeRoleInput{RoleARN: role, RoleSessionName: "a_b+c=d,e.f@g-h"}, nil},
		{"external id with colon", AssumeRoleInput{RoleARN: role, RoleSessionName: "ab", ExternalID: "urn:x/y"}, nil},
		{"external id short", AssumeRoleInput{RoleARN: role, RoleSessionName: "ab", ExternalID: "x"}, ErrValidation},
		{"duration low", AssumeRoleInput{RoleARN: role, RoleSessionName: "ab", DurationSeconds: ptr(899)}, ErrValidation},
		{"duration zero", AssumeRoleInput{RoleARN: role, RoleSessionName: "ab", DurationSeconds: ptr(0)}, ErrValidation},
		{"duration negative", AssumeRoleInput{RoleARN: role, RoleSessionName: "ab", DurationSeconds: ptr(-1)}, ErrValidation},
		{"duration min", AssumeRoleInput{RoleARN: role, RoleSessionName: "ab", DurationSeconds: ptr(900)}, nil},
		{"duration high", AssumeRoleInput{RoleARN: role, RoleSessionName: "ab", DurationSeconds: ptr(43201)}, ErrValidation},
		{"11 policy arns", AssumeRoleInput{RoleARN: role, RoleSessionName: "ab", PolicyARNs: make([]string, 11)}, ErrValidation},
		{"51 tags", AssumeRoleInput{RoleARN: role, RoleSessionName: "ab", Tags: make([]store.Tag, 51)}, ErrValidation},
		{"short arn", AssumeRoleInput{RoleARN: "arn:aws:iam::1:role", RoleSessionName: "ab"}, ErrValidation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := validateAssume(&tt.in)
			if (tt.want == nil) != (err == nil) || tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("validateAssume(%s) = %v, want %v", tt.name, err, tt.want)
			}
		})
	}
}

func ptr(n int) *int { return &n }

// TestValidateAssumeDefault: without DurationSeconds a session lasts one hour.
func TestValidateAssumeDefault(t *testing.T) {
	seconds, err := validateAssume(&AssumeRoleInput{RoleARN: "arn:aws:iam::111122223333:role/r", RoleSessionName: "ab"})
	if err != nil || seconds != 3600 {
		t.Errorf("validateAssume(no DurationSeconds) = %d, %v, want 3600", seconds, err)
	}
}

func TestCheckDuration(t *testing.T) {
	tests := []struct {
		name             string
		seconds, roleMax int
		chained, wantErr bool
	}{
		{"default max", 3600, 0, false, false},
		{"over default max", 3601, 0, false, true},
		{"role max", 7200, 7200, false, false},
		{"chained hour", 3600, 43200, true, false},
		{"chained over an hour", 3601, 43200, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := checkDuration(tt.seconds, tt.roleMax, tt.chained); (err != nil) != tt.wantErr || err != nil && !errors.Is(err, ErrValidation) {
				t.Errorf("checkDuration(%d, %d, %v) = %v, want error %v", tt.seconds, tt.roleMax, tt.chained, err, tt.wantErr)
			}
		})
	}
}

func TestSessionTags(t *testing.T) {
	parent := Caller{Session: &Session{Tags: []store.Tag{{Key: "team", Value: "a"}, {Key: "x", Value: "y"}}, Transitive: []string{"team"}}}
	tags, err := sessionTags(parent, &AssumeRoleInput{Tags: []store.Tag{{Key: "env", Value: "dev"}}})
	if err != nil || len(tags) != 2 || tags[0].Key != "team" || tags[1].Key != "env" {
		t.Errorf("sessionTags(chained) = %v, %v; want the transitive team and env", tags, err)
	}
	if _, err := sessionTags(parent, &AssumeRoleInput{Tags: []store.Tag{{Key: "TEAM", Value: "b"}}}); !errors.Is(err, ErrInvalidParameter) {
		t.Errorf("sessionTags overriding a transitive tag = %v, want ErrInvalidParameter", err)
	}
	if _, err := sessionTags(Caller{}, &AssumeRoleInput{Tags: []store.Tag{{Key: "a", Value: "b"}}, TransitiveKeys: []string{"c"}}); !errors.Is(err, ErrInvalidParameter) {
		t.Errorf("sessionTags with a transitive key that is no tag = %v, want ErrInvalidParameter", err)
	}
	big := []store.Tag{}
	for i := 0; i < 10; i++ {
		big = append(big, store.Tag{Key: strings.Repeat("k", 127) + string(rune('a'+i)), Value: strings.Repeat(string(rune('a'+i)), 256)})
	}
	if _, err := sessionTags(Caller{}, &AssumeRoleInput{Tags: big}); !errors.Is(err, ErrPackedPolicySize) {
		t.Errorf("sessionTags of 3,840 characters = %v, want ErrPackedPolicySize", err)
	}
}

// FuzzRoleAccount: roleAccount, the parser of AssumeRole's RoleArn, never
// panics and accepts only 12-digit-account role ARNs.
func FuzzRoleAccount(f *testing.F) {
	for _, s := range []string{"arn:aws:iam::111122223333:role/r", "arn:aws:iam::111122223333:role/p/q/r", "arn:aws:iam::aws:role/", "", "arn:aws:iam::"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, arn string) {
		account, ok := roleAccount(arn)
		if !ok {
			return
		}
		if len(account) != 12 || strings.Trim(account, "0123456789") != "" || !strings.HasPrefix(arn, "arn:aws:iam::"+account+":role/") || strings.HasSuffix(arn, "/") {
			t.Errorf("roleAccount(%q) = %q, true", arn, account)
		}
	})
}
