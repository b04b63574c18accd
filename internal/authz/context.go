package authz

import (
	"net/netip"
	"time"

	"github.com/iamq/iamq/eval"
)

// RequestInfo is what the request itself says about its context, as the
// endpoint sees it.
type RequestInfo struct {
	SourceIP netip.Addr // aws:SourceIp; the zero Addr leaves the key out
	Time     time.Time  // aws:CurrentTime and aws:EpochTime
	Secure   bool       // aws:SecureTransport: the request came over TLS
	Region   string     // aws:RequestedRegion: the signing region
	// MFAAuth is when the request itself was authenticated with an MFA
	// code (AssumeRole's TokenCode, checked): zero when it was not.
	MFAAuth time.Time
}

// fill adds the request's global condition keys to c (IAM User Guide: "AWS
// global condition context keys"). The principal's own keys (aws:username,
// aws:userid, aws:PrincipalArn, aws:PrincipalTag/…) are derived by eval from
// the request's principal.
func (ri *RequestInfo) fill(c *eval.Context, p *Principal) {
	if ri.SourceIP.IsValid() {
		c.Add("aws:SourceIp", eval.IP(ri.SourceIP))
	}
	if !ri.Time.IsZero() {
		c.Add("aws:CurrentTime", eval.Time(ri.Time))
		c.Add("aws:EpochTime", eval.Number(float64(ri.Time.Unix())))
	}
	c.Add("aws:SecureTransport", eval.Bool(ri.Secure))
	if ri.Region != "" {
		c.Add("aws:RequestedRegion", eval.String(ri.Region))
	}
	c.Add("aws:ViaAWSService", eval.Bool(false))
	// Temporary credentials carry aws:MultiFactorAuthPresent and
	// aws:TokenIssueTime; long-term access keys carry neither, so that
	// "BoolIfExists false" patterns behave as in AWS (IAM User Guide, "AWS
	// global condition context keys": aws:MultiFactorAuthPresent,
	// aws:MultiFactorAuthAge). A request that is itself authenticated with
	// MFA (AssumeRole with a TokenCode) carries both, age 0.
	mfa := ri.MFAAuth
	if mfa.IsZero() && p.temporary() && p.Session.MFA {
		mfa = p.Session.Issued
	}
	if !mfa.IsZero() {
		c.Add("aws:MultiFactorAuthPresent", eval.Bool(true))
		c.Add("aws:MultiFactorAuthAge", eval.Number(max(0, float64(ri.Time.Unix()-mfa.Unix()))))
	}
	if p.temporary() {
		if mfa.IsZero() {
			c.Add("aws:MultiFactorAuthPresent", eval.Bool(false))
		}
		if !p.Session.Issued.IsZero() {
			c.Add("aws:TokenIssueTime", eval.Time(p.Session.Issued))
		}
		if p.Session.FederatedProvider != "" {
			c.Add("aws:FederatedProvider", eval.String(p.Session.FederatedProvider))
		}
	}
}
