package eval

import (
	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/policy"
)

// grant is how a resource-based policy's Allow names the principal, which
// decides what else must allow (IAM User Guide: "Policy evaluation logic",
// section "Resource-based policies" of "How AWS enforcement code logic
// evaluates requests to allow or deny access").
type grant uint8

const (
	grantNone grant = iota
	// grantAccount names the principal's account (an account id or
	// arn:aws:iam::ACCOUNT:root): the account's identity policies must allow.
	grantAccount
	// grantIdentity names the IAM identity behind a session: the role of a
	// role session, the IAM user of a federated user session. Permissions
	// boundaries and session policies still limit it.
	grantIdentity
	// grantDirect names the principal itself (or "*"): within an account,
	// it allows even when identity policies, boundary and session policies
	// do not.
	grantDirect
)

// principals is a compiled Principal or NotPrincipal element. IAM User Guide:
// "AWS JSON policy elements: Principal" and "…: NotPrincipal".
type principals struct {
	any       bool
	accounts  []string // account ids named by id or root ARN
	arns      []string
	services  []string
	federated []string
}

func compilePrincipals(p *policy.Principal) *principals {
	if p == nil {
		return nil
	}
	c := &principals{any: p.Wildcard, services: p.Service, federated: p.Federated}
	for _, a := range p.AWS {
		switch {
		case a == "*":
			c.any = true
		case arn.IsAccountID(a):
			c.accounts = append(c.accounts, a)
		default:
			if acct, ok := rootAccount(a); ok {
				c.accounts = append(c.accounts, acct)
			} else {
				c.arns = append(c.arns, a)
			}
		}
	}
	return c
}

// rootAccount returns ACCOUNT of arn:PARTITION:iam::ACCOUNT:root.
func rootAccount(a string) (string, bool) {
	r, ok := arn.Split(a)
	if !ok || r.Service != arn.ServiceIAM || r.Region != "" || r.Resource != arn.TypeRoot || !arn.IsAccountID(r.Account) {
		return "", false
	}
	return r.Account, true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if equalFoldASCII(x, s) {
			return true
		}
	}
	return false
}

// match returns how the element names principal p, or grantNone.
func (c *principals) match(p *Principal) grant {
	if c.any {
		return grantDirect
	}
	switch p.Kind {
	case PrincipalService:
		if containsFold(c.services, p.ARN) {
			return grantDirect
		}
		return grantNone
	case PrincipalWebIdentity:
		if contains(c.federated, p.ARN) {
			return grantDirect
		}
		return grantNone
	case PrincipalRoot:
		// The root user is its account: arn:aws:iam::ACCOUNT:root and the
		// bare account id both name it.
		if p.Account != "" && contains(c.accounts, p.Account) {
			return grantDirect
		}
		return grantNone
	}
	switch {
	case p.ARN != "" && contains(c.arns, p.ARN):
		return grantDirect
	case p.IdentityARN != "" && contains(c.arns, p.IdentityARN):
		return grantIdentity
	case p.Account != "" && contains(c.accounts, p.Account):
		return grantAccount
	}
	return grantNone
}

// excludes reports whether a NotPrincipal element leaves p out: only when it
// lists every identity p acts as — the session, the role or user behind it,
// and the account. AWS evaluates each of them, so a NotPrincipal with Deny
// that omits the account denies the principal after all (IAM User Guide:
// "AWS JSON policy elements: NotPrincipal").
func (c *principals) excludes(p *Principal) bool {
	if c.any {
		return true
	}
	switch p.Kind {
	case PrincipalService:
		return containsFold(c.services, p.ARN)
	case PrincipalWebIdentity:
		return contains(c.federated, p.ARN)
	case PrincipalRoot:
		return p.Account == "" || contains(c.accounts, p.Account)
	}
	switch {
	case p.ARN != "" && !contains(c.arns, p.ARN),
		p.IdentityARN != "" && !contains(c.arns, p.IdentityARN),
		p.Account != "" && !contains(c.accounts, p.Account):
		return false
	}
	return true
}
