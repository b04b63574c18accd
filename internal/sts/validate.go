package sts

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/internal/authz"
	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/store"
)

// invalid is a ValidationError in the words AWS's model validation uses:
// "1 validation error detected: Value 'x' at 'field' failed to satisfy
// constraint: …".
func invalid(value, field, constraint string) error {
	return fmt.Errorf("%w: 1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: %s", ErrValidation, value, field, constraint)
}

// nameChars reports whether s holds only the characters [\w+=,.@-] that
// RoleSessionName and SourceIdentity allow (extra adds more, ExternalId's
// ":/").
func nameChars(s, extra string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("_+=,.@-"+extra, c) >= 0
		if !ok {
			return false
		}
	}
	return true
}

// checkName checks a name field's length and characters.
func checkName(value, field string, min, max int, extra, pattern string) error {
	switch {
	case len(value) < min:
		return invalid(value, field, fmt.Sprintf("Member must have length greater than or equal to %d", min))
	case len(value) > max:
		return invalid(value, field, fmt.Sprintf("Member must have length less than or equal to %d", max))
	case !nameChars(value, extra):
		return invalid(value, field, "Member must satisfy regular expression pattern: "+pattern)
	}
	return nil
}

// validateAssume checks AssumeRole's parameters against the model's
// constraints (STS API Reference, AssumeRole, Request Parameters) and returns
// the session's length in seconds.
func validateAssume(in *AssumeRoleInput) (seconds int, err error) {
	if err := validateAssumeFields(in); err != nil {
		return 0, err
	}
	seconds = ChainedDuration // the default: one hour
	if in.DurationSeconds != nil {
		// 0 is a value like any other, not the default: it is refused.
		seconds = *in.DurationSeconds
		if err := durationBounds(seconds, MaxRoleDuration); err != nil {
			return 0, err
		}
	}
	return seconds, nil
}

// validateAssumeFields checks AssumeRole's parameters other than
// DurationSeconds.
func validateAssumeFields(in *AssumeRoleInput) error {
	if len(in.RoleARN) < 20 || len(in.RoleARN) > 2048 {
		return invalid(in.RoleARN, "roleArn", "Member must have length greater than or equal to 20")
	}
	if err := checkName(in.RoleSessionName, "roleSessionName", 2, 64, "", `[\w+=,.@-]*`); err != nil {
		return err
	}
	if in.ExternalID != "" {
		if err := checkName(in.ExternalID, "externalId", 2, 1224, ":/", `[\w+=,.@:\/-]*`); err != nil {
			return err
		}
	}
	if in.SourceIdentity != "" {
		if err := checkName(in.SourceIdentity, "sourceIdentity", 2, 64, "", `[\w+=,.@-]*`); err != nil {
			return err
		}
	}
	if len(in.PolicyARNs) > MaxPolicyARNs {
		return invalid(fmt.Sprint(in.PolicyARNs), "policyArns", fmt.Sprintf("Member must have length less than or equal to %d", MaxPolicyARNs))
	}
	if len(in.Tags) > MaxSessionTags {
		return invalid("tags", "tags", fmt.Sprintf("Member must have length less than or equal to %d", MaxSessionTags))
	}
	return checkTags(in.Tags, in.TransitiveKeys)
}

// tagChars is the character class of the model's tagKeyType and
// tagValueType: letters, separators, numbers and _ . : / = + - @ — so not the
// wildcards * and ?, which a policy condition would take for patterns.
var tagChars = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)

// checkTags checks the session tags and transitive tag keys against the
// model's Tag and tagKeyListType (STS API Reference, Tag: keys of 1–128 and
// values of 0–256 characters, pattern [\p{L}\p{Z}\p{N}_.:/=+\-@]), and
// refuses keys that begin with the reserved aws: (IAM User Guide, "Rules for
// tagging in IAM and AWS STS"). The fields are named as AWS's model
// validation names list members: "tags.1.member.value".
func checkTags(tags []store.Tag, transitive []string) error {
	for i, t := range tags {
		at := fmt.Sprintf("tags.%d.member.", i+1)
		if err := checkTagKey(t.Key, at+"key"); err != nil {
			return err
		}
		if err := checkTagText(t.Value, at+"value", 0, 256, `[\p{L}\p{Z}\p{N}_.:/=+\-@]*`); err != nil {
			return err
		}
	}
	for i, k := range transitive {
		if err := checkTagKey(k, fmt.Sprintf("transitiveTagKeys.%d.member", i+1)); err != nil {
			return err
		}
	}
	return nil
}

// checkTagKey checks one tag key: tagKeyType, and not reserved.
func checkTagKey(key, field string) error {
	if err := checkTagText(key, field, 1, 128, `[\p{L}\p{Z}\p{N}_.:/=+\-@]+`); err != nil {
		return err
	}
	if iam.ReservedTagKey(key) {
		// STS's code for a value its own rules refuse (the transitive-key
		// refusals use it too); AWS's text is not published.
		return fmt.Errorf("%w: %s", ErrInvalidParameter, iam.ReservedTagMessage(key))
	}
	return nil
}

// checkTagText checks a tag key's or value's length in characters and its
// characters.
func checkTagText(s, field string, min, max int, pattern string) error {
	n := utf8.RuneCountInString(s)
	switch {
	case n < min:
		return invalid(s, field, fmt.Sprintf("Member must have length greater than or equal to %d", min))
	case n > max:
		return invalid(s, field, fmt.Sprintf("Member must have length less than or equal to %d", max))
	case !tagChars.MatchString(s):
		return invalid(s, field, "Member must satisfy regular expression pattern: "+pattern)
	}
	return nil
}

// durationBounds checks DurationSeconds against 900 and max.
func durationBounds(seconds, max int) error {
	if seconds < MinDuration {
		return invalid(fmt.Sprint(seconds), "durationSeconds", fmt.Sprintf("Member must have value greater than or equal to %d", MinDuration))
	}
	if seconds > max {
		return invalid(fmt.Sprint(seconds), "durationSeconds", fmt.Sprintf("Member must have value less than or equal to %d", max))
	}
	return nil
}

// checkDuration checks DurationSeconds against the role's
// MaxSessionDuration, and one hour for role chaining. The texts are those STS
// answers (seen in public issue reports, e.g. kreuzwerker/awsu#27).
func checkDuration(seconds, roleMax int, chained bool) error {
	if roleMax == 0 {
		roleMax = ChainedDuration
	}
	if chained && seconds > ChainedDuration {
		return fmt.Errorf("%w: The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.", ErrValidation)
	}
	if seconds > roleMax {
		return fmt.Errorf("%w: The requested DurationSeconds exceeds the MaxSessionDuration set for this role.", ErrValidation)
	}
	return nil
}

// packPolicies checks the session policies and returns the share of the
// packed limit they use, in percent. The wording follows STS's answer for
// session tags ("Packed size of session tags consumes 112% of allotted
// space.", aws/containers-roadmap#2413); its text for policies is not
// verified.
func (s *Service) packPolicies(in *AssumeRoleInput) (int, error) {
	size := 0
	if in.Policy != "" {
		if len(in.Policy) > 2048 {
			return 0, invalid("policy", "policy", "Member must have length less than or equal to 2048")
		}
		n := len(in.Policy)
		if s.opts.CheckPolicy != nil {
			var err error
			if n, err = s.opts.CheckPolicy(in.Policy); err != nil {
				return 0, err
			}
		}
		size += n
	}
	for _, s := range in.PolicyARNs {
		if a, ok := arn.Split(s); !ok || a.Partition != arn.PartitionAWS || a.Service != arn.ServiceIAM || a.Region != "" ||
			!strings.HasPrefix(a.Resource, arn.TypePolicy+"/") {
			return 0, fmt.Errorf("%w: Invalid ARN: %s", ErrInvalidParameter, s)
		}
		size += len(s)
	}
	pct := percent(size)
	if pct > 100 {
		return 0, fmt.Errorf("%w: Packed size of policies consumes %d%% of allotted space.", ErrPackedPolicySize, pct)
	}
	return pct, nil
}

func percent(size int) int { return (size*100 + packedLimit - 1) / packedLimit }

// sessionTags are the tags of the new session: the transitive tags of the
// calling session, which cannot be overridden, and the request's (IAM User
// Guide, "Passing session tags in AWS STS", "Chaining roles with session
// tags").
func sessionTags(caller authz.Principal, in *AssumeRoleInput) ([]store.Tag, error) {
	var tags []store.Tag
	seen := map[string]bool{}
	if caller.Session != nil {
		for _, k := range caller.Session.Transitive {
			for _, t := range caller.Session.Tags {
				if strings.EqualFold(t.Key, k) {
					tags = append(tags, t)
					seen[strings.ToLower(t.Key)] = true
				}
			}
		}
	}
	size := 0
	for _, t := range in.Tags {
		if seen[strings.ToLower(t.Key)] {
			return nil, fmt.Errorf("%w: One or more tags (%s) conflict with a transitive tag of the session or are duplicates.", ErrInvalidParameter, t.Key)
		}
		seen[strings.ToLower(t.Key)] = true
		tags = append(tags, t)
		size += len(t.Key) + len(t.Value)
	}
	for _, k := range in.TransitiveKeys {
		found := false
		for _, t := range in.Tags {
			found = found || strings.EqualFold(t.Key, k)
		}
		if !found {
			return nil, fmt.Errorf("%w: The transitive tag key %s is not a session tag of the request.", ErrInvalidParameter, k)
		}
	}
	if pct := percent(size); pct > 100 {
		return nil, fmt.Errorf("%w: Packed size of session tags consumes %d%% of allotted space.", ErrPackedPolicySize, pct)
	}
	return tags, nil
}

// transitive are the transitive tag keys of the new session: the caller's
// and the request's.
func transitive(caller authz.Principal, keys []string) []string {
	var out []string
	if caller.Session != nil {
		out = append(out, caller.Session.Transitive...)
	}
	return append(out, keys...)
}
