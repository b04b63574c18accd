package mq

import (
	"fmt"
	"hash/fnv"
	"time"

	"github.com/iamq/iamq/arn"
)

// Broker is a broker as DescribeBroker returns it (DescribeBrokerResponse,
// wire names).
type Broker struct {
	ActionsRequired               []ActionRequired       `json:"actionsRequired,omitempty"`
	AuthenticationStrategy        AuthenticationStrategy `json:"authenticationStrategy"`
	AutoMinorVersionUpgrade       bool                   `json:"autoMinorVersionUpgrade"`
	BrokerArn                     string                 `json:"brokerArn"`
	BrokerID                      string                 `json:"brokerId"`
	BrokerInstances               []BrokerInstance       `json:"brokerInstances,omitempty"`
	BrokerName                    string                 `json:"brokerName"`
	BrokerState                   State                  `json:"brokerState"`
	Configurations                *Configurations        `json:"configurations,omitempty"`
	Created                       time.Time              `json:"created"`
	DeploymentMode                DeploymentMode         `json:"deploymentMode"`
	EncryptionOptions             EncryptionOptions      `json:"encryptionOptions"`
	EngineType                    EngineType             `json:"engineType"`
	EngineVersion                 string                 `json:"engineVersion"`
	HostInstanceType              string                 `json:"hostInstanceType"`
	LdapServerMetadata            *LDAP                  `json:"ldapServerMetadata,omitempty"`
	Logs                          LogsSummary            `json:"logs"`
	MaintenanceWindowStartTime    WeeklyStartTime        `json:"maintenanceWindowStartTime"`
	PendingAuthenticationStrategy AuthenticationStrategy `json:"pendingAuthenticationStrategy,omitempty"`
	PendingEngineVersion          string                 `json:"pendingEngineVersion,omitempty"`
	PendingHostInstanceType       string                 `json:"pendingHostInstanceType,omitempty"`
	PendingLdapServerMetadata     *LDAP                  `json:"pendingLdapServerMetadata,omitempty"`
	PendingSecurityGroups         []string               `json:"pendingSecurityGroups,omitempty"`
	PubliclyAccessible            bool                   `json:"publiclyAccessible"`
	SecurityGroups                []string               `json:"securityGroups,omitempty"`
	StorageType                   StorageType            `json:"storageType"`
	SubnetIDs                     []string               `json:"subnetIds,omitempty"`
	Tags                          map[string]string      `json:"tags"`
	Users                         []UserSummary          `json:"users"`
	DataReplicationMode           string                 `json:"dataReplicationMode"`
	DataReplicationMetadata       *ReplicationMetadata   `json:"dataReplicationMetadata,omitempty"`
}

// ActionRequired says what the customer must do for a broker: here, why
// its creation failed.
type ActionRequired struct {
	ActionRequiredCode string `json:"actionRequiredCode"`
	ActionRequiredInfo string `json:"actionRequiredInfo"`
}

// BrokerInstance is one of a broker's instances.
type BrokerInstance struct {
	ConsoleURL string   `json:"consoleURL"`
	Endpoints  []string `json:"endpoints"`
	IPAddress  string   `json:"ipAddress,omitempty"`
}

// Configurations are a broker's current, pending and past configurations.
type Configurations struct {
	Current *ConfigurationID  `json:"current,omitempty"`
	History []ConfigurationID `json:"history,omitempty"`
	Pending *ConfigurationID  `json:"pending,omitempty"`
}

// LogsSummary is a broker's logging (LogsSummary).
type LogsSummary struct {
	Audit           *bool  `json:"audit,omitempty"`
	AuditLogGroup   string `json:"auditLogGroup,omitempty"`
	General         bool   `json:"general"`
	GeneralLogGroup string `json:"generalLogGroup"`
	Pending         *Logs  `json:"pending,omitempty"`
}

// ReplicationMetadata is a broker's data replication role and pair.
type ReplicationMetadata struct {
	DataReplicationCounterpart *Counterpart `json:"dataReplicationCounterpart,omitempty"`
	DataReplicationRole        string       `json:"dataReplicationRole"`
}

// Counterpart is the other broker of a replication pair.
type Counterpart struct {
	BrokerID string `json:"brokerId"`
	Region   string `json:"region"`
}

// UserSummary is a user in DescribeBroker and ListUsers.
type UserSummary struct {
	PendingChange ChangeType `json:"pendingChange,omitempty"`
	Username      string     `json:"username"`
}

// BrokerSummary is a broker in ListBrokers.
type BrokerSummary struct {
	BrokerArn        string         `json:"brokerArn"`
	BrokerID         string         `json:"brokerId"`
	BrokerName       string         `json:"brokerName"`
	BrokerState      State          `json:"brokerState"`
	Created          time.Time      `json:"created"`
	DeploymentMode   DeploymentMode `json:"deploymentMode"`
	EngineType       EngineType     `json:"engineType"`
	HostInstanceType string         `json:"hostInstanceType"`
}

func (b *broker) arn() string { return arn.MQBroker(b.Region, b.Account, b.Name, b.ID).String() }

// state is the broker's state at now.
func (s *Service) state(b *broker, now time.Time) State {
	switch {
	case !b.Deleted.IsZero():
		return StateDeleting
	case b.Failed != "":
		return StateFailed
	case now.Before(b.Created.Add(s.create)):
		return StateCreating
	case !b.Reboot.IsZero() && now.Before(b.Reboot.Add(s.reboot)):
		return StateRebooting
	case b.Replication == "REPLICA":
		return StateReplica
	}
	return StateRunning
}

// rebooted reports whether a reboot that began at or after t has finished
// at now: what a change made at t waits for.
func (s *Service) rebooted(b *broker, t, now time.Time) bool {
	return !b.Reboot.IsZero() && !b.Reboot.Before(t) && !now.Before(b.Reboot.Add(s.reboot))
}

// settle applies the changes whose reboot has finished at now.
func (s *Service) settle(b *broker, now time.Time) {
	if b.PendingSince.IsZero() || !s.rebooted(b, b.PendingSince, now) {
		return
	}
	p := b.Pending
	if p.EngineVersion != "" {
		b.EngineVersion = p.EngineVersion
	}
	if p.HostInstanceType != "" {
		b.HostInstanceType = p.HostInstanceType
	}
	if p.SecurityGroups != nil {
		b.SecurityGroups = p.SecurityGroups
	}
	if p.AuthenticationStrategy != "" {
		b.AuthenticationStrategy = p.AuthenticationStrategy
	}
	if p.LDAP != nil {
		b.LDAP = p.LDAP
	}
	if p.Configuration != nil {
		if b.Configuration != nil {
			b.ConfigurationHistory = append(b.ConfigurationHistory, *b.Configuration)
		}
		b.Configuration = p.Configuration
	}
	if p.Logs != nil {
		b.Logs = *p.Logs
	}
	b.Pending, b.PendingSince = pending{}, time.Time{}
}

// summary is b's ListBrokers entry at now.
func (s *Service) summary(b *broker, now time.Time) BrokerSummary {
	return BrokerSummary{BrokerArn: b.arn(), BrokerID: b.ID, BrokerName: b.Name, BrokerState: s.state(b, now), Created: b.Created,
		DeploymentMode: b.DeploymentMode, EngineType: b.EngineType, HostInstanceType: b.HostInstanceType}
}

// describe is b as DescribeBroker shows it at now, with its users.
func (s *Service) describe(b *broker, users []UserSummary, now time.Time) *Broker {
	s.settle(b, now)
	out := &Broker{AuthenticationStrategy: b.AuthenticationStrategy, AutoMinorVersionUpgrade: b.AutoMinorVersionUpgrade,
		BrokerArn: b.arn(), BrokerID: b.ID, BrokerName: b.Name, BrokerState: s.state(b, now), Created: b.Created,
		DeploymentMode: b.DeploymentMode, EncryptionOptions: b.Encryption, EngineType: b.EngineType, EngineVersion: b.EngineVersion,
		HostInstanceType: b.HostInstanceType, LdapServerMetadata: b.LDAP, MaintenanceWindowStartTime: b.Maintenance,
		PendingAuthenticationStrategy: b.Pending.AuthenticationStrategy, PendingEngineVersion: b.Pending.EngineVersion,
		PendingHostInstanceType: b.Pending.HostInstanceType, PendingLdapServerMetadata: b.Pending.LDAP,
		PendingSecurityGroups: b.Pending.SecurityGroups, PubliclyAccessible: b.PubliclyAccessible, SecurityGroups: b.SecurityGroups,
		StorageType: b.StorageType, SubnetIDs: b.SubnetIDs, Tags: b.Tags, Users: users, DataReplicationMode: "NONE"}
	if out.Tags == nil {
		out.Tags = map[string]string{}
	}
	if out.Users == nil {
		out.Users = []UserSummary{}
	}
	if b.Failed != "" {
		out.ActionsRequired = []ActionRequired{{ActionRequiredCode: b.FailedCode, ActionRequiredInfo: b.Failed}}
	}
	if b.Configuration != nil || b.Pending.Configuration != nil {
		out.Configurations = &Configurations{Current: b.Configuration, History: b.ConfigurationHistory, Pending: b.Pending.Configuration}
	}
	out.Logs = LogsSummary{General: isTrue(b.Logs.General), GeneralLogGroup: b.logGroup("general"), Pending: b.Pending.Logs}
	if b.EngineType == ActiveMQ {
		out.Logs.Audit, out.Logs.AuditLogGroup = boolPtr(isTrue(b.Logs.Audit)), b.logGroup("audit")
	}
	if b.Replication != "" {
		out.DataReplicationMode = "CRDR"
		out.DataReplicationMetadata = &ReplicationMetadata{DataReplicationRole: b.Replication}
		if a, ok := arn.Split(b.Counterpart); ok {
			if r, ok := a.MQ(); ok {
				out.DataReplicationMetadata.DataReplicationCounterpart = &Counterpart{BrokerID: r.ID, Region: a.Region}
			}
		}
	}
	if st := out.BrokerState; st == StateRunning || st == StateRebooting || st == StateReplica {
		out.BrokerInstances = b.instances()
	}
	return out
}

// logGroup is the CloudWatch Logs group of one of the broker's logs.
func (b *broker) logGroup(kind string) string { return "/aws/amazonmq/broker/" + b.ID + "/" + kind }

// instances are the broker's instances with their endpoints, as Amazon MQ
// names them: b-ID-N.mq.REGION.amazonaws.com for ActiveMQ (one per
// instance), b-ID.mq.REGION.amazonaws.com for RabbitMQ.
func (b *broker) instances() []BrokerInstance {
	if b.EngineType == RabbitMQ {
		host := b.ID + ".mq." + b.Region + ".amazonaws.com"
		return []BrokerInstance{{ConsoleURL: "https://" + host, Endpoints: []string{"amqps://" + host + ":5671"}}}
	}
	n := 1
	if b.DeploymentMode == ActiveStandbyMultiAZ {
		n = 2
	}
	h := fnv.New32a()
	h.Write([]byte(b.ID))
	sum := h.Sum32()
	out := make([]BrokerInstance, n)
	for i := range out {
		host := fmt.Sprintf("%s-%d.mq.%s.amazonaws.com", b.ID, i+1, b.Region)
		out[i] = BrokerInstance{ConsoleURL: "https://" + host + ":8162", IPAddress: fmt.Sprintf("10.%d.%d.%d", i, sum>>8&0xff, sum&0xff),
			Endpoints: []string{"ssl://" + host + ":61617", "amqp+ssl://" + host + ":5671", "stomp+ssl://" + host + ":61614",
				"mqtt+ssl://" + host + ":8883", "wss://" + host + ":61619"}}
	}
	return out
}

func boolPtr(b bool) *bool { return &b }
