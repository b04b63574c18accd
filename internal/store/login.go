package store

import "time"

// KindLoginProfile, KindPasswordPolicy and KindMFADevice name the changes of
// console passwords, the account's password policy and MFA devices.
const (
	KindLoginProfile   Kind = "login-profile"
	KindPasswordPolicy Kind = "password-policy"
	KindMFADevice      Kind = "mfa-device"
)

// MaxPasswordHistory is how many earlier password hashes a login profile
// keeps: IAM's PasswordReusePrevention is at most 24.
const MaxPasswordHistory = 24

// LoginProfile is a user's console password. Hash is a slow salted hash
// (package iam makes and checks it): the store never sees the password.
type LoginProfile struct {
	User                string // the user's name, as stored
	Hash                string
	History             []string // earlier hashes, newest first, at most MaxPasswordHistory
	Created             time.Time
	PasswordLastChanged time.Time // password_last_changed: when Hash was set
	ResetRequired       bool
}

// PasswordPolicy is the account's password policy (IAM's PasswordPolicy
// shape). The zero value is no policy's settings.
type PasswordPolicy struct {
	MinimumPasswordLength      int
	RequireSymbols             bool
	RequireNumbers             bool
	RequireUppercaseCharacters bool
	RequireLowercaseCharacters bool
	AllowUsersToChangePassword bool
	MaxPasswordAge             int // days; 0: passwords do not expire
	PasswordReusePrevention    int // 0: reuse allowed
	HardExpiry                 bool
}

// MFADevice is a virtual MFA device. Owner is the user (KindUser) or the
// root (KindAccount) it is assigned to; an unassigned device has Owner.Kind
// "".
type MFADevice struct {
	ID           string // internal, for tags
	SerialNumber string // arn:aws:iam::ACCOUNT:mfa/PATH+NAME
	Name, Path   string
	Owner        EntityRef
	// Seed is the TOTP secret; the store keeps it encrypted. It is filled by
	// MFADevice and CreateMFADevice only.
	Seed     []byte
	Created  time.Time
	Enabled  time.Time // when it was assigned; zero when it is not
	LastStep int64     // the TOTP time step of the last code accepted
	Tags     []Tag     // filled by MFADevice
}
