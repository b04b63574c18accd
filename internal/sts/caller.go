package sts

import "github.com/iamq/iamq/internal/authz"

// CallerIdentity is GetCallerIdentity's result.
type CallerIdentity struct {
	Account string
	ARN     string
	UserID  string
}

// GetCallerIdentity returns who the caller is. It needs no permission and
// cannot be denied, as in AWS.
func GetCallerIdentity(c authz.Principal) CallerIdentity {
	return CallerIdentity{Account: c.Account, ARN: c.ARN, UserID: c.UserID}
}
