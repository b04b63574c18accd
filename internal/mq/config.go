package mq

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/internal/store"
)

// This file holds configurations and their revisions. Every revision is
// kept with its data, base64 as the API carries it; a configuration's
// first revision holds its engine's default data.

// MaxConfigData bounds a revision's data, decoded.
const MaxConfigData = 256 << 10

// Configuration is a configuration as DescribeConfiguration returns it.
type Configuration struct {
	Arn                    string                 `json:"arn"`
	AuthenticationStrategy AuthenticationStrategy `json:"authenticationStrategy"`
	Created                time.Time              `json:"created"`
	Description            string                 `json:"description"`
	EngineType             EngineType             `json:"engineType"`
	EngineVersion          string                 `json:"engineVersion"`
	ID                     string                 `json:"id"`
	Latest                 Revision               `json:"latestRevision"`
	Name                   string                 `json:"name"`
	Tags                   map[string]string      `json:"tags"`
	Region                 string                 `json:"-"`
}

// Revision is one revision of a configuration (ConfigurationRevision; its
// data is read with DescribeConfigurationRevision).
type Revision struct {
	Created     time.Time `json:"created"`
	Description string    `json:"description,omitempty"`
	Revision    int       `json:"revision"`
	Data        string    `json:"-"`
}

// CreateConfigurationInput is CreateConfiguration's request.
type CreateConfigurationInput struct {
	AuthenticationStrategy AuthenticationStrategy `json:"authenticationStrategy,omitempty"`
	EngineType             EngineType             `json:"engineType"`
	EngineVersion          string                 `json:"engineVersion,omitempty"`
	Name                   string                 `json:"name"`
	Tags                   map[string]string      `json:"tags,omitempty"`
}

// defaultData is a new configuration's first revision: a minimal
// activemq.xml, or a RabbitMQ rabbitmq.conf line.
func defaultData(e EngineType) string {
	if e == RabbitMQ {
		return base64.StdEncoding.EncodeToString([]byte("# Default RabbitMQ delivery acknowledgement timeout is 30 minutes in milliseconds\nconsumer_timeout = 1800000\n"))
	}
	return base64.StdEncoding.EncodeToString([]byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<broker xmlns="http://activemq.apache.org/schema/core"><plugins></plugins></broker>` + "\n"))
}

// revisionKey is a revision's key in the store: zero-padded, so that the
// store's order is the revisions' order.
func revisionKey(n int) string { return fmt.Sprintf("%09d", n) }

// CreateConfiguration creates a configuration with its first revision.
// The caller's mq:CreateConfiguration is authorized by the endpoint;
// tags need mq:CreateTags too.
func (s *Service) CreateConfiguration(ctx context.Context, c *Caller, in *CreateConfigurationInput) (*Configuration, error) {
	engine, err := normalizeEngine(in.EngineType)
	if err != nil {
		return nil, err
	}
	if in.Name == "" || len(in.Name) > MaxConfigName || !nameChars(in.Name, ".~") {
		return nil, badRequest("name", "The configuration name must be 1-%d characters long and contain only letters, numbers, dashes, periods, underscores and tildes.", MaxConfigName)
	}
	version := engineVersions(engine)[0]
	if in.EngineVersion != "" {
		any := instanceType{name: "any", engines: map[EngineType][]string{engine: engineVersions(engine)}}
		if version, err = pickVersion(engine, any, in.EngineVersion); err != nil {
			return nil, err
		}
	}
	strategy := AuthSimple
	if in.AuthenticationStrategy != "" {
		strategy = in.AuthenticationStrategy
		if strategy != AuthSimple && strategy != AuthLDAP && strategy != AuthConfigManaged {
			return nil, badRequest("authenticationStrategy", "Authentication strategy [%s] is not supported: use SIMPLE, LDAP or CONFIG_MANAGED.", clip(string(strategy)))
		}
	}
	if err := checkTags(in.Tags, "tags"); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	id := newID("c")
	cfg := &Configuration{Arn: arn.MQConfiguration(c.region(), c.account(), id).String(), AuthenticationStrategy: strategy, Created: now,
		Description: "Auto-generated default for " + in.Name + " on " + string(engine) + " " + version, EngineType: engine,
		EngineVersion: version, ID: id, Name: in.Name, Tags: in.Tags, Region: c.region(),
		Latest: Revision{Created: now, Description: "Auto-generated default for " + in.Name + " on " + string(engine) + " " + version, Revision: 1}}
	if len(in.Tags) > 0 {
		if err := s.authorize(ctx, c, "mq:CreateTags", cfg.Arn, requestTags(in.Tags)); err != nil {
			return nil, err
		}
	}
	rev := cfg.Latest
	rev.Data = defaultData(engine)
	err = s.st.Update(ctx, c.account(), func(tx store.Tx) error {
		if err := saveConfig(tx, cfg, true, now); err != nil {
			return err
		}
		return saveRevision(tx, cfg, rev, now)
	})
	if err != nil {
		return nil, err
	}
	return cfg, nil
}

// storedRevision is a revision's document.
type storedRevision struct {
	Created     time.Time `json:"created"`
	Description string    `json:"description,omitempty"`
	Data        string    `json:"data"`
}

func saveConfig(tx store.Tx, cfg *Configuration, create bool, now time.Time) error {
	doc, err := json.Marshal(struct {
		*Configuration
		Region string `json:"region"`
	}{cfg, cfg.Region})
	if err != nil {
		return err
	}
	return tx.PutMQRecord(store.MQRecord{Kind: store.MQConfiguration, Region: cfg.Region, ID: cfg.ID, Created: cfg.Created, Document: doc}, create, now)
}

func saveRevision(tx store.Tx, cfg *Configuration, rev Revision, now time.Time) error {
	doc, err := json.Marshal(storedRevision{Created: rev.Created, Description: rev.Description, Data: rev.Data})
	if err != nil {
		return err
	}
	return tx.PutMQRecord(store.MQRecord{Kind: store.MQRevision, Region: cfg.Region, Parent: cfg.ID, ID: revisionKey(rev.Revision),
		Created: rev.Created, Document: doc}, true, now)
}

func loadConfig(tx store.Tx, region, id string, now time.Time) (*Configuration, error) {
	r, err := tx.MQRecord(store.MQConfiguration, region, "", id, now)
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound("configuration-id", "configuration", id)
	}
	if err != nil {
		return nil, err
	}
	return decodeConfig(r)
}

func decodeConfig(r store.MQRecord) (*Configuration, error) {
	var cfg Configuration
	if err := json.Unmarshal(r.Document, &cfg); err != nil {
		return nil, fmt.Errorf("mq: configuration %s: %w", r.ID, err)
	}
	cfg.Region = r.Region
	if cfg.Tags == nil {
		cfg.Tags = map[string]string{}
	}
	return &cfg, nil
}

// resolveRevision loads the configuration id names and checks that its
// revision exists (0: the latest).
func (s *Service) resolveRevision(tx store.Tx, region string, id ConfigurationID, now time.Time) (*Configuration, error) {
	cfg, err := loadConfig(tx, region, id.ID, now)
	if errors.Is(err, ErrNotFound) {
		return nil, badRequest("configuration", "Configuration [%s] does not exist.", clip(id.ID))
	}
	if err != nil {
		return nil, err
	}
	if id.Revision < 0 || id.Revision > cfg.Latest.Revision {
		return nil, badRequest("configuration", "Configuration %s has no revision %d.", cfg.ID, id.Revision)
	}
	return cfg, nil
}

// DescribeConfiguration returns a configuration.
func (s *Service) DescribeConfiguration(ctx context.Context, c *Caller, id string) (*Configuration, error) {
	var out *Configuration
	err := s.st.View(ctx, c.account(), func(tx store.Tx) error {
		var err error
		out, err = loadConfig(tx, c.region(), id, s.now().UTC())
		return err
	})
	return out, err
}

// ConfigurationTags returns a configuration's ARN and tags; ok is false
// when it does not exist.
func (s *Service) ConfigurationTags(ctx context.Context, account, region, id string) (string, map[string]string, bool) {
	var cfg *Configuration
	err := s.st.View(ctx, account, func(tx store.Tx) error {
		var err error
		cfg, err = loadConfig(tx, region, id, s.now().UTC())
		return err
	})
	if err != nil {
		return "", nil, false
	}
	return cfg.Arn, cfg.Tags, true
}

// ListConfigurations lists the configurations of the caller's region.
func (s *Service) ListConfigurations(ctx context.Context, c *Caller, maxResults int, token string) (Page[Configuration], error) {
	o, err := pageOptions(maxResults, token)
	if err != nil {
		return Page[Configuration]{}, err
	}
	var out Page[Configuration]
	err = s.st.View(ctx, c.account(), func(tx store.Tx) error {
		p, err := listRecords(tx, store.MQListOptions{Kind: store.MQConfiguration, Region: c.region(), Now: s.now().UTC(), Marker: o.Marker, MaxItems: o.MaxItems})
		if err != nil {
			return err
		}
		out.Items, out.NextToken = make([]Configuration, 0, len(p.Items)), p.Marker
		for _, r := range p.Items {
			cfg, err := decodeConfig(r)
			if err != nil {
				return err
			}
			out.Items = append(out.Items, *cfg)
		}
		return nil
	})
	return out, err
}

// UpdateConfiguration adds a revision with new data (base64) and
// returns the configuration with it.
func (s *Service) UpdateConfiguration(ctx context.Context, c *Caller, id, data, description string) (*Configuration, error) {
	if data == "" {
		return nil, badRequest("data", "The data attribute is required.")
	}
	raw, err := base64.StdEncoding.DecodeString(data)
	if err != nil || len(raw) == 0 || len(raw) > MaxConfigData {
		return nil, badRequest("data", "The data must be base64 of 1 to %d bytes.", MaxConfigData)
	}
	if len(description) > MaxDescription {
		return nil, badRequest("description", "The description must be at most %d characters long.", MaxDescription)
	}
	now := s.now().UTC()
	var out *Configuration
	err = s.st.Update(ctx, c.account(), func(tx store.Tx) error {
		cfg, err := loadConfig(tx, c.region(), id, now)
		if err != nil {
			return err
		}
		cfg.Latest = Revision{Created: now, Description: description, Revision: cfg.Latest.Revision + 1}
		rev := cfg.Latest
		rev.Data = data
		if err := saveRevision(tx, cfg, rev, now); err != nil {
			return err
		}
		out = cfg
		return saveConfig(tx, cfg, false, now)
	})
	return out, err
}

// DeleteConfiguration deletes a configuration and its revisions; one that
// a broker uses may not be deleted.
func (s *Service) DeleteConfiguration(ctx context.Context, c *Caller, id string) error {
	now := s.now().UTC()
	return s.st.Update(ctx, c.account(), func(tx store.Tx) error {
		if _, err := loadConfig(tx, c.region(), id, now); err != nil {
			return err
		}
		if inUse, err := s.configInUse(tx, c.region(), id, now); err != nil || inUse != "" {
			if err == nil {
				err = refuse(ErrConflict, "configuration-id", "Configuration %s is in use by broker %s.", id, inUse)
			}
			return err
		}
		return tx.DeleteMQRecord(store.MQConfiguration, c.region(), "", id)
	})
}

// configInUse returns a broker of the region that uses configuration id.
func (s *Service) configInUse(tx store.Tx, region, id string, now time.Time) (string, error) {
	o := store.MQListOptions{Kind: store.MQBroker, Region: region, Now: now, MaxItems: store.MaxMaxItems}
	for {
		p, err := tx.MQRecords(o)
		if err != nil {
			return "", err
		}
		for _, r := range p.Items {
			var b broker
			if err := json.Unmarshal(r.Document, &b); err != nil {
				return "", err
			}
			if b.Configuration != nil && b.Configuration.ID == id || b.Pending.Configuration != nil && b.Pending.Configuration.ID == id {
				return b.ID, nil
			}
		}
		if p.Marker == "" {
			return "", nil
		}
		o.Marker = p.Marker
	}
}

// DescribeConfigurationRevision returns one revision with its data.
func (s *Service) DescribeConfigurationRevision(ctx context.Context, c *Caller, id, revision string) (Revision, error) {
	n, err := strconv.Atoi(revision)
	if err != nil || n < 1 || len(revision) > 9 {
		return Revision{}, badRequest("configuration-revision", "The revision [%s] is not a positive whole number.", clip(revision))
	}
	var out Revision
	err = s.st.View(ctx, c.account(), func(tx store.Tx) error {
		if _, err := loadConfig(tx, c.region(), id, s.now().UTC()); err != nil {
			return err
		}
		r, err := tx.MQRecord(store.MQRevision, c.region(), id, revisionKey(n), s.now().UTC())
		if errors.Is(err, store.ErrNotFound) {
			return notFound("configuration-revision", "revision", revision)
		}
		if err != nil {
			return err
		}
		out, err = decodeRevision(r)
		return err
	})
	return out, err
}

func decodeRevision(r store.MQRecord) (Revision, error) {
	var sr storedRevision
	if err := json.Unmarshal(r.Document, &sr); err != nil {
		return Revision{}, fmt.Errorf("mq: revision %s: %w", r.ID, err)
	}
	n, _ := strconv.Atoi(r.ID)
	return Revision{Created: sr.Created, Description: sr.Description, Revision: n, Data: sr.Data}, nil
}

// ListConfigurationRevisions lists a configuration's revisions, oldest
// first.
func (s *Service) ListConfigurationRevisions(ctx context.Context, c *Caller, id string, maxResults int, token string) (Page[Revision], error) {
	o, err := pageOptions(maxResults, token)
	if err != nil {
		return Page[Revision]{}, err
	}
	var out Page[Revision]
	err = s.st.View(ctx, c.account(), func(tx store.Tx) error {
		now := s.now().UTC()
		if _, err := loadConfig(tx, c.region(), id, now); err != nil {
			return err
		}
		p, err := listRecords(tx, store.MQListOptions{Kind: store.MQRevision, Region: c.region(), Parent: id, Now: now, Marker: o.Marker, MaxItems: o.MaxItems})
		if err != nil {
			return err
		}
		out.Items, out.NextToken = make([]Revision, 0, len(p.Items)), p.Marker
		for _, r := range p.Items {
			rev, err := decodeRevision(r)
			if err != nil {
				return err
			}
			out.Items = append(out.Items, rev)
		}
		return nil
	})
	return out, err
}
