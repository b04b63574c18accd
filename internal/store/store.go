package store

import (
	"context"
	"log/slog"
	"time"
)

// Store is iamq's persistence. Every method takes a context first and is
// safe for concurrent use. Work within one account goes through View and
// Update, so that the IAM layer can check and write atomically; a few global
// operations (accounts, access key lookup, the change sequence) stand alone.
type Store interface {
	// View runs fn in a read-only transaction on account. It returns
	// ErrNotFound when the account does not exist.
	View(ctx context.Context, account string, fn func(Tx) error) error
	// Update runs fn in a read-write transaction on account and commits it
	// when fn returns nil; writers to one account are serialized, so quota
	// checks are atomic. Every change fn makes is recorded in the change
	// sequence at commit. It returns ErrNotFound when the account does not
	// exist, and fn's error unchanged. fn must not call the Store's
	// transactions itself (SQLite has one writer connection: it would wait
	// for itself). fn runs once: the store never retries it.
	Update(ctx context.Context, account string, fn func(Tx) error) error

	// CreateAccount creates an account (ErrAlreadyExists when the id is taken).
	CreateAccount(ctx context.Context, a Account) (Account, error)
	// Account returns an account.
	Account(ctx context.Context, id string) (Account, error)
	// Accounts lists every account by id.
	Accounts(ctx context.Context) ([]Account, error)
	// UpdateAccount replaces an account's name and quota settings.
	UpdateAccount(ctx context.Context, a Account) (Account, error)
	// DeleteAccount deletes an account and everything in it.
	DeleteAccount(ctx context.Context, id string) error
	// Reset deletes every account and everything in them, and the decision
	// log (dev mode's reset).
	// The change sequence goes on counting.
	Reset(ctx context.Context) error

	// AccessKey looks up an access key in any account by its id, with its
	// secret (and session token) decrypted, for request verification.
	// Expired temporary keys are still returned: the caller says ExpiredToken.
	AccessKey(ctx context.Context, id string) (AccessKey, error)
	// RecordKeyUse records uses of access keys (GetAccessKeyLastUsed) in one
	// write. It records no change: it is not a change of configuration.
	RecordKeyUse(ctx context.Context, uses []KeyUse) error
	// DeleteExpiredKeys deletes temporary keys that expired before t.
	DeleteExpiredKeys(ctx context.Context, t time.Time) (int, error)

	// PublishAWSPolicyVersion stores a new version of an AWS managed policy,
	// numbered after p.Embedded and after every version published before,
	// and makes it the default when p.SetDefault. Publishers are serialized.
	// The change it records names no account (AccountID ""), so that every
	// node forgets every compiled policy set.
	PublishAWSPolicyVersion(ctx context.Context, p AWSPolicyPublish) (AWSPolicyVersion, error)
	// AWSPolicyVersions lists every published version of every AWS managed
	// policy, by ARN then number, without documents.
	AWSPolicyVersions(ctx context.Context) ([]AWSPolicyVersion, error)
	// AWSPolicyVersion returns one published version ("v6") with its
	// document (ErrNotFound when it was not published).
	AWSPolicyVersion(ctx context.Context, arn, versionID string) (AWSPolicyVersion, error)
	// ApplyCatalog stores a catalog update and publishes its versions, all in
	// one transaction, and returns them; applied is false, and nothing is
	// written, when an update with u.ID is stored already. Its change names
	// no account, as a publish's does.
	ApplyCatalog(ctx context.Context, u CatalogUpdate) (applied bool, versions []AWSPolicyVersion, err error)
	// PublishAWSPolicyVersions stores several publishes (each as
	// PublishAWSPolicyVersion, Number required) in one transaction: all of
	// them, or, on any error, none (a sync of AWS's snapshot).
	PublishAWSPolicyVersions(ctx context.Context, ps []AWSPolicyPublish) ([]AWSPolicyVersion, error)
	// CatalogUpdates lists the catalog updates in the order they were
	// applied, with their Data when withData.
	CatalogUpdates(ctx context.Context, withData bool) ([]CatalogUpdate, error)

	// AppendHistory stores the history entries whose ID is not stored yet
	// (in one transaction; an ID already stored keeps its first entry) and
	// returns how many it stored. An entry out of the History bounds is
	// ErrInvalid and nothing is stored. It records no change: the history
	// is read from the store on every request, never cached.
	AppendHistory(ctx context.Context, entries []HistoryEntry) (int, error)
	// History lists the history entries q selects, by Key, greatest first.
	History(ctx context.Context, q HistoryQuery) (Page[HistoryEntry], error)
	// HistoryEntry returns one entry by ID, with its Diff (ErrNotFound).
	HistoryEntry(ctx context.Context, id string) (HistoryEntry, error)

	// PutDeletionTask creates or replaces a service-linked role's deletion
	// task (by account and id). It records no change: a task is a record of
	// work, not configuration.
	PutDeletionTask(ctx context.Context, t DeletionTask) error
	// DeletionTask returns one of account's deletion tasks (ErrNotFound).
	DeletionTask(ctx context.Context, account, id string) (DeletionTask, error)

	// Changes returns up to limit changes with Seq > after, oldest first.
	Changes(ctx context.Context, after int64, limit int) ([]Change, error)
	// LastSeq returns the number of the latest change, 0 when none.
	LastSeq(ctx context.Context) (int64, error)
	// PruneChanges deletes the changes recorded before t, except the latest,
	// and returns how many it deleted. Changes are numbered without gaps, so
	// a [Cursor] that had not read them sees the gap and tells its reader
	// that everything changed.
	PruneChanges(ctx context.Context, t time.Time) (int, error)
	// Subscribe returns a channel that receives the latest change number
	// whenever changes are committed, by this process or (on PostgreSQL)
	// any other; values may be coalesced. It is closed when ctx ends.
	Subscribe(ctx context.Context) <-chan int64

	// AppendAudit adds records to the decision log in one write. It records
	// no change: the log is not configuration.
	AppendAudit(ctx context.Context, records []AuditRecord) error
	// AuditRecords returns the decision log's records that q selects, oldest
	// first.
	AuditRecords(ctx context.Context, q AuditQuery) ([]AuditRecord, error)
	// AuditAccesses sums up, per entity and action, the calls of account's
	// entities (ARNs; none: every entity) that were authorized (allowed or
	// denied), for the actions last called at or after since. A sum counts
	// the calls since it was made: PruneAudit drops the sums of actions last
	// called before its time, and does not subtract from the others.
	AuditAccesses(ctx context.Context, account string, entities []string, since time.Time) ([]AuditAccess, error)
	// PruneAudit deletes the records made before t (the log's retention) and
	// returns how many it deleted.
	PruneAudit(ctx context.Context, t time.Time) (int, error)

	// PutPolicyGeneration creates (create) or replaces a policy generation
	// job. Creating fails with ErrAlreadyExists when the account has a job
	// with the id or (when not "") the client token, and deletes the
	// account's oldest jobs past MaxPolicyGenerations; replacing a job
	// that is not there fails with ErrNotFound. It records no change.
	PutPolicyGeneration(ctx context.Context, g PolicyGeneration, create bool) error
	// PolicyGeneration returns the account's job with the id (ErrNotFound),
	// or, with id "" and a client token, the job made with that token.
	PolicyGeneration(ctx context.Context, account, id, clientToken string) (PolicyGeneration, error)
	// PolicyGenerations lists the account's jobs, of one principal unless
	// it is "", newest first.
	PolicyGenerations(ctx context.Context, account, principal string) ([]PolicyGeneration, error)

	// Close releases the store.
	Close() error
}

// Tx is a transaction on one account. Names of users, groups, roles,
// instance profiles and policies are unique per account and compared
// case-insensitively. Methods that write return ErrInvalid in a View. When
// a method fails, return its error from the Update function: the
// transaction is then rolled back, and a rejected request changes nothing.
// A Tx is for one goroutine.
type Tx interface {
	// Account returns the account the transaction is on.
	Account() Account
	// SetAccountQuotas sets the account's attach quotas (0 = default 10, ≤ 20).
	SetAccountQuotas(perUser, perRole int) error
	// Summary counts the account's entities for GetAccountSummary.
	Summary() (Summary, error)

	// CreateUser creates a user; an empty Path is "/", an empty ID is
	// generated (AIDA…), and Tags are stored with it.
	CreateUser(u User) (User, error)
	// User returns a user by name, with its tags.
	User(name string) (User, error)
	// UserByID returns a user by its AIDA… id, with its tags.
	UserByID(id string) (User, error)
	// Users lists users by name.
	Users(o ListOptions) (Page[User], error)
	// UpdateUser renames or moves the user named name and sets its
	// boundary; u carries the new Name, Path and PermissionsBoundary.
	UpdateUser(name string, u User) (User, error)
	// DeleteUser deletes a user that has no policies, groups or access keys
	// left (a *DeleteConflictError otherwise).
	DeleteUser(name string) error

	// CreateGroup creates a group (AGPA… id).
	CreateGroup(g Group) (Group, error)
	// Group returns a group by name.
	Group(name string) (Group, error)
	// Groups lists groups by name.
	Groups(o ListOptions) (Page[Group], error)
	// UpdateGroup renames or moves a group; g carries the new Name and Path.
	UpdateGroup(name string, g Group) (Group, error)
	// DeleteGroup deletes a group that has no policies or members left.
	DeleteGroup(name string) error
	// AddUserToGroup adds a member (10 groups per user); adding a member
	// again does nothing.
	AddUserToGroup(group, user string) error
	// RemoveUserFromGroup removes a member (ErrNotFound when it is not one).
	RemoveUserFromGroup(group, user string) error
	// GroupMembers lists a group's users by name.
	GroupMembers(group string, o ListOptions) (Page[User], error)
	// GroupsForUser lists a user's groups by name.
	GroupsForUser(user string, o ListOptions) (Page[Group], error)

	// CreateRole creates a role (AROA… id), with its tags.
	CreateRole(r Role) (Role, error)
	// Role returns a role by name, with its tags.
	Role(name string) (Role, error)
	// RoleByID returns a role by its AROA… id, with its tags.
	RoleByID(id string) (Role, error)
	// Roles lists roles by name.
	Roles(o ListOptions) (Page[Role], error)
	// UpdateRole replaces a role's AssumeRolePolicy, Description,
	// MaxSessionDuration, PermissionsBoundary and last use; names and paths
	// of roles never change.
	UpdateRole(name string, r Role) (Role, error)
	// DeleteRole deletes a role that has no policies or instance profiles
	// left.
	DeleteRole(name string) error

	// CreateInstanceProfile creates an instance profile (AIPA… id).
	CreateInstanceProfile(p InstanceProfile) (InstanceProfile, error)
	// InstanceProfile returns a profile with its roles and tags.
	InstanceProfile(name string) (InstanceProfile, error)
	// InstanceProfiles lists profiles by name, with their roles.
	InstanceProfiles(o ListOptions) (Page[InstanceProfile], error)
	// DeleteInstanceProfile deletes a profile that holds no role.
	DeleteInstanceProfile(name string) error
	// AddRoleToInstanceProfile adds a role (one role per profile).
	AddRoleToInstanceProfile(profile, role string) error
	// RemoveRoleFromInstanceProfile removes a profile's role.
	RemoveRoleFromInstanceProfile(profile, role string) error
	// InstanceProfilesForRole lists the profiles that hold a role.
	InstanceProfilesForRole(role string, o ListOptions) (Page[InstanceProfile], error)

	// CreatePolicy creates a customer managed policy with document as its
	// default version v1.
	CreatePolicy(p Policy, document string) (Policy, error)
	// Policy returns a customer managed policy by name, with its live
	// counts and tags. The caller checks that the ARN's path matches.
	Policy(name string) (Policy, error)
	// Policies lists customer managed policies by name, with live counts.
	Policies(o PolicyListOptions) (Page[Policy], error)
	// DeletePolicy deletes a policy that is not attached, not used as a
	// boundary and has only its default version.
	DeletePolicy(name string) error
	// CreatePolicyVersion adds a version (5 per policy) and makes it the
	// default when setDefault.
	CreatePolicyVersion(policy, document string, setDefault bool) (PolicyVersion, error)
	// PolicyVersion returns one version ("v3") of a policy.
	PolicyVersion(policy, versionID string) (PolicyVersion, error)
	// PolicyVersions lists a policy's versions, newest first (as IAM does).
	PolicyVersions(policy string) ([]PolicyVersion, error)
	// DeletePolicyVersion deletes a version that is not the default.
	DeletePolicyVersion(policy, versionID string) error
	// SetDefaultPolicyVersion makes an existing version the default.
	SetDefaultPolicyVersion(policy, versionID string) error

	// AttachPolicy attaches a managed policy by ARN; attaching it again does
	// nothing. Quotas: the account's per user and per role (default 10), 10
	// per group. The caller checks that the ARN names a policy that exists.
	AttachPolicy(to EntityRef, arn string) error
	// DetachPolicy detaches a managed policy (ErrNotFound when not attached).
	DetachPolicy(from EntityRef, arn string) error
	// AttachedPolicies lists an entity's managed policies by policy name;
	// PathPrefix filters on the policy's path.
	AttachedPolicies(of EntityRef, o ListOptions) (Page[AttachedPolicy], error)
	// EntitiesForPolicy lists the users, groups and roles a policy is
	// attached to, by kind then name; kind "" means all three.
	EntitiesForPolicy(arn string, kind Kind, o ListOptions) (Page[EntityRef], error)
	// EntitiesWithBoundary lists the users and roles whose permissions
	// boundary is arn, by kind then name (ListEntitiesForPolicy with
	// PolicyUsageFilter=PermissionsBoundary).
	EntitiesWithBoundary(arn string, o ListOptions) (Page[EntityRef], error)
	// AttachmentCounts returns, for every policy ARN attached to something
	// in the account, how many users, groups and roles hold it.
	AttachmentCounts() (map[string]int, error)

	// PutInlinePolicy creates or replaces an inline policy, within the
	// aggregate size quota of the entity's kind.
	PutInlinePolicy(of EntityRef, p InlinePolicy) error
	// InlinePolicy returns one inline policy (names compared
	// case-insensitively).
	InlinePolicy(of EntityRef, name string) (InlinePolicy, error)
	// InlinePolicies lists an entity's inline policies by name.
	InlinePolicies(of EntityRef, o ListOptions) (Page[InlinePolicy], error)
	// DeleteInlinePolicy deletes an inline policy.
	DeleteInlinePolicy(of EntityRef, name string) error

	// CreateAccessKey creates an access key. Owner and, for a temporary
	// key, Expires and SessionToken come from k; an empty ID and Secret are
	// generated. Long-term keys count toward 2 per user (and per root).
	CreateAccessKey(k AccessKey) (AccessKey, error)
	// AccessKeys lists an owner's long-term keys (Secret left empty).
	AccessKeys(owner EntityRef) ([]AccessKey, error)
	// UpdateAccessKey sets a key's status (Active or Inactive).
	UpdateAccessKey(id string, status KeyStatus) error
	// DeleteAccessKey deletes one of the account's keys.
	DeleteAccessKey(id string) error

	// Tags returns the tags of a user, role, policy, instance profile or
	// server certificate, by key.
	Tags(of EntityRef) ([]Tag, error)
	// TagEntity adds or replaces tags (50 per entity).
	TagEntity(of EntityRef, tags []Tag) error
	// UntagEntity removes tags by key; absent keys are ignored.
	UntagEntity(of EntityRef, keys []string) error

	// CreateAccountAlias sets the account's alias (one per account, unique
	// across accounts).
	CreateAccountAlias(alias string) error
	// AccountAliases lists the account's alias (zero or one).
	AccountAliases() ([]string, error)
	// DeleteAccountAlias removes the account's alias.
	DeleteAccountAlias(alias string) error

	// AccountSetting returns the value of one of the account's settings
	// (ErrNotFound when it was never set). Settings are small named values
	// of the account as a whole: its STS preferences and its credential
	// report (package iam names them).
	AccountSetting(name string) (string, error)
	// PutAccountSetting sets one of the account's settings.
	PutAccountSetting(name, value string) error
	// DeleteAccountSetting removes a setting (ErrNotFound when it is not set).
	DeleteAccountSetting(name string) error

	// PutMQRecord creates (create) or replaces an Amazon MQ record. Creating
	// fails with ErrAlreadyExists when a live record has the same key, or
	// the same non-empty Name among its kind in the region; replacing fails
	// with ErrNotFound when no live record has the key. Expired records in
	// the way are deleted first. Amazon MQ records are not IAM
	// configuration: they record no change, so that no cache is dropped.
	PutMQRecord(r MQRecord, create bool, now time.Time) error
	// MQRecord returns the live record with the key (ErrNotFound).
	MQRecord(kind MQKind, region, parent, id string, now time.Time) (MQRecord, error)
	// MQRecords lists live records by region then ID.
	MQRecords(o MQListOptions) (Page[MQRecord], error)
	// DeleteMQRecord deletes a record and the records whose Parent it is
	// (ErrNotFound when there is none, live or expired).
	DeleteMQRecord(kind MQKind, region, parent, id string) error
	// CreateProvider creates an identity provider (ErrAlreadyExists for a
	// name taken, ErrLimitExceeded past MaxProviders of its kind).
	CreateProvider(p Provider) (Provider, error)
	// Provider returns an identity provider by kind and name.
	Provider(kind ProviderKind, name string) (Provider, error)
	// Providers lists the account's providers of kind by name.
	Providers(kind ProviderKind) ([]Provider, error)
	// UpdateProvider replaces an existing provider's client ids,
	// thumbprints, metadata and tags (ErrNotFound when it does not exist).
	UpdateProvider(p Provider) (Provider, error)
	// DeleteProvider deletes an identity provider.
	DeleteProvider(kind ProviderKind, name string) error

	// CreateCredential stores a user's SSH key, signing certificate or
	// service-specific credential (the root's signing certificate when
	// Owner.Kind is KindAccount). An empty ID is generated, an empty Status
	// is Active, Secret is stored encrypted. Quotas: 5 SSH keys and 2
	// signing certificates per owner, 2 service-specific credentials per
	// user and Service (*LimitError). The same Fingerprint twice is
	// ErrAlreadyExists: per user for SSH keys, per account for signing
	// certificates.
	CreateCredential(c Credential) (Credential, error)
	// Credentials lists credentials of kind, oldest first, without secrets:
	// owner's, or every user's when owner.Kind is "". service, when not "",
	// keeps only that service's.
	Credentials(kind CredentialKind, owner EntityRef, service string) ([]Credential, error)
	// Credential returns one of the account's credentials of kind by id,
	// without its secret (ErrNotFound).
	Credential(kind CredentialKind, id string) (Credential, error)
	// UpdateCredential sets a credential's status (Active or Inactive).
	UpdateCredential(kind CredentialKind, id string, status KeyStatus) error
	// ResetCredential replaces a credential's secret with secret.
	ResetCredential(kind CredentialKind, id, secret string) error
	// DeleteCredential deletes one of the account's credentials.
	DeleteCredential(kind CredentialKind, id string) error

	// CreateServerCertificate stores a server certificate (ASCA… id; 20 per
	// account; names unique case-insensitively), its private key encrypted,
	// with its tags.
	CreateServerCertificate(c ServerCertificate) (ServerCertificate, error)
	// ServerCertificate returns a server certificate by name, with its tags
	// and without its private key.
	ServerCertificate(name string) (ServerCertificate, error)
	// ServerCertificates lists server certificates by name, without bodies.
	ServerCertificates(o ListOptions) (Page[ServerCertificate], error)
	// UpdateServerCertificate renames or moves a server certificate; c
	// carries the new Name and Path.
	UpdateServerCertificate(name string, c ServerCertificate) error
	// DeleteServerCertificate deletes a server certificate and its tags.
	DeleteServerCertificate(name string) error

	// PutLoginProfile creates (create) or replaces a user's login profile:
	// ErrAlreadyExists when creating over one, ErrNotFound when replacing
	// none. User names the user.
	PutLoginProfile(p LoginProfile, create bool) (LoginProfile, error)
	// LoginProfile returns a user's login profile (ErrNotFound).
	LoginProfile(user string) (LoginProfile, error)
	// DeleteLoginProfile deletes a user's login profile (ErrNotFound).
	DeleteLoginProfile(user string) error
	// PasswordPolicy returns the account's password policy (ErrNotFound
	// when it has none).
	PasswordPolicy() (PasswordPolicy, error)
	// PutPasswordPolicy sets the account's password policy.
	PutPasswordPolicy(p PasswordPolicy) error
	// DeletePasswordPolicy removes the account's password policy
	// (ErrNotFound when it has none).
	DeletePasswordPolicy() error

	// CreateMFADevice creates an unassigned virtual MFA device with d.Seed
	// (ErrAlreadyExists when the serial number is taken).
	CreateMFADevice(d MFADevice) (MFADevice, error)
	// MFADevice returns a device by serial number, with its seed and tags.
	MFADevice(serial string) (MFADevice, error)
	// MFADevices lists the devices assigned to owner (a user or the root),
	// by serial number, without seeds.
	MFADevices(owner EntityRef) ([]MFADevice, error)
	// AllMFADevices lists the account's devices by serial number, without
	// seeds (ListVirtualMFADevices).
	AllMFADevices() ([]MFADevice, error)
	// AssignMFADevice assigns an unassigned device to owner, enabled at t,
	// with the last accepted step (ErrConflict when it is assigned).
	AssignMFADevice(serial string, owner EntityRef, t time.Time, step int64) error
	// UnassignMFADevice removes a device's assignment.
	UnassignMFADevice(serial string) error
	// SetMFAStep records the time step of the last code a device accepted.
	SetMFAStep(serial string, step int64) error
	// DeleteMFADevice deletes an unassigned device (a *DeleteConflictError
	// while it is assigned).
	DeleteMFADevice(serial string) error
	// TagMFADevice adds or replaces a device's tags (50 at most).
	TagMFADevice(serial string, tags []Tag) error
	// UntagMFADevice removes a device's tags by key.
	UntagMFADevice(serial string, keys []string) error
}

// ListOptions selects a page of a list. Lists are ordered by name
// (case-insensitively); the marker is opaque and resumes after the last item
// returned, so that every item that exists during the whole listing appears
// exactly once, whatever else is inserted or deleted meanwhile.
type ListOptions struct {
	PathPrefix string // only items whose path starts with it ("" = all)
	Marker     string // from the previous Page; "" = from the start
	MaxItems   int    // 0 = 100; at most 1000
}

// DefaultMaxItems and MaxMaxItems bound a page (IAM's MaxItems).
const (
	DefaultMaxItems = 100
	MaxMaxItems     = 1000
)

// PolicyUsage filters ListPolicies (PolicyUsageFilter, OnlyAttached).
type PolicyUsage string

// The filters of ListPolicies.
const (
	UsageAny      PolicyUsage = ""
	UsageAttached PolicyUsage = "PermissionsPolicy"   // attached to a user, group or role (OnlyAttached)
	UsageBoundary PolicyUsage = "PermissionsBoundary" // some user's or role's boundary
)

// PolicyListOptions selects a page of customer managed policies.
type PolicyListOptions struct {
	ListOptions
	Usage PolicyUsage
}

// Page is one page of a list. Marker is "" on the last page.
type Page[T any] struct {
	Items  []T
	Marker string
}

// Truncated reports whether more items follow (IsTruncated).
func (p Page[T]) Truncated() bool { return p.Marker != "" }

// KeySize is the size of the secret-encryption key: AES-256.
const KeySize = 32

// Options configure a backend. The zero value is the default, except that a
// key (Key or KeyFile) is required to store secrets.
type Options struct {
	// Key is the 32-byte AES-256 key that encrypts secrets. When nil, the key
	// is read from KeyFile, which is created (mode 0600) when missing.
	Key     []byte
	KeyFile string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives operational logs (never secrets); nil discards them.
	Logger *slog.Logger
}
