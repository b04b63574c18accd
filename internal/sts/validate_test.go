package sts

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/iamq/iamq/internal/authz"
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
		{"tag value star", AssumeRoleInput{RoleARN: role, RoleSessionName: "ab", Tags: []store.Tag{{Key: "team", Value: "*"}}}, ErrValidation},
		{"tag value question mark", AssumeRoleInput{RoleARN: role, RoleSessionName: "ab", Tags: []store.Tag{{Key: "team", Value: "a?"}}}, ErrValidation},
		{"tag key star", AssumeRoleInput{RoleARN: role, RoleSessionName: "ab", Tags: []store.Tag{{Key: "te*m", Value: "a"}}}, ErrValidation},
		{"tag key empty", AssumeRoleInput{RoleARN: role, RoleSessionName: "ab", Tags: []store.Tag{{Key: "", Value: "a"}}}, ErrValidation},
		{"tag value long", AssumeRoleInput{RoleARN: role, RoleSessionName: "ab", Tags: []store.Tag{{Key: "k", Value: strings.Repeat("v", 257)}}}, ErrValidation},
		{"tag value of 256 letters", AssumeRoleInput{RoleARN: role, RoleSessionName: "ab", Tags: []store.Tag{{Key: "k", Value: strings.Repeat("é", 256)}}}, nil},
		{"tag every allowed char", AssumeRoleInput{RoleARN: role, RoleSessionName: "ab", Tags: []store.Tag{{Key: "Team 1_.:/=+-@", Value: "Grüße 7_.:/=+-@"}, {Key: "empty", Value: ""}}}, nil},
		{"tag key reserved", AssumeRoleInput{RoleARN: role, RoleSessionName: "ab", Tags: []store.Tag{{Key: "aws:team", Value: "a"}}}, ErrInvalidParameter},
		{"tag key reserved upper", AssumeRoleInput{RoleARN: role, RoleSessionName: "ab", Tags: []store.Tag{{Key: "AWS:team", Value: "a"}}}, ErrInvalidParameter},
		{"transitive key star", AssumeRoleInput{RoleARN: role, RoleSessionName: "ab", Tags: []store.Tag{{Key: "a", Value: "b"}}, TransitiveKeys: []string{"*"}}, ErrValidation},
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

// TestCheckTagsMessages: the refusals read as AWS's model validation
// words them.
func TestCheckTagsMessages(t *testing.T) {
	tests := []struct {
		name string
		tags []store.Tag
		want string
	}{
		{"value star", []store.Tag{{Key: "ok", Value: "x"}, {Key: "team", Value: "*"}},
			`1 validation error detected: Value '*' at 'tags.2.member.value' failed to satisfy constraint: Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]*`},
		{"key pattern", []store.Tag{{Key: "a?", Value: "x"}},
			`1 validation error detected: Value 'a?' at 'tags.1.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]+`},
		{"key long", []store.Tag{{Key: strings.Repeat("k", 129), Value: "x"}},
			"1 validation error detected: Value '" + strings.Repeat("k", 129) + "' at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 128"},
		{"key reserved", []store.Tag{{Key: "aws:PrincipalTag", Value: "x"}},
			"The tag key 'aws:PrincipalTag' is not valid: tag keys that begin with aws: are reserved for AWS internal use."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkTags(tt.tags, nil)
			if err == nil || message(err) != tt.want {
				t.Errorf("checkTags(%s) = %v, want %q", tt.name, err, tt.want)
			}
		})
	}
}

// message is an error's text without its sentinel's prefix, as the client
// reads it.
func message(err error) string {
	for _, s := range []error{ErrValidation, ErrInvalidParameter} {
		if errors.Is(err, s) {
			return strings.TrimPrefix(err.Error(), s.Error()+": ")
		}
	}
	return err.Error()
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
	parent := authz.Principal{Session: &authz.Session{Tags: []store.Tag{{Key: "team", Value: "a"}, {Key: "x", Value: "y"}}, Transitive: []string{"team"}}}
	tags, err := sessionTags(parent, &AssumeRoleInput{Tags: []store.Tag{{Key: "env", Value: "dev"}}})
	if err != nil || len(tags) != 2 || tags[0].Key != "team" || tags[1].Key != "env" {
		t.Errorf("sessionTags(chained) = %v, %v; want the transitive team and env", tags, err)
	}
	if _, err := sessionTags(parent, &AssumeRoleInput{Tags: []store.Tag{{Key: "TEAM", Value: "b"}}}); !errors.Is(err, ErrInvalidParameter) {
		t.Errorf("sessionTags overriding a transitive tag = %v, want ErrInvalidParameter", err)
	}
	if _, err := sessionTags(authz.Principal{}, &AssumeRoleInput{Tags: []store.Tag{{Key: "a", Value: "b"}}, TransitiveKeys: []string{"c"}}); !errors.Is(err, ErrInvalidParameter) {
		t.Errorf("sessionTags with a transitive key that is no tag = %v, want ErrInvalidParameter", err)
	}
	big := []store.Tag{}
	for i := 0; i < 10; i++ {
		big = append(big, store.Tag{Key: strings.Repeat("k", 127) + string(rune('a'+i)), Value: strings.Repeat(string(rune('a'+i)), 256)})
	}
	if _, err := sessionTags(authz.Principal{}, &AssumeRoleInput{Tags: big}); !errors.Is(err, ErrPackedPolicySize) {
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

func TestCheckPolicyARNs(t *testing.T) {
	ctx := context.Background()
	boom := errors.New("disk on fire")
	lookup := func(_ context.Context, account, arn string) error {
		switch {
		case arn == "arn:aws:iam::111122223333:policy/ok" && account == "111122223333":
			return nil
		case arn == "arn:aws:iam::111122223333:policy/fail":
			return boom
		}
		return fmt.Errorf("no %s: %w", arn, store.ErrNotFound)
	}
	tests := []struct {
		name   string
		lookup PolicyLookup
		arns   []string
		want   error
	}{
		{"exists", lookup, []string{"arn:aws:iam::111122223333:policy/ok"}, nil},
		{"missing", lookup, []string{"arn:aws:iam::111122223333:policy/ok", "arn:aws:iam::111122223333:policy/nope"}, ErrInvalidParameter},
		{"store failure", lookup, []string{"arn:aws:iam::111122223333:policy/fail"}, boom},
		{"no lookup", nil, []string{"arn:aws:iam::111122223333:policy/nope"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkPolicyARNs(ctx, tt.lookup, "111122223333", tt.arns)
			if (tt.want == nil) != (err == nil) || tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("checkPolicyARNs(%s) = %v, want %v", tt.name, err, tt.want)
			}
		})
	}
}
