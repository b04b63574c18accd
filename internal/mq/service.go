package mq

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/iamq/iamq/eval"
	"github.com/iamq/iamq/internal/authz"
	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/store"
)

// The life cycle's default durations: fast, since nothing boots.
const (
	DefaultCreateDelay = time.Second
	DefaultRebootDelay = time.Second
	DefaultDeleteDelay = time.Second
)

// Options configure a Service. The zero value is the default.
type Options struct {
	// Now is the clock the life cycle follows; nil means time.Now.
	Now func() time.Time
	// CreateDelay, RebootDelay and DeleteDelay are how long a broker stays
	// CREATION_IN_PROGRESS, REBOOT_IN_PROGRESS and DELETION_IN_PROGRESS;
	// zero means the defaults, negative means no time at all.
	CreateDelay, RebootDelay, DeleteDelay time.Duration
	// Logger receives operational logs; nil discards them.
	Logger *slog.Logger
}

// Service is the Amazon MQ control plane over a store. Safe for concurrent
// use.
type Service struct {
	st                   store.Store
	iam                  *iam.Service
	az                   *authz.Authorizer
	now                  func() time.Time
	create, reboot, gone time.Duration
	log                  *slog.Logger
}

// New returns the service. iamSvc creates the service-linked role; az,
// when not nil, authorizes the further actions a call needs and what the
// service does through its role (nil: nothing beyond the operation's own
// action is checked).
func New(st store.Store, iamSvc *iam.Service, az *authz.Authorizer, o Options) *Service {
	s := &Service{st: st, iam: iamSvc, az: az, now: o.Now, log: o.Logger,
		create: delay(o.CreateDelay, DefaultCreateDelay), reboot: delay(o.RebootDelay, DefaultRebootDelay),
		gone: delay(o.DeleteDelay, DefaultDeleteDelay)}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s
}

func delay(d, def time.Duration) time.Duration {
	switch {
	case d == 0:
		return def
	case d < 0:
		return 0
	}
	return d
}

// Caller is who makes a call and what the request says about its context:
// Info.Region is the region the call is in.
type Caller struct {
	Principal authz.Principal
	Info      authz.RequestInfo
}

func (c *Caller) account() string { return c.Principal.Account }
func (c *Caller) region() string  { return c.Info.Region }

// authorize asks the authorizer whether the caller may also do action on
// resource; keys adds the condition keys (nil: none).
func (s *Service) authorize(ctx context.Context, c *Caller, action, resource string, keys func(*eval.Context)) error {
	if s.az == nil {
		return nil
	}
	p := c.Principal
	return s.az.Authorize(ctx, &p, &authz.Request{Action: action, Resource: resource, Info: c.Info, Keys: keys})
}

// loadBroker reads a live broker of the caller's region.
func loadBroker(tx store.Tx, region, id string, now time.Time) (*broker, error) {
	r, err := tx.MQRecord(store.MQBroker, region, "", id, now)
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound("broker-id", "broker", id)
	}
	if err != nil {
		return nil, err
	}
	var b broker
	if err := json.Unmarshal(r.Document, &b); err != nil {
		return nil, fmt.Errorf("mq: broker %s: %w", id, err)
	}
	return &b, nil
}

// saveBroker writes b (create: a new one).
func (s *Service) saveBroker(tx store.Tx, b *broker, create bool, now time.Time) error {
	doc, err := json.Marshal(b)
	if err != nil {
		return err
	}
	r := store.MQRecord{Kind: store.MQBroker, Region: b.Region, ID: b.ID, Name: b.Name, Created: b.Created, Document: doc}
	if !b.Deleted.IsZero() {
		r.Expires = b.Deleted.Add(max(s.gone, time.Nanosecond))
	}
	err = tx.PutMQRecord(r, create, now)
	if errors.Is(err, store.ErrAlreadyExists) {
		return refuse(ErrConflict, "brokerName", "A broker named %s already exists in this account and region. Retry with another name.", b.Name)
	}
	return err
}
