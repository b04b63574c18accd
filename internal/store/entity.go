package store

import (
	"time"

	"github.com/iamq/iamq/arn"
)

// Kind names a kind of thing the store keeps. Changes and entity references
// carry it.
type Kind string

// The kinds of things the store keeps.
const (
	KindAccount         Kind = "account"
	KindUser            Kind = "user"
	KindGroup           Kind = "group"
	KindRole            Kind = "role"
	KindInstanceProfile Kind = "instance-profile"
	KindPolicy          Kind = "policy" // a customer managed policy
	KindAccessKey       Kind = "access-key"
	KindAccountAlias    Kind = "account-alias"
	KindAWSPolicy       Kind = "aws-policy" // a published version of an AWS managed policy; its change names no account
	KindAll             Kind = "all"        // a Reset or DeleteAccount: everything changed
)

// Op says what a change did.
type Op string

// The operations a change records.
const (
	OpCreate Op = "create"
	OpUpdate Op = "update"
	OpDelete Op = "delete"
	// OpPruned is what a [Cursor] reports, with KindAll, for changes it
	// could not read because they were pruned.
	OpPruned Op = "pruned"
)

// Tag is a key-value tag on a user, role, customer managed policy or
// instance profile.
type Tag struct {
	Key   string
	Value string
}

// Account is an AWS account that iamq serves.
type Account struct {
	ID      string // 12 digits
	Name    string // free text, for operators
	Created time.Time
	// AttachedPoliciesPerUser and AttachedPoliciesPerRole are the account's
	// attach quotas: 0 means IAM's default (10); at most 20.
	AttachedPoliciesPerUser int
	AttachedPoliciesPerRole int
}

// User is an IAM user.
type User struct {
	AccountID string
	ID        string // AIDA…, 21 characters
	Name      string
	Path      string
	Created   time.Time
	// PermissionsBoundary is the ARN of the managed policy that bounds the
	// user, or "".
	PermissionsBoundary string
	Tags                []Tag // filled by Get and Create; nil in lists
}

// Group is an IAM group.
type Group struct {
	AccountID string
	ID        string // AGPA…
	Name      string
	Path      string
	Created   time.Time
}

// Role is an IAM role. A service-linked role has ServiceLinked set and a
// path under /aws-service-role/.
type Role struct {
	AccountID string
	ID        string // AROA…
	Name      string
	Path      string
	Created   time.Time
	// AssumeRolePolicy is the trust policy document, as the caller gave it.
	AssumeRolePolicy string
	Description      string
	// MaxSessionDuration is in seconds; 0 means the IAM default, 3600.
	MaxSessionDuration  int
	PermissionsBoundary string // a policy ARN, or ""
	ServiceLinked       bool
	// LastUsed and LastUsedRegion record the role's last use (RoleLastUsed).
	LastUsed       time.Time
	LastUsedRegion string
	Tags           []Tag // filled by Get and Create; nil in lists
}

// InstanceProfile is an IAM instance profile and the names of its roles.
type InstanceProfile struct {
	AccountID string
	ID        string // AIPA…
	Name      string
	Path      string
	Created   time.Time
	Roles     []string // role names; at most one in IAM
	Tags      []Tag    // filled by Get and Create; nil in lists
}

// Policy is a customer managed policy. AWS managed policies are not kept in
// the store (internal/managed holds them); attachments to their ARNs are.
type Policy struct {
	AccountID        string
	ID               string // ANPA…
	Name             string
	Path             string
	Description      string
	DefaultVersionID string // "v1", "v2", …
	Created          time.Time
	Updated          time.Time // when the latest version was created or the default changed
	// AttachmentCount and BoundaryUsageCount are counted when read.
	AttachmentCount    int
	BoundaryUsageCount int
	Tags               []Tag // filled by Get and Create; nil in lists
}

// PolicyARN returns the ARN of account's customer managed policy; path is
// as stored ("/" or "/a/b/").
func PolicyARN(account, path, name string) string {
	return arn.IAMString(account, arn.TypePolicy, path, name)
}

// PolicyVersion is one version of a customer managed policy.
type PolicyVersion struct {
	ID        string // "v1", …
	Document  string
	IsDefault bool
	Created   time.Time
}

// AWSPolicyVersion is a version of an AWS managed policy that the service
// published after the embedded library (internal/managed) was built. Such
// versions are global: every account sees them.
type AWSPolicyVersion struct {
	ARN       string
	ID        string // "v6": numbered after the embedded versions
	Document  string // "" in lists
	IsDefault bool
	Created   time.Time
	// Policy is the metadata (JSON) of a policy the embedded library lacks,
	// stored by the publish that added it (AWSPolicyPublish.NewPolicy);
	// "" for the library's policies.
	Policy string
}

// AWSPolicyPublish is a new version of an AWS managed policy to publish.
type AWSPolicyPublish struct {
	ARN      string
	Document string
	// Embedded is how many versions the policy had before the store's:
	// the new version is numbered after them and after every published one.
	Embedded int
	// SetDefault makes the new version the one in force.
	SetDefault bool
	// Number, when not 0, is the number the new version must get (46 for
	// "v46"): a publisher that checked the update against the version in
	// force says which number follows it, and the store refuses with
	// ErrConflict when another version was published in between.
	Number int
	// History, when set, is the change-history entry of the new version,
	// stored in the same transaction (AppendHistory's bounds; an entry whose
	// ID is stored already is kept). It needs Number, since the entry names
	// the version.
	History *HistoryEntry
	// Created, when not zero, is the version's date (AWS's date of a synced
	// version); zero is the time of the publish.
	Created time.Time
	// NewPolicy, when set, is the metadata (JSON, at most MaxHistoryData
	// bytes) of a policy the embedded library lacks, stored with the
	// version unless the policy's is stored already.
	NewPolicy string
}

// CatalogUpdate is a service catalog file applied to the live catalog
// (package managed), with the versions of job-function policies it
// published. Updates are global and applied in Seq order.
type CatalogUpdate struct {
	// ID identifies the file's content (its SHA-256, hex): applying the
	// same file again stores nothing.
	ID string
	// Seq is the update's place in the order of application (set by the
	// store).
	Seq int64
	// Data is the file as the applier encoded it (at most MaxCatalogData
	// bytes); "" in lists.
	Data []byte
	// Description says what the update added, for operators.
	Description string
	Applied     time.Time
	// Publishes are the versions to publish with the update, in the same
	// transaction (each as PublishAWSPolicyVersion, Number required).
	Publishes []AWSPolicyPublish
}

// MaxCatalogData bounds the bytes of a stored catalog update.
const MaxCatalogData = 32 << 20

// TaskStatus is the status of a service-linked role's deletion task
// (DeletionTaskStatusType).
type TaskStatus string

// The statuses of a deletion task.
const (
	TaskSucceeded  TaskStatus = "SUCCEEDED"
	TaskInProgress TaskStatus = "IN_PROGRESS"
	TaskFailed     TaskStatus = "FAILED"
	TaskNotStarted TaskStatus = "NOT_STARTED"
)

// DeletionTask is the deletion of a service-linked role
// (DeleteServiceLinkedRole), as GetServiceLinkedRoleDeletionStatus reports it.
type DeletionTask struct {
	AccountID string
	// ID is task/aws-service-role/<service principal>/<role name>/<uuid>.
	ID      string
	Status  TaskStatus
	Reason  string      // why it failed
	Usage   []RoleUsage // where the service still uses the role
	Created time.Time
}

// RoleUsage is a region in which a service still uses a service-linked
// role, and the resources that use it (RoleUsageType).
type RoleUsage struct {
	Region    string
	Resources []string
}

// AttachedPolicy is a managed policy attached to a user, group or role. The
// ARN may name an AWS managed policy or a customer managed policy.
type AttachedPolicy struct {
	ARN  string
	Name string // the last segment of the ARN
}

// InlinePolicy is a policy embedded in a user, group or role.
type InlinePolicy struct {
	Name     string
	Document string
	// Size is the size that counts toward the entity's aggregate quota,
	// measured by the caller (package policy): characters without white space.
	Size int
}

// EntityRef names a user, group or role within an account.
type EntityRef struct {
	Kind Kind // KindUser, KindGroup or KindRole
	Name string
}

// KeyStatus is an access key's status.
type KeyStatus string

// The statuses of an access key.
const (
	KeyActive   KeyStatus = "Active"
	KeyInactive KeyStatus = "Inactive"
)

// AccessKey is an access key: the root's or a user's long-term AKIA key, or a
// temporary ASIA key with a session token and an expiry.
type AccessKey struct {
	AccountID string
	ID        string // AKIA… or ASIA…, 20 characters
	// Secret is the secret access key, in clear text only in memory; the store
	// keeps it encrypted (AES-256-GCM). List results leave it empty.
	Secret  string
	Status  KeyStatus
	Created time.Time
	// Owner: Kind is KindAccount (the root), KindUser (Name is the user) or
	// KindRole (a role session's temporary key; Name is the role).
	Owner EntityRef
	// OwnerID is the user's or role's id; "" for the root.
	OwnerID string
	// Expires is set for temporary keys only.
	Expires time.Time
	// SessionToken is a temporary key's token, encrypted like Secret.
	SessionToken string
	// Session is opaque data of the session (JSON owned by internal/sts:
	// session name, policies, tags); encrypted like Secret.
	Session []byte
	// LastUsed, LastUsedService and LastUsedRegion are GetAccessKeyLastUsed.
	LastUsed        time.Time
	LastUsedService string
	LastUsedRegion  string
}

// Temporary reports whether k is a temporary (ASIA) key.
func (k AccessKey) Temporary() bool { return !k.Expires.IsZero() }

// KeyUse is one use of an access key, recorded in batches by the caller.
type KeyUse struct {
	AccessKeyID string
	Time        time.Time
	Service     string
	Region      string
}

// Change is one committed change, numbered in commit order.
type Change struct {
	Seq       int64
	Time      time.Time
	AccountID string // "" for a Reset
	Kind      Kind
	Op        Op
	Name      string // the entity's name (an access key's id, a policy's name)
}

// Summary holds an account's live counts for GetAccountSummary.
type Summary struct {
	Users, Groups, Roles, InstanceProfiles, Policies int
	PolicyVersionsInUse                              int
	AttachedPolicies                                 int // attachments to users, groups and roles
	AccessKeysPresent                                int // the root's long-term keys
	AccountAliases                                   int
	MFADevices                                       int // virtual MFA devices, assigned or not
	MFADevicesInUse                                  int // assigned to a user or the root
	RootMFA                                          int // devices assigned to the root (AccountMFAEnabled)
	ServerCertificates                               int
	SigningCertificatesPresent                       int // the root's
}
