package arn

import "strings"

// ParsePattern reads an ARN pattern as a policy's Resource element writes
// it. Unlike Parse, it does not split at the colons inside policy variables
// ("arn:aws:iam::${aws:PrincipalAccount}:user/x"), and it accepts a short
// pattern whose last segment has a wildcard, which spans the missing
// segments: IAM accepts "arn:aws:waf:*" (the AWS managed policy
// AWSShieldDRTAccessPolicy has it), and ParsePattern returns it with the
// missing segments "*". The service segment must be present.
//
// On an error with CodeSegments, the returned ARN holds the segments that are
// present, so that a validator can say more about them.
func ParsePattern(s string) (ARN, error) {
	rest, ok := strings.CutPrefix(s, Prefix)
	if !ok {
		return ARN{}, &Error{Input: s, Code: CodePrefix}
	}
	var seg [5]string
	n, start := 0, 0
	for i := 0; i < len(rest) && n < 4; i++ {
		switch rest[i] {
		case '$':
			// A policy variable runs to the first '}'. An unclosed "${" is
			// text: were it to hide every colon after it, the pattern would
			// not read back the same once String filled in short segments.
			if j := strings.IndexByte(rest[i:], '}'); j > 0 && i+1 < len(rest) && rest[i+1] == '{' {
				i += j
			}
		case ':':
			seg[n] = rest[start:i]
			n++
			start = i + 1
		}
	}
	seg[n] = rest[start:]
	n++
	a := ARN{Partition: seg[0], Service: seg[1], Region: seg[2], Account: seg[3], Resource: seg[4]}
	if n == 5 {
		return a, nil
	}
	if n < 2 || !strings.ContainsAny(seg[n-1], "*?") {
		return a, &Error{Input: s, Code: CodeSegments}
	}
	for i := n; i < 5; i++ {
		seg[i] = "*"
	}
	return ARN{Partition: seg[0], Service: seg[1], Region: seg[2], Account: seg[3], Resource: seg[4]}, nil
}

// Match reports whether s matches pattern as the ArnLike condition operator
// matches: both are split into their six segments and each segment is
// matched separately, case-sensitively, '*' matching any run of characters
// within the segment and '?' any one character; the resource segment takes
// the rest of the text, colons included (IAM User Guide: "IAM JSON policy
// elements: Condition operators", section "Amazon Resource Name (ARN)
// condition operators"). The pattern's policy variables must already be
// resolved. A pattern or text that does not parse matches nothing. Match
// does not allocate.
func Match(pattern, s string) bool {
	p, ok := Split(pattern)
	if !ok {
		return false
	}
	a, ok := Split(s)
	return ok && MatchSegment(p.Partition, a.Partition) && MatchSegment(p.Service, a.Service) &&
		MatchSegment(p.Region, a.Region) && MatchSegment(p.Account, a.Account) &&
		MatchSegment(p.Resource, a.Resource)
}

// MatchSegment reports whether the segment s matches pattern, '*' matching
// any run of bytes and '?' any one byte, case-sensitively.
func MatchSegment(pattern, s string) bool {
	// The classic linear-space glob: on a mismatch, let the last '*' take one
	// more byte and retry from there.
	pi, si := 0, 0
	star, mark := -1, 0
	for si < len(s) {
		switch {
		case pi < len(pattern) && (pattern[pi] == '?' || pattern[pi] == s[si]) && pattern[pi] != '*':
			pi++
			si++
		case pi < len(pattern) && pattern[pi] == '*':
			star, mark = pi, si
			pi++
		case star >= 0:
			mark++
			pi, si = star+1, mark
		default:
			return false
		}
	}
	for pi < len(pattern) && pattern[pi] == '*' {
		pi++
	}
	return pi == len(pattern)
}
