package eval

import "net/netip"

// matchIP is IpAddress (NotIpAddress is its negation): the request's address,
// an IP value or a String, lies in the policy's IPv4 or IPv6 CIDR block. IAM
// User Guide: "IAM JSON policy elements: Condition operators", section "IP
// address condition operators".
func matchIP(pv *condValue, v *Value) bool {
	var a netip.Addr
	switch v.kind {
	case kindIP:
		a = v.ip
	case kindString:
		var err error
		if a, err = netip.ParseAddr(v.s); err != nil {
			return false
		}
	default:
		return false
	}
	return pv.prefix.Contains(a.Unmap())
}
