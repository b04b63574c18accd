package store

// Quota names an IAM quota that the store enforces.
type Quota string

// The quotas the store enforces, named as IAM names them in its messages.
const (
	QuotaPoliciesPerUser         Quota = "PoliciesPerUser"
	QuotaPoliciesPerRole         Quota = "PoliciesPerRole"
	QuotaPoliciesPerGroup        Quota = "PoliciesPerGroup"
	QuotaGroupsPerUser           Quota = "GroupsPerUser"
	QuotaAccessKeysPerUser       Quota = "AccessKeysPerUser"
	QuotaVersionsPerPolicy       Quota = "VersionsPerPolicy"
	QuotaUserPolicySize          Quota = "UserPolicySize"
	QuotaRolePolicySize          Quota = "RolePolicySize"
	QuotaGroupPolicySize         Quota = "GroupPolicySize"
	QuotaTagsPerEntity           Quota = "TagsPerEntity"
	QuotaAccountAliases          Quota = "AccountAliasesPerAccount"
	QuotaRolesPerInstanceProfile Quota = "InstanceSessionsPerInstanceProfile"

	QuotaUsersPerAccount            Quota = "UsersPerAccount"
	QuotaGroupsPerAccount           Quota = "GroupsPerAccount"
	QuotaRolesPerAccount            Quota = "RolesPerAccount"
	QuotaPoliciesPerAccount         Quota = "PoliciesPerAccount"
	QuotaInstanceProfilesPerAccount Quota = "InstanceProfilesPerAccount"
)

// How many of each entity an account may hold: IAM's default quotas (IAM User
// Guide, "IAM and AWS STS quotas"; ../shared/data/amazon-mq-iam-facts.md §5).
// AWS's refusal "Cannot exceed quota for InstanceProfilesPerAccount: 1000" is
// verified (ansible/workshops#1801), RolesPerAccount is named in
// openshift/release#69365; the other three names follow them, unverified.
const (
	MaxUsersPerAccount            = 5000
	MaxGroupsPerAccount           = 300
	MaxRolesPerAccount            = 1000
	MaxPoliciesPerAccount         = 1500
	MaxInstanceProfilesPerAccount = 1000
)

// MaxRolesPerInstanceProfile is IAM's quota of roles in an instance profile.
const MaxRolesPerInstanceProfile = 1

// MaxGroupsPerUser is IAM's quota of groups a user may belong to.
const MaxGroupsPerUser = 10

// MaxAttachQuota is the highest attach quota an account may set.
const MaxAttachQuota = 20

// DefaultAttachQuota is IAM's attach quota for users, groups and roles.
const DefaultAttachQuota = 10

// MaxAccessKeys is IAM's quota of long-term access keys per user (and root).
const MaxAccessKeys = 2

// MaxTags is IAM's quota of tags per user, role, policy or instance profile.
const MaxTags = 50

// MaxPolicyVersions is IAM's quota of versions per customer managed policy.
const MaxPolicyVersions = 5

// Inline policy size quotas: characters without white space, aggregate per
// entity (IAM User Guide, "IAM and AWS STS quotas").
const (
	MaxUserInlineSize  = 2048
	MaxGroupInlineSize = 5120
	MaxRoleInlineSize  = 10240
)
