package mq

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/eval"
	"github.com/iamq/iamq/internal/store"
)

// newID returns a broker ("b-") or configuration ("c-") id: the prefix and
// a random UUID, as Amazon MQ's ids look.
func newID(prefix string) string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	return fmt.Sprintf("%s-%x-%x-%x-%x-%x", prefix, b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// CreateBroker creates a broker and returns its ARN and id. The caller's
// mq:CreateBroker is authorized by the endpoint; here the further actions
// are: mq:CreateTags for tags, the ec2: network actions of an ActiveMQ
// broker, iam:CreateServiceLinkedRole when the account has no Amazon MQ
// service-linked role yet. A RabbitMQ broker then has the service act
// through that role; what the role does not allow fails the broker
// (CREATION_FAILED, the reason in actionsRequired).
func (s *Service) CreateBroker(ctx context.Context, c *Caller, in *CreateBrokerInput) (arnOut, id string, err error) {
	now := s.now().UTC()
	b, users, err := s.newBroker(ctx, c, in, now)
	if err != nil {
		return "", "", err
	}
	if in.Configuration != nil || b.Counterpart != "" {
		if err := s.st.View(ctx, c.account(), func(tx store.Tx) error { return s.checkNewBroker(tx, b, in, now) }); err != nil {
			return "", "", err
		}
	}
	if err := s.authorizeCreate(ctx, c, b); err != nil {
		return "", "", err
	}
	if b.EngineType == RabbitMQ {
		// The service acts through its role before the broker is stored.
		role, err := s.ensureRole(ctx, c)
		if err != nil {
			return "", "", err
		}
		s.actAsRole(ctx, c, role, b)
	}
	save := func(tx store.Tx) error {
		if err := hasRole(tx); err != nil {
			return err
		}
		if err := s.saveBroker(tx, b, true, now); err != nil {
			return err
		}
		for _, u := range users {
			if err := saveUser(tx, b, u, true, now); err != nil {
				return err
			}
		}
		return s.pair(tx, b, now)
	}
	err = s.st.Update(ctx, c.account(), save)
	if errors.Is(err, ErrConflict) && in.CreatorRequestID != "" {
		// The same request again (creatorRequestId): the broker it made.
		if prior, ok := s.byRequest(ctx, c, b.Name, in.CreatorRequestID, now); ok {
			return prior.arn(), prior.ID, nil
		}
	}
	if errors.Is(err, errNoRole) {
		// The account's first broker: the role is made (as the caller
		// may), then the broker is stored.
		if _, err := s.ensureRole(ctx, c); err != nil {
			return "", "", err
		}
		err = s.st.Update(ctx, c.account(), save)
	}
	if err != nil {
		return "", "", err
	}
	return b.arn(), b.ID, nil
}

// authorizeCreate asks for what a new broker needs beyond
// mq:CreateBroker: mq:CreateTags on it for its tags, and the ec2: network
// actions for an ActiveMQ broker.
func (s *Service) authorizeCreate(ctx context.Context, c *Caller, b *broker) error {
	if len(b.Tags) > 0 {
		if err := s.authorize(ctx, c, "mq:CreateTags", b.arn(), requestTags(b.Tags)); err != nil {
			return err
		}
	}
	if b.EngineType == ActiveMQ {
		return s.authorizeNetwork(ctx, c)
	}
	return nil
}

// newBroker checks the input and builds the broker and its users.
func (s *Service) newBroker(ctx context.Context, c *Caller, in *CreateBrokerInput, now time.Time) (*broker, []*user, error) {
	if err := checkBrokerName(in.BrokerName); err != nil {
		return nil, nil, err
	}
	engine, err := normalizeEngine(in.EngineType)
	if err != nil {
		return nil, nil, err
	}
	if in.HostInstanceType == "" {
		return nil, nil, badRequest("hostInstanceType", "The hostInstanceType attribute is required.")
	}
	it, ok := lookupInstance(in.HostInstanceType)
	if !ok || it.engines[engine] == nil {
		return nil, nil, badRequest("hostInstanceType", "Broker host instance type [%s] is not supported for engine type %s.", clip(in.HostInstanceType), engine)
	}
	version, err := pickVersion(engine, it, in.EngineVersion)
	if err != nil {
		return nil, nil, err
	}
	if in.DeploymentMode == "" {
		return nil, nil, badRequest("deploymentMode", "The deploymentMode attribute is required.")
	}
	if !slices.Contains(deploymentModes(engine, it.name), in.DeploymentMode) {
		return nil, nil, badRequest("deploymentMode", "Deployment mode [%s] is not supported for engine type %s on host instance type %s.", clip(string(in.DeploymentMode)), engine, it.name)
	}
	if in.PubliclyAccessible == nil {
		return nil, nil, badRequest("publiclyAccessible", "The publiclyAccessible attribute is required.")
	}
	if len(in.CreatorRequestID) > 128 {
		return nil, nil, badRequest("creatorRequestId", "The creatorRequestId must be at most 128 characters long.")
	}
	b := &broker{ID: newID("b"), Name: in.BrokerName, CreatorRequestID: in.CreatorRequestID, Region: c.region(), Account: c.account(), EngineType: engine, EngineVersion: version,
		HostInstanceType: it.name, DeploymentMode: in.DeploymentMode, AuthenticationStrategy: AuthSimple,
		AutoMinorVersionUpgrade: isTrue(in.AutoMinorVersionUpgrade), PubliclyAccessible: *in.PubliclyAccessible,
		Encryption: EncryptionOptions{UseAwsOwnedKey: boolPtr(true)}, Tags: in.Tags, Created: now,
		Maintenance: WeeklyStartTime{DayOfWeek: "SUNDAY", TimeOfDay: "02:00", TimeZone: "UTC"}}
	if err := s.shapeBroker(b, in, it); err != nil {
		return nil, nil, err
	}
	users, err := newUsers(b, in.Users, now)
	return b, users, err
}

// shapeBroker checks and sets the optional members.
func (s *Service) shapeBroker(b *broker, in *CreateBrokerInput, it instanceType) error {
	storage := storageTypes(b.EngineType, it.name)
	b.StorageType = storage[len(storage)-1]
	if in.StorageType != "" {
		if !slices.Contains(storage, in.StorageType) {
			return badRequest("storageType", "Storage type [%s] is not supported for engine type %s on host instance type %s.", clip(string(in.StorageType)), b.EngineType, it.name)
		}
		b.StorageType = in.StorageType
	}
	for _, shape := range []func(*broker, *CreateBrokerInput) error{shapeAuth, shapeNetwork, shapeExtras, shapeReplication} {
		if err := shape(b, in); err != nil {
			return err
		}
	}
	return nil
}

// shapeAuth sets the authentication strategy and LDAP server.
func shapeAuth(b *broker, in *CreateBrokerInput) error {
	if in.AuthenticationStrategy != "" {
		switch in.AuthenticationStrategy {
		case AuthSimple, AuthLDAP, AuthConfigManaged:
			b.AuthenticationStrategy = in.AuthenticationStrategy
		default:
			return badRequest("authenticationStrategy", "Authentication strategy [%s] is not supported: use SIMPLE, LDAP or CONFIG_MANAGED.", clip(string(in.AuthenticationStrategy)))
		}
	}
	if b.AuthenticationStrategy == AuthLDAP && in.LdapServerMetadata == nil {
		return badRequest("ldapServerMetadata", "ldapServerMetadata is required with the LDAP authentication strategy.")
	}
	if in.LdapServerMetadata != nil {
		if err := checkLDAP(b.EngineType, in.LdapServerMetadata); err != nil {
			return err
		}
		l := *in.LdapServerMetadata
		l.ServiceAccountPassword = "" // never kept
		b.LDAP = &l
	}
	return nil
}

// shapeNetwork sets the subnets and security groups. The model's rule: a
// SINGLE_INSTANCE broker takes one subnet, an ACTIVE_STANDBY_MULTI_AZ
// broker two; none given means the default VPC's.
func shapeNetwork(b *broker, in *CreateBrokerInput) error {
	if want := map[DeploymentMode]int{SingleInstance: 1, ActiveStandbyMultiAZ: 2}[b.DeploymentMode]; len(in.SubnetIDs) > 0 && want > 0 && len(in.SubnetIDs) != want {
		return badRequest("subnetIds", "A %s broker takes %d subnets, not %d.", b.DeploymentMode, want, len(in.SubnetIDs))
	}
	if err := checkIDs(in.SubnetIDs, "subnet-", "subnetIds", MaxSubnets); err != nil {
		return err
	}
	if err := checkIDs(in.SecurityGroups, "sg-", "securityGroups", MaxSecurityGroups); err != nil {
		return err
	}
	b.SubnetIDs, b.SecurityGroups = in.SubnetIDs, in.SecurityGroups
	return nil
}

// shapeExtras sets the tags, maintenance window, logs and encryption.
func shapeExtras(b *broker, in *CreateBrokerInput) error {
	if err := checkTags(in.Tags, "tags"); err != nil {
		return err
	}
	if in.MaintenanceWindowStartTime != nil {
		if err := checkWindow(in.MaintenanceWindowStartTime); err != nil {
			return err
		}
		b.Maintenance = *in.MaintenanceWindowStartTime
	}
	if in.Logs != nil {
		if b.EngineType == RabbitMQ && isTrue(in.Logs.Audit) {
			return badRequest("logs", "Audit logs are not supported for RabbitMQ brokers.")
		}
		b.Logs = *in.Logs
	}
	if in.EncryptionOptions != nil {
		if in.EncryptionOptions.UseAwsOwnedKey == nil || len(in.EncryptionOptions.KmsKeyID) > 2048 {
			return badRequest("encryptionOptions", "encryptionOptions needs useAwsOwnedKey.")
		}
		b.Encryption = *in.EncryptionOptions
	}
	return nil
}

// shapeReplication sets a CRDR replica's primary.
func shapeReplication(b *broker, in *CreateBrokerInput) error {
	switch in.DataReplicationMode {
	case "", "NONE":
	case "CRDR":
		if b.EngineType != ActiveMQ || in.DataReplicationPrimaryBrokerArn == "" {
			return badRequest("dataReplicationMode", "CRDR data replication needs an ActiveMQ broker and dataReplicationPrimaryBrokerArn.")
		}
		b.Replication, b.Counterpart = "REPLICA", in.DataReplicationPrimaryBrokerArn
	default:
		return badRequest("dataReplicationMode", "Data replication mode [%s] is not supported: use NONE or CRDR.", clip(in.DataReplicationMode))
	}
	return nil
}

// checkNewBroker checks what needs the store: the name is free and the
// configuration exists for the engine.
func (s *Service) checkNewBroker(tx store.Tx, b *broker, in *CreateBrokerInput, now time.Time) error {
	if in.Configuration != nil {
		cfg, err := s.resolveRevision(tx, b.Region, *in.Configuration, now)
		if err != nil {
			return err
		}
		if cfg.EngineType != b.EngineType {
			return badRequest("configuration", "Configuration %s is for engine type %s, not %s.", cfg.ID, cfg.EngineType, b.EngineType)
		}
		b.Configuration = &ConfigurationID{ID: cfg.ID, Revision: in.Configuration.Revision}
		if b.Configuration.Revision == 0 {
			b.Configuration.Revision = cfg.Latest.Revision
		}
	}
	if b.Counterpart != "" {
		if err := s.checkPrimary(tx, b, now); err != nil {
			return err
		}
	}
	return nil
}

// requestTags adds aws:RequestTag/KEY and aws:TagKeys for tags.
func requestTags(tags map[string]string) func(*eval.Context) {
	return func(ec *eval.Context) {
		keys := make([]eval.Value, 0, len(tags))
		for k, v := range tags {
			ec.Add("aws:RequestTag/"+k, eval.String(v))
			keys = append(keys, eval.String(k))
		}
		ec.Add("aws:TagKeys", keys...)
	}
}

// DescribeBroker returns a broker of the caller's region.
func (s *Service) DescribeBroker(ctx context.Context, c *Caller, id string) (*Broker, error) {
	now := s.now().UTC()
	var out *Broker
	err := s.st.View(ctx, c.account(), func(tx store.Tx) error {
		b, err := loadBroker(tx, c.region(), id, now)
		if err != nil {
			return err
		}
		users, err := s.userSummaries(tx, b, now)
		if err != nil {
			return err
		}
		out = s.describe(b, users, now)
		return nil
	})
	return out, err
}

// BrokerTags returns a live broker's ARN and tags, for authorizing a call
// on it; ok is false when it does not exist.
func (s *Service) BrokerTags(ctx context.Context, account, region, id string) (brokerARN string, tags map[string]string, ok bool) {
	var b *broker
	err := s.st.View(ctx, account, func(tx store.Tx) error {
		var err error
		b, err = loadBroker(tx, region, id, s.now().UTC())
		return err
	})
	if err != nil {
		return "", nil, false
	}
	return b.arn(), b.Tags, true
}

// Page is a page of a list and the token of the next ("" on the last).
type Page[T any] struct {
	Items     []T
	NextToken string
}

// Default and largest page sizes of Amazon MQ's lists (the model: 20 by
// default, at most 100).
const (
	DefaultMaxResults = 20
	MaxMaxResults     = 100
)

// pageOptions checks maxResults and nextToken.
func pageOptions(maxResults int, token string) (store.ListOptions, error) {
	if maxResults == 0 {
		maxResults = DefaultMaxResults
	}
	if maxResults < 1 || maxResults > MaxMaxResults {
		return store.ListOptions{}, badRequest("maxResults", "maxResults must be an integer from 1 to %d.", MaxMaxResults)
	}
	if len(token) > 1024 {
		return store.ListOptions{}, badRequest("nextToken", "The nextToken is not valid.")
	}
	return store.ListOptions{Marker: token, MaxItems: maxResults}, nil
}

// listRecords reads one page of records, mapping a forged token to
// BadRequestException.
func listRecords(tx store.Tx, o store.MQListOptions) (store.Page[store.MQRecord], error) {
	p, err := tx.MQRecords(o)
	if err != nil && isInvalid(err) {
		return p, badRequest("nextToken", "The nextToken is not valid.")
	}
	return p, err
}

// ListBrokers lists the brokers of the caller's region.
func (s *Service) ListBrokers(ctx context.Context, c *Caller, maxResults int, token string) (Page[BrokerSummary], error) {
	o, err := pageOptions(maxResults, token)
	if err != nil {
		return Page[BrokerSummary]{}, err
	}
	now := s.now().UTC()
	var out Page[BrokerSummary]
	err = s.st.View(ctx, c.account(), func(tx store.Tx) error {
		p, err := listRecords(tx, store.MQListOptions{Kind: store.MQBroker, Region: c.region(), Now: now, Marker: o.Marker, MaxItems: o.MaxItems})
		if err != nil {
			return err
		}
		out.Items, out.NextToken = make([]BrokerSummary, 0, len(p.Items)), p.Marker
		for _, r := range p.Items {
			var b broker
			if err := json.Unmarshal(r.Document, &b); err != nil {
				return fmt.Errorf("mq: broker %s: %w", r.ID, err)
			}
			out.Items = append(out.Items, s.summary(&b, now))
		}
		return nil
	})
	return out, err
}

// pair makes a new replica's primary point back at it.
func (s *Service) pair(tx store.Tx, b *broker, now time.Time) error {
	if b.Counterpart == "" {
		return nil
	}
	primary, err := s.counterpart(tx, b, now)
	if err != nil || primary == nil {
		return err
	}
	primary.Replication, primary.Counterpart = "PRIMARY", b.arn()
	return s.saveBroker(tx, primary, false, now)
}

// brokerOf splits a broker ARN of account into its region and id.
func brokerOf(s, account string) (region, id string, ok bool) {
	a, ok := arn.Split(s)
	if !ok || a.Account != account {
		return "", "", false
	}
	r, ok := a.MQ()
	if !ok || r.Type != arn.TypeMQBroker {
		return "", "", false
	}
	return a.Region, r.ID, true
}

// byRequest finds the live broker of the caller's region named name that
// creatorRequestID created.
func (s *Service) byRequest(ctx context.Context, c *Caller, name, creatorRequestID string, now time.Time) (*broker, bool) {
	var found *broker
	_ = s.st.View(ctx, c.account(), func(tx store.Tx) error {
		o := store.MQListOptions{Kind: store.MQBroker, Region: c.region(), Now: now, MaxItems: store.MaxMaxItems}
		for {
			p, err := tx.MQRecords(o)
			if err != nil {
				return err
			}
			for _, r := range p.Items {
				if r.Name != name {
					continue
				}
				var b broker
				if json.Unmarshal(r.Document, &b) == nil && b.CreatorRequestID == creatorRequestID {
					found = &b
				}
				return nil
			}
			if p.Marker == "" {
				return nil
			}
			o.Marker = p.Marker
		}
	})
	return found, found != nil
}
