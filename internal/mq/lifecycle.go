package mq

import (
	"context"
	"errors"
	"time"

	"github.com/iamq/iamq/internal/store"
)

// changeBroker runs fn on a live broker of the caller's region, settled at
// now, and saves it.
func (s *Service) changeBroker(ctx context.Context, c *Caller, id string, fn func(tx store.Tx, b *broker, now time.Time) error) error {
	now := s.now().UTC()
	return s.st.Update(ctx, c.account(), func(tx store.Tx) error {
		b, err := loadBroker(tx, c.region(), id, now)
		if err != nil {
			return err
		}
		s.settle(b, now)
		if err := fn(tx, b, now); err != nil {
			return err
		}
		return s.saveBroker(tx, b, false, now)
	})
}

// mustBe refuses a call on a broker that is not in one of the states.
func (s *Service) mustBe(b *broker, now time.Time, states ...State) error {
	st := s.state(b, now)
	for _, want := range states {
		if st == want {
			return nil
		}
	}
	return badRequest("broker-id", "Broker [%s] is in state %s; the request needs it %s.", b.ID, st, states[0])
}

// UpdateBroker changes a broker: the maintenance window and minor version
// upgrades at once, everything else at the next reboot (pending, as
// DescribeBroker shows). It returns the broker as requested.
func (s *Service) UpdateBroker(ctx context.Context, c *Caller, id string, in *UpdateBrokerInput) (*Broker, error) {
	var out *Broker
	err := s.changeBroker(ctx, c, id, func(tx store.Tx, b *broker, now time.Time) error {
		if err := s.mustBe(b, now, StateRunning, StateReplica); err != nil {
			return err
		}
		if err := s.pend(tx, b, in, now); err != nil {
			return err
		}
		if in.AutoMinorVersionUpgrade != nil {
			b.AutoMinorVersionUpgrade = *in.AutoMinorVersionUpgrade
		}
		if in.MaintenanceWindowStartTime != nil {
			if err := checkWindow(in.MaintenanceWindowStartTime); err != nil {
				return err
			}
			b.Maintenance = *in.MaintenanceWindowStartTime
		}
		out = s.describe(b, nil, now)
		return nil
	})
	return out, err
}

// pendEngine checks a new instance type and engine version.
func pendEngine(b *broker, in *UpdateBrokerInput, p *pending) error {
	it, _ := lookupInstance(b.HostInstanceType)
	if in.HostInstanceType != "" {
		var ok bool
		if it, ok = lookupInstance(in.HostInstanceType); !ok || it.engines[b.EngineType] == nil {
			return badRequest("hostInstanceType", "Broker host instance type [%s] is not supported for engine type %s.", clip(in.HostInstanceType), b.EngineType)
		}
		p.HostInstanceType = it.name
	}
	if in.EngineVersion != "" {
		v, err := pickVersion(b.EngineType, it, in.EngineVersion)
		if err != nil {
			return err
		}
		p.EngineVersion = v
	}
	return nil
}

// pend checks the changes that wait for a reboot and records them.
func (s *Service) pend(tx store.Tx, b *broker, in *UpdateBrokerInput, now time.Time) error {
	p := b.Pending
	if err := pendEngine(b, in, &p); err != nil {
		return err
	}
	if in.SecurityGroups != nil {
		if err := checkIDs(in.SecurityGroups, "sg-", "securityGroups", MaxSecurityGroups); err != nil {
			return err
		}
		p.SecurityGroups = in.SecurityGroups
	}
	if in.AuthenticationStrategy != "" {
		if in.AuthenticationStrategy != AuthSimple && in.AuthenticationStrategy != AuthLDAP && in.AuthenticationStrategy != AuthConfigManaged {
			return badRequest("authenticationStrategy", "Authentication strategy [%s] is not supported: use SIMPLE, LDAP or CONFIG_MANAGED.", clip(string(in.AuthenticationStrategy)))
		}
		p.AuthenticationStrategy = in.AuthenticationStrategy
	}
	if in.LdapServerMetadata != nil {
		if err := checkLDAP(b.EngineType, in.LdapServerMetadata); err != nil {
			return err
		}
		l := *in.LdapServerMetadata
		l.ServiceAccountPassword = ""
		p.LDAP = &l
	}
	if in.Logs != nil {
		if b.EngineType == RabbitMQ && isTrue(in.Logs.Audit) {
			return badRequest("logs", "Audit logs are not supported for RabbitMQ brokers.")
		}
		l := *in.Logs
		p.Logs = &l
	}
	if in.Configuration != nil {
		cfg, err := s.resolveRevision(tx, b.Region, *in.Configuration, now)
		if err != nil {
			return err
		}
		if cfg.EngineType != b.EngineType {
			return badRequest("configuration", "Configuration %s is for engine type %s, not %s.", cfg.ID, cfg.EngineType, b.EngineType)
		}
		id := ConfigurationID{ID: cfg.ID, Revision: in.Configuration.Revision}
		if id.Revision == 0 {
			id.Revision = cfg.Latest.Revision
		}
		p.Configuration = &id
	}
	if in.DataReplicationMode != "" && in.DataReplicationMode != "NONE" && in.DataReplicationMode != "CRDR" {
		return badRequest("dataReplicationMode", "Data replication mode [%s] is not supported: use NONE or CRDR.", clip(in.DataReplicationMode))
	}
	if !p.empty() {
		b.Pending, b.PendingSince = p, now
	}
	return nil
}

// RebootBroker begins a reboot: the broker is REBOOT_IN_PROGRESS for the
// reboot delay, after which its pending changes, and its users', apply.
func (s *Service) RebootBroker(ctx context.Context, c *Caller, id string) error {
	return s.changeBroker(ctx, c, id, func(_ store.Tx, b *broker, now time.Time) error {
		if err := s.mustBe(b, now, StateRunning); err != nil {
			return err
		}
		b.Reboot = now
		return nil
	})
}

// DeleteBroker begins a deletion: the broker is DELETION_IN_PROGRESS for
// the deletion delay, then gone with its users.
func (s *Service) DeleteBroker(ctx context.Context, c *Caller, id string) error {
	return s.changeBroker(ctx, c, id, func(_ store.Tx, b *broker, now time.Time) error {
		if s.state(b, now) == StateDeleting {
			return badRequest("broker-id", "Broker [%s] is already being deleted.", b.ID)
		}
		b.Deleted = now
		return nil
	})
}

// Promote makes a replica broker of a CRDR pair the primary (SWITCHOVER
// or FAILOVER): the replica becomes PRIMARY and its counterpart REPLICA.
func (s *Service) Promote(ctx context.Context, c *Caller, id, mode string) error {
	if mode != "SWITCHOVER" && mode != "FAILOVER" {
		return badRequest("mode", "Promote mode [%s] is not supported: use SWITCHOVER or FAILOVER.", clip(mode))
	}
	return s.changeBroker(ctx, c, id, func(tx store.Tx, b *broker, now time.Time) error {
		if b.Replication != "REPLICA" {
			return badRequest("broker-id", "Broker [%s] is not the replica of a data replication pair.", b.ID)
		}
		if err := s.mustBe(b, now, StateReplica); err != nil {
			return err
		}
		b.Replication = "PRIMARY"
		primary, err := s.counterpart(tx, b, now)
		if err != nil || primary == nil {
			return err
		}
		primary.Replication = "REPLICA"
		return s.saveBroker(tx, primary, false, now)
	})
}

// checkPrimary checks a new replica's primary and pairs them.
func (s *Service) checkPrimary(tx store.Tx, b *broker, now time.Time) error {
	primary, err := s.counterpart(tx, b, now)
	if err != nil {
		return err
	}
	if primary == nil || primary.EngineType != ActiveMQ || primary.Replication != "" {
		return badRequest("dataReplicationPrimaryBrokerArn", "The primary broker [%s] does not exist or is already paired.", clip(b.Counterpart))
	}
	return nil
}

// counterpart loads the other broker of b's pair (nil when it is gone).
func (s *Service) counterpart(tx store.Tx, b *broker, now time.Time) (*broker, error) {
	region, id, ok := brokerOf(b.Counterpart, b.Account)
	if !ok {
		return nil, nil
	}
	other, err := loadBroker(tx, region, id, now)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	return other, err
}

func isInvalid(err error) bool { return errors.Is(err, store.ErrInvalid) }
