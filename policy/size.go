package policy

import (
	"fmt"
	"unicode/utf8"
)

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

// SizeFinding reports a document too large to be stored as a customer
// document of kind k: a customer managed policy (identity, boundary), a trust
// policy at the default quota, a session policy or an SCP. It reports nothing
// for resource policies, whose limits each service sets. The message is the
// one of IAM's LimitExceeded error where it is known:
//
//   - "Cannot exceed quota for PolicySize: 6144" (verified:
//     ministryofjustice/cloud-platform-environments#14473);
//   - "Cannot exceed quota for ACLSizePerRole: 2048" for trust policies
//     (verified: kubeflow/kubeflow#6687).
//
// Inline policies are limited in aggregate per user, group or role
// (MaxInlineUser, …); only the caller knows the aggregate. AWS managed
// policies are exempt from every limit.
func SizeFinding(text string, k Kind) (Finding, bool) {
	size, limit := Size(text), 0
	var msg string
	switch k {
	case KindIdentity, KindBoundary:
		limit, msg = MaxManaged, "Cannot exceed quota for PolicySize: 6144"
	case KindTrust:
		limit, msg = MaxTrust, "Cannot exceed quota for ACLSizePerRole: 2048"
	case KindSession:
		// Unverified: STS's text for a session policy that is too long.
		limit, msg = MaxSession, "Policy exceeds the maximum allowed size of 2048 characters."
	case KindSCP:
		// Organizations counts white space too. Unverified text.
		size, limit = utf8.RuneCountInString(text), MaxSCP
		msg = "Policy exceeds the maximum allowed size of 5120 characters."
	default:
		return Finding{}, false
	}
	if size <= limit {
		return Finding{}, false
	}
	return Finding{Code: CodeSize, Pos: Position{Line: 1, Column: 1}, Message: msg,
		Detail: fmt.Sprintf("the document is %d characters, over the limit of %d for a %s policy", size, limit, k)}, true
}
