package iam

import "github.com/iamq/iamq/internal/store"

// The vocabulary of IAM's entities, as the service takes and returns them.
// They are the store's types under IAM's name, so that a wire package speaks
// to this package alone and not to the store beneath it.
type (
	// Tag is a key and value on a user, role, instance profile or policy.
	Tag = store.Tag
	// Kind is a kind of entity: user, group, role, instance profile, ….
	Kind = store.Kind
	// EntityRef names an entity by kind and name.
	EntityRef = store.EntityRef
	// User is an IAM user.
	User = store.User
	// Group is an IAM group.
	Group = store.Group
	// Role is an IAM role.
	Role = store.Role
	// AccessKey is an access key, with its secret only when just created.
	AccessKey = store.AccessKey
	// KeyStatus is Active or Inactive.
	KeyStatus = store.KeyStatus
	// PolicyVersion is a version of a managed policy.
	PolicyVersion = store.PolicyVersion
	// PolicyUsage filters policies by how they are used
	// (PolicyUsageFilter).
	PolicyUsage = store.PolicyUsage
	// LoginProfile is a user's console password (its hash).
	LoginProfile = store.LoginProfile
	// PasswordPolicy is the account's password policy.
	PasswordPolicy = store.PasswordPolicy
	// MFADevice is a virtual MFA device.
	MFADevice = store.MFADevice
)

// The kinds of entity.
const (
	KindUser            = store.KindUser
	KindGroup           = store.KindGroup
	KindRole            = store.KindRole
	KindInstanceProfile = store.KindInstanceProfile
	KindAccount         = store.KindAccount
)

// The errors the service's operations wrap besides its own (errors.go):
// the store's, which a wire package maps to its codes.
var (
	ErrNotFound       = store.ErrNotFound
	ErrAlreadyExists  = store.ErrAlreadyExists
	ErrLimitExceeded  = store.ErrLimitExceeded
	ErrDeleteConflict = store.ErrDeleteConflict
	ErrConflict       = store.ErrConflict
	ErrInvalid        = store.ErrInvalid
)

// PolicyARN is the ARN of account's customer managed policy.
func PolicyARN(account, path, name string) string { return store.PolicyARN(account, path, name) }
