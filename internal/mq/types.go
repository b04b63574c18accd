package mq

import "time"

// EngineType is a broker engine (the model's EngineType).
type EngineType string

// The engines.
const (
	ActiveMQ EngineType = "ACTIVEMQ"
	RabbitMQ EngineType = "RABBITMQ"
)

// DeploymentMode is how a broker's instances are laid out.
type DeploymentMode string

// The deployment modes.
const (
	SingleInstance       DeploymentMode = "SINGLE_INSTANCE"
	ActiveStandbyMultiAZ DeploymentMode = "ACTIVE_STANDBY_MULTI_AZ"
	ClusterMultiAZ       DeploymentMode = "CLUSTER_MULTI_AZ"
)

// StorageType is a broker's storage (BrokerStorageType).
type StorageType string

// The storage types. EFS is not supported for RabbitMQ (the model).
const (
	StorageEBS StorageType = "EBS"
	StorageEFS StorageType = "EFS"
)

// AuthenticationStrategy secures a broker (the model: SIMPLE by default).
type AuthenticationStrategy string

// The authentication strategies.
const (
	AuthSimple        AuthenticationStrategy = "SIMPLE"
	AuthLDAP          AuthenticationStrategy = "LDAP"
	AuthConfigManaged AuthenticationStrategy = "CONFIG_MANAGED"
)

// State is a broker's state (BrokerState).
type State string

// The broker states iamq reaches.
const (
	StateCreating  State = "CREATION_IN_PROGRESS"
	StateFailed    State = "CREATION_FAILED"
	StateDeleting  State = "DELETION_IN_PROGRESS"
	StateRunning   State = "RUNNING"
	StateRebooting State = "REBOOT_IN_PROGRESS"
	StateReplica   State = "REPLICA"
)

// ChangeType is a user's pending change (ChangeType).
type ChangeType string

// The pending changes of a broker user.
const (
	ChangeCreate ChangeType = "CREATE"
	ChangeUpdate ChangeType = "UPDATE"
	ChangeDelete ChangeType = "DELETE"
)

// ConfigurationID names a configuration revision (ConfigurationId).
type ConfigurationID struct {
	ID       string `json:"id"`
	Revision int    `json:"revision,omitempty"`
}

// EncryptionOptions is the broker's encryption at rest.
type EncryptionOptions struct {
	KmsKeyID       string `json:"kmsKeyId,omitempty"`
	UseAwsOwnedKey *bool  `json:"useAwsOwnedKey,omitempty"`
}

// Logs says which logs a broker publishes to CloudWatch Logs.
type Logs struct {
	Audit   *bool `json:"audit,omitempty"`
	General *bool `json:"general,omitempty"`
}

// WeeklyStartTime is a maintenance window's start.
type WeeklyStartTime struct {
	DayOfWeek string `json:"dayOfWeek"`
	TimeOfDay string `json:"timeOfDay"`
	TimeZone  string `json:"timeZone,omitempty"`
}

// LDAP is a broker's LDAP server metadata, without the service account's
// password (LdapServerMetadataOutput); the input adds it.
type LDAP struct {
	Hosts                  []string `json:"hosts"`
	RoleBase               string   `json:"roleBase"`
	RoleName               string   `json:"roleName,omitempty"`
	RoleSearchMatching     string   `json:"roleSearchMatching"`
	RoleSearchSubtree      *bool    `json:"roleSearchSubtree,omitempty"`
	ServiceAccountPassword string   `json:"serviceAccountPassword,omitempty"`
	ServiceAccountUsername string   `json:"serviceAccountUsername"`
	UserBase               string   `json:"userBase"`
	UserRoleName           string   `json:"userRoleName,omitempty"`
	UserSearchMatching     string   `json:"userSearchMatching"`
	UserSearchSubtree      *bool    `json:"userSearchSubtree,omitempty"`
}

// UserInput is a broker user as CreateBroker, CreateUser and UpdateUser
// take it (User). Its password is checked and never kept: iamq runs no
// broker that would need it.
type UserInput struct {
	Username        string   `json:"username"`
	Password        string   `json:"password,omitempty"`
	ConsoleAccess   *bool    `json:"consoleAccess,omitempty"`
	Groups          []string `json:"groups,omitempty"`
	ReplicationUser *bool    `json:"replicationUser,omitempty"`
}

// CreateBrokerInput is CreateBroker's request (CreateBrokerRequest).
type CreateBrokerInput struct {
	AuthenticationStrategy          AuthenticationStrategy `json:"authenticationStrategy,omitempty"`
	AutoMinorVersionUpgrade         *bool                  `json:"autoMinorVersionUpgrade,omitempty"`
	BrokerName                      string                 `json:"brokerName"`
	Configuration                   *ConfigurationID       `json:"configuration,omitempty"`
	CreatorRequestID                string                 `json:"creatorRequestId,omitempty"`
	DeploymentMode                  DeploymentMode         `json:"deploymentMode"`
	EncryptionOptions               *EncryptionOptions     `json:"encryptionOptions,omitempty"`
	EngineType                      EngineType             `json:"engineType"`
	EngineVersion                   string                 `json:"engineVersion,omitempty"`
	HostInstanceType                string                 `json:"hostInstanceType"`
	LdapServerMetadata              *LDAP                  `json:"ldapServerMetadata,omitempty"`
	Logs                            *Logs                  `json:"logs,omitempty"`
	MaintenanceWindowStartTime      *WeeklyStartTime       `json:"maintenanceWindowStartTime,omitempty"`
	PubliclyAccessible              *bool                  `json:"publiclyAccessible"`
	SecurityGroups                  []string               `json:"securityGroups,omitempty"`
	StorageType                     StorageType            `json:"storageType,omitempty"`
	SubnetIDs                       []string               `json:"subnetIds,omitempty"`
	Tags                            map[string]string      `json:"tags,omitempty"`
	Users                           []UserInput            `json:"users,omitempty"`
	DataReplicationMode             string                 `json:"dataReplicationMode,omitempty"`
	DataReplicationPrimaryBrokerArn string                 `json:"dataReplicationPrimaryBrokerArn,omitempty"`
}

// UpdateBrokerInput is UpdateBroker's request; nil and empty members are
// left as they are.
type UpdateBrokerInput struct {
	AuthenticationStrategy     AuthenticationStrategy `json:"authenticationStrategy,omitempty"`
	AutoMinorVersionUpgrade    *bool                  `json:"autoMinorVersionUpgrade,omitempty"`
	Configuration              *ConfigurationID       `json:"configuration,omitempty"`
	EngineVersion              string                 `json:"engineVersion,omitempty"`
	HostInstanceType           string                 `json:"hostInstanceType,omitempty"`
	LdapServerMetadata         *LDAP                  `json:"ldapServerMetadata,omitempty"`
	Logs                       *Logs                  `json:"logs,omitempty"`
	MaintenanceWindowStartTime *WeeklyStartTime       `json:"maintenanceWindowStartTime,omitempty"`
	SecurityGroups             []string               `json:"securityGroups,omitempty"`
	DataReplicationMode        string                 `json:"dataReplicationMode,omitempty"`
}

// pending is what an UpdateBroker changes at the next reboot.
type pending struct {
	EngineVersion          string                 `json:"engineVersion,omitempty"`
	HostInstanceType       string                 `json:"hostInstanceType,omitempty"`
	SecurityGroups         []string               `json:"securityGroups,omitempty"`
	AuthenticationStrategy AuthenticationStrategy `json:"authenticationStrategy,omitempty"`
	LDAP                   *LDAP                  `json:"ldap,omitempty"`
	Configuration          *ConfigurationID       `json:"configuration,omitempty"`
	Logs                   *Logs                  `json:"logs,omitempty"`
}

// empty reports whether nothing is pending.
func (p *pending) empty() bool {
	return p.EngineVersion == "" && p.HostInstanceType == "" && p.SecurityGroups == nil && p.AuthenticationStrategy == "" &&
		p.LDAP == nil && p.Configuration == nil && p.Logs == nil
}

// broker is a broker as the store keeps it (its document).
type broker struct {
	ID                      string                 `json:"id"`
	Name                    string                 `json:"name"`
	Region                  string                 `json:"region"`
	Account                 string                 `json:"account"`
	EngineType              EngineType             `json:"engineType"`
	EngineVersion           string                 `json:"engineVersion"`
	HostInstanceType        string                 `json:"hostInstanceType"`
	DeploymentMode          DeploymentMode         `json:"deploymentMode"`
	StorageType             StorageType            `json:"storageType"`
	AuthenticationStrategy  AuthenticationStrategy `json:"authenticationStrategy"`
	AutoMinorVersionUpgrade bool                   `json:"autoMinorVersionUpgrade"`
	PubliclyAccessible      bool                   `json:"publiclyAccessible"`
	SecurityGroups          []string               `json:"securityGroups,omitempty"`
	SubnetIDs               []string               `json:"subnetIds,omitempty"`
	Configuration           *ConfigurationID       `json:"configuration,omitempty"`
	ConfigurationHistory    []ConfigurationID      `json:"configurationHistory,omitempty"`
	Encryption              EncryptionOptions      `json:"encryption"`
	LDAP                    *LDAP                  `json:"ldap,omitempty"`
	Logs                    Logs                   `json:"logs"`
	Maintenance             WeeklyStartTime        `json:"maintenance"`
	Tags                    map[string]string      `json:"tags,omitempty"`
	Created                 time.Time              `json:"created"`
	CreatorRequestID        string                 `json:"creatorRequestId,omitempty"`
	// Failed is why the broker's creation failed ("" when it did not):
	// an ActionRequired's code and text.
	FailedCode string `json:"failedCode,omitempty"`
	Failed     string `json:"failed,omitempty"`
	// Reboot is when the latest reboot began; Deleted when the deletion
	// did (zero: never).
	Reboot  time.Time `json:"reboot,omitzero"`
	Deleted time.Time `json:"deleted,omitzero"`
	// Pending is applied by the first reboot that begins after
	// PendingSince.
	Pending      pending   `json:"pending"`
	PendingSince time.Time `json:"pendingSince,omitzero"`
	// Replication is the broker's data replication (CRDR) role, "" when
	// none; Counterpart its pair's ARN.
	Replication string `json:"replication,omitempty"`
	Counterpart string `json:"counterpart,omitempty"`
}

// user is a broker user as the store keeps it: its applied values and the
// change pending until the broker's next reboot.
type user struct {
	Username        string     `json:"username"`
	ConsoleAccess   bool       `json:"consoleAccess"`
	Groups          []string   `json:"groups,omitempty"`
	ReplicationUser bool       `json:"replicationUser"`
	Change          ChangeType `json:"change,omitempty"`
	PendingValues   *UserInput `json:"pendingValues,omitempty"`
	Changed         time.Time  `json:"changed"`
}
