package policy

import "unicode/utf8"

// IAM's size limits for policy documents, in characters as counted by Size.
// IAM User Guide, "IAM and AWS STS quotas" (shared/data/amazon-mq-iam-facts.md
// §5). The IAM API applies them where it stores a document; AWS managed
// policies are exempt (ReadOnlyAccess v188 is 91,266 characters).
const (
	// MaxManaged is the limit of a customer managed policy. IAM refuses a
	// longer one with LimitExceeded "Cannot exceed quota for PolicySize:
	// 6144" (verified: ministryofjustice/cloud-platform-environments#14473).
	MaxManaged = 6144
	// MaxInlineUser, MaxInlineGroup and MaxInlineRole limit the sum of the
	// sizes of all inline policies of one user, group or role.
	MaxInlineUser  = 2048
	MaxInlineGroup = 5120
	MaxInlineRole  = 10240
	// MaxTrust is the default limit of a role's trust policy; an account may
	// raise it to MaxTrustRaised.
	MaxTrust       = 2048
	MaxTrustRaised = 4096
	// MaxSession is the limit of the plaintext of a session policy passed
	// to AssumeRole or GetFederationToken (STS API Reference, Policy
	// parameter). STS counts every character.
	MaxSession = 2048
	// MaxSCP is the limit of a service control policy (AWS Organizations
	// quotas). Organizations counts every character, white space included.
	MaxSCP = 5120
)

// Size returns the size of a document as IAM counts it against its limits:
// the number of characters that are not white space (space, tab, LF, CR),
// wherever they are. Size(ReadOnlyAccess v188) is 91,266.
func Size(text string) int {
	n := 0
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
				n++
			}
			i++
			continue
		}
		_, w := utf8.DecodeRuneInString(text[i:])
		i += w
		n++
	}
	return n
}
