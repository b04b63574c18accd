// Package iam holds the IAM operations and their business rules, independent of
// HTTP.
//
// It may import internal/authz, internal/managed, internal/store, eval, policy
// and arn.
//
// Console passwords (issue 26: login.go, password.go) are kept only as
// argon2id hashes ([HashPassword], [CheckPassword]); every password set goes
// through the account's password policy ([PolicyAllows], reuse prevention,
// HardExpiry) and is refused with [MsgPasswordPolicy]. Virtual MFA devices
// (mfa.go, totp.go) are TOTP authenticators whose seeds the store seals;
// [VerifyMFA] checks one code of a caller's device, once, for package sts.
package iam
