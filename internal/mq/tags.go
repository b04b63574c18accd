package mq

import (
	"context"
	"maps"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/internal/store"
)

// This file holds the tags of brokers and configurations (CreateTags,
// DeleteTags, ListTags), addressed by ARN.

// Resource is the broker or configuration an ARN of the caller's account
// names; ok is false for anything else.
func Resource(s, account string) (r arn.MQResource, region string, ok bool) {
	a, ok := arn.Split(s)
	if !ok || a.Partition != arn.PartitionAWS || a.Account != account || a.Region == "" {
		return arn.MQResource{}, "", false
	}
	r, ok = a.MQ()
	return r, a.Region, ok
}

// retag changes the tags of the resource resourceARN names.
func (s *Service) retag(ctx context.Context, c *Caller, resourceARN string, fn func(map[string]string) (map[string]string, error)) error {
	r, region, ok := Resource(resourceARN, c.account())
	if !ok {
		return badRequest("resource-arn", "The resource ARN [%s] does not name a broker or configuration of this account.", clip(resourceARN))
	}
	now := s.now().UTC()
	return s.st.Update(ctx, c.account(), func(tx store.Tx) error {
		if r.Type == arn.TypeMQConfiguration {
			cfg, err := loadConfig(tx, region, r.ID, now)
			if err != nil {
				return err
			}
			if cfg.Tags, err = fn(maps.Clone(cfg.Tags)); err != nil {
				return err
			}
			return saveConfig(tx, cfg, false, now)
		}
		b, err := loadBroker(tx, region, r.ID, now)
		if err != nil {
			return err
		}
		if b.Tags, err = fn(maps.Clone(b.Tags)); err != nil {
			return err
		}
		return s.saveBroker(tx, b, false, now)
	})
}

// CreateTags adds or replaces tags.
func (s *Service) CreateTags(ctx context.Context, c *Caller, resourceARN string, tags map[string]string) error {
	if err := checkTags(tags, "tags"); err != nil {
		return err
	}
	return s.retag(ctx, c, resourceARN, func(old map[string]string) (map[string]string, error) {
		if old == nil {
			old = map[string]string{}
		}
		maps.Copy(old, tags)
		return old, checkTags(old, "tags")
	})
}

// DeleteTags removes tags by key; absent keys are ignored.
func (s *Service) DeleteTags(ctx context.Context, c *Caller, resourceARN string, keys []string) error {
	if len(keys) == 0 || len(keys) > MaxTags {
		return badRequest("tagKeys", "Give 1 to %d tag keys.", MaxTags)
	}
	return s.retag(ctx, c, resourceARN, func(old map[string]string) (map[string]string, error) {
		for _, k := range keys {
			delete(old, k)
		}
		return old, nil
	})
}

// ListTags returns a resource's tags.
func (s *Service) ListTags(ctx context.Context, c *Caller, resourceARN string) (map[string]string, error) {
	r, region, ok := Resource(resourceARN, c.account())
	if !ok {
		return nil, badRequest("resource-arn", "The resource ARN [%s] does not name a broker or configuration of this account.", clip(resourceARN))
	}
	var tags map[string]string
	now := s.now().UTC()
	err := s.st.View(ctx, c.account(), func(tx store.Tx) error {
		if r.Type == arn.TypeMQConfiguration {
			cfg, err := loadConfig(tx, region, r.ID, now)
			if err == nil {
				tags = cfg.Tags
			}
			return err
		}
		b, err := loadBroker(tx, region, r.ID, now)
		if err == nil {
			tags = b.Tags
		}
		return err
	})
	if tags == nil {
		tags = map[string]string{}
	}
	return tags, err
}

// ResourceTags returns the ARN as stored and the tags of the broker or
// configuration resourceARN names, for authorizing a tag call on it; ok is
// false when there is none.
func (s *Service) ResourceTags(ctx context.Context, account, resourceARN string) (string, map[string]string, bool) {
	r, region, ok := Resource(resourceARN, account)
	if !ok {
		return "", nil, false
	}
	if r.Type == arn.TypeMQConfiguration {
		return s.ConfigurationTags(ctx, account, region, r.ID)
	}
	return s.BrokerTags(ctx, account, region, r.ID)
}
