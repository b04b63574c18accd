package mq

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/iamq/iamq/internal/store"
)

// This file holds the broker users of ActiveMQ brokers. As in Amazon MQ, a
// change to a user (create, update, delete) is pending until the broker's
// next reboot ("Amazon MQ for ActiveMQ users": changes take effect after
// a reboot); DescribeUser shows the pending values, ListUsers and
// DescribeBroker the pending change.

// User is a broker user as DescribeUser returns it.
type User struct {
	BrokerID        string       `json:"brokerId"`
	ConsoleAccess   bool         `json:"consoleAccess"`
	Groups          []string     `json:"groups"`
	Pending         *UserPending `json:"pending,omitempty"`
	Username        string       `json:"username"`
	ReplicationUser bool         `json:"replicationUser"`
}

// UserPending is a user's pending change (UserPendingChanges).
type UserPending struct {
	ConsoleAccess bool       `json:"consoleAccess"`
	Groups        []string   `json:"groups"`
	PendingChange ChangeType `json:"pendingChange"`
}

// newUsers checks CreateBroker's users: an ActiveMQ broker with simple
// authentication needs at least one, a RabbitMQ broker exactly one. They
// are in effect at once.
func newUsers(b *broker, in []UserInput, now time.Time) ([]*user, error) {
	switch {
	case len(in) > MaxUsersOnCreate:
		return nil, badRequest("users", "A broker can have at most %d users.", MaxUsersOnCreate)
	case b.AuthenticationStrategy == AuthSimple && len(in) == 0:
		return nil, badRequest("users", "A broker with the SIMPLE authentication strategy needs at least one user.")
	case b.EngineType == RabbitMQ && len(in) > 1:
		return nil, badRequest("users", "A RabbitMQ broker is created with exactly one user.")
	}
	seen := map[string]bool{}
	out := make([]*user, 0, len(in))
	for i := range in {
		u := &in[i]
		if err := checkUser(b.EngineType, u, true); err != nil {
			return nil, err
		}
		if seen[u.Username] {
			return nil, badRequest("users", "The username %s is given twice.", u.Username)
		}
		seen[u.Username] = true
		out = append(out, &user{Username: u.Username, ConsoleAccess: isTrue(u.ConsoleAccess), Groups: u.Groups,
			ReplicationUser: isTrue(u.ReplicationUser), Changed: now})
	}
	return out, nil
}

func saveUser(tx store.Tx, b *broker, u *user, create bool, now time.Time) error {
	doc, err := json.Marshal(u)
	if err != nil {
		return err
	}
	err = tx.PutMQRecord(store.MQRecord{Kind: store.MQUser, Region: b.Region, Parent: b.ID, ID: u.Username, Created: now, Document: doc}, create, now)
	if errors.Is(err, store.ErrAlreadyExists) {
		return refuse(ErrConflict, "username", "User %s already exists on broker %s.", u.Username, b.ID)
	}
	return err
}

// settleUser applies u's pending change if the broker has rebooted since;
// gone reports a user whose deletion has taken effect.
func (s *Service) settleUser(b *broker, u *user, now time.Time) (gone bool) {
	if u.Change == "" || !s.rebooted(b, u.Changed, now) {
		return false
	}
	switch u.Change {
	case ChangeDelete:
		return true
	case ChangeCreate, ChangeUpdate:
		if p := u.PendingValues; p != nil {
			if p.ConsoleAccess != nil {
				u.ConsoleAccess = *p.ConsoleAccess
			}
			if p.Groups != nil {
				u.Groups = p.Groups
			}
			if p.ReplicationUser != nil {
				u.ReplicationUser = *p.ReplicationUser
			}
		}
	}
	u.Change, u.PendingValues = "", nil
	return false
}

// userSummaries lists all of b's users as DescribeBroker shows them.
func (s *Service) userSummaries(tx store.Tx, b *broker, now time.Time) ([]UserSummary, error) {
	var out []UserSummary
	o := store.MQListOptions{Kind: store.MQUser, Region: b.Region, Parent: b.ID, Now: now, MaxItems: store.MaxMaxItems}
	for {
		p, err := tx.MQRecords(o)
		if err != nil {
			return nil, err
		}
		for _, r := range p.Items {
			u, err := decodeUser(r)
			if err != nil {
				return nil, err
			}
			if !s.settleUser(b, u, now) {
				out = append(out, UserSummary{Username: u.Username, PendingChange: u.Change})
			}
		}
		if p.Marker == "" {
			return out, nil
		}
		o.Marker = p.Marker
	}
}

func decodeUser(r store.MQRecord) (*user, error) {
	var u user
	if err := json.Unmarshal(r.Document, &u); err != nil {
		return nil, fmt.Errorf("mq: user %s: %w", r.ID, err)
	}
	return &u, nil
}

// activeMQBroker loads a broker whose users the users API manages.
func activeMQBroker(tx store.Tx, region, id string, now time.Time) (*broker, error) {
	b, err := loadBroker(tx, region, id, now)
	if err != nil {
		return nil, err
	}
	if b.EngineType != ActiveMQ {
		return nil, badRequest("broker-id", "Broker [%s] is a RabbitMQ broker: its users are managed in RabbitMQ, not with this API.", id)
	}
	return b, nil
}

// loadUser loads a settled user of b; gone users are not found.
func (s *Service) loadUser(tx store.Tx, b *broker, name string, now time.Time) (*user, error) {
	r, err := tx.MQRecord(store.MQUser, b.Region, b.ID, name, now)
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound("username", "user", name)
	}
	if err != nil {
		return nil, err
	}
	u, err := decodeUser(r)
	if err != nil {
		return nil, err
	}
	if s.settleUser(b, u, now) {
		return nil, notFound("username", "user", name)
	}
	return u, nil
}

// CreateUser adds a user to an ActiveMQ broker, pending until its next
// reboot.
func (s *Service) CreateUser(ctx context.Context, c *Caller, brokerID string, in *UserInput) error {
	now := s.now().UTC()
	return s.st.Update(ctx, c.account(), func(tx store.Tx) error {
		b, err := activeMQBroker(tx, c.region(), brokerID, now)
		if err != nil {
			return err
		}
		if err := checkUser(b.EngineType, in, true); err != nil {
			return err
		}
		old, err := s.loadUser(tx, b, in.Username, now)
		if err == nil && old.Change != ChangeDelete {
			return refuse(ErrConflict, "username", "User %s already exists on broker %s.", in.Username, b.ID)
		} else if err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		values := *in
		values.Password = ""
		u := &user{Username: in.Username, Change: ChangeCreate, PendingValues: &values, Changed: now}
		if old != nil {
			// Re-created before the deletion took effect.
			return saveUser(tx, b, u, false, now)
		}
		if _, err := tx.MQRecord(store.MQUser, b.Region, b.ID, in.Username, now); err == nil {
			if err := tx.DeleteMQRecord(store.MQUser, b.Region, b.ID, in.Username); err != nil {
				return err
			}
		}
		return saveUser(tx, b, u, true, now)
	})
}

// UpdateUser changes a user, pending until the broker's next reboot.
func (s *Service) UpdateUser(ctx context.Context, c *Caller, brokerID string, in *UserInput) error {
	now := s.now().UTC()
	return s.st.Update(ctx, c.account(), func(tx store.Tx) error {
		b, err := activeMQBroker(tx, c.region(), brokerID, now)
		if err != nil {
			return err
		}
		if err := checkUser(b.EngineType, in, false); err != nil {
			return err
		}
		u, err := s.loadUser(tx, b, in.Username, now)
		if err != nil {
			return err
		}
		if u.Change == ChangeDelete {
			return badRequest("username", "User %s is being deleted.", in.Username)
		}
		values := *in
		values.Password = ""
		if u.PendingValues != nil {
			values = mergeUser(*u.PendingValues, values)
		}
		if u.Change != ChangeCreate {
			u.Change = ChangeUpdate
		}
		u.PendingValues, u.Changed = &values, now
		return saveUser(tx, b, u, false, now)
	})
}

func mergeUser(old, in UserInput) UserInput {
	if in.ConsoleAccess == nil {
		in.ConsoleAccess = old.ConsoleAccess
	}
	if in.Groups == nil {
		in.Groups = old.Groups
	}
	if in.ReplicationUser == nil {
		in.ReplicationUser = old.ReplicationUser
	}
	return in
}

// DeleteUser deletes a user at the broker's next reboot.
func (s *Service) DeleteUser(ctx context.Context, c *Caller, brokerID, name string) error {
	now := s.now().UTC()
	return s.st.Update(ctx, c.account(), func(tx store.Tx) error {
		b, err := activeMQBroker(tx, c.region(), brokerID, now)
		if err != nil {
			return err
		}
		u, err := s.loadUser(tx, b, name, now)
		if err != nil {
			return err
		}
		if u.Change == ChangeCreate {
			// Never in effect: it just goes.
			return tx.DeleteMQRecord(store.MQUser, b.Region, b.ID, name)
		}
		u.Change, u.PendingValues, u.Changed = ChangeDelete, nil, now
		return saveUser(tx, b, u, false, now)
	})
}

// DescribeUser returns a user with its pending change.
func (s *Service) DescribeUser(ctx context.Context, c *Caller, brokerID, name string) (*User, error) {
	now := s.now().UTC()
	var out *User
	err := s.st.View(ctx, c.account(), func(tx store.Tx) error {
		b, err := activeMQBroker(tx, c.region(), brokerID, now)
		if err != nil {
			return err
		}
		u, err := s.loadUser(tx, b, name, now)
		if err != nil {
			return err
		}
		out = &User{BrokerID: b.ID, ConsoleAccess: u.ConsoleAccess, Groups: u.Groups, Username: u.Username, ReplicationUser: u.ReplicationUser}
		if out.Groups == nil {
			out.Groups = []string{}
		}
		if u.Change != "" {
			p := &UserPending{PendingChange: u.Change, Groups: []string{}}
			if v := u.PendingValues; v != nil {
				p.ConsoleAccess = isTrue(v.ConsoleAccess)
				if v.Groups != nil {
					p.Groups = v.Groups
				}
			}
			out.Pending = p
		}
		return nil
	})
	return out, err
}

// ListUsers lists a broker's users by name.
func (s *Service) ListUsers(ctx context.Context, c *Caller, brokerID string, maxResults int, token string) (Page[UserSummary], error) {
	o, err := pageOptions(maxResults, token)
	if err != nil {
		return Page[UserSummary]{}, err
	}
	now := s.now().UTC()
	var out Page[UserSummary]
	err = s.st.View(ctx, c.account(), func(tx store.Tx) error {
		b, err := activeMQBroker(tx, c.region(), brokerID, now)
		if err != nil {
			return err
		}
		p, err := listRecords(tx, store.MQListOptions{Kind: store.MQUser, Region: b.Region, Parent: b.ID, Now: now, Marker: o.Marker, MaxItems: o.MaxItems})
		if err != nil {
			return err
		}
		out.Items, out.NextToken = []UserSummary{}, p.Marker
		for _, r := range p.Items {
			u, err := decodeUser(r)
			if err != nil {
				return err
			}
			if !s.settleUser(b, u, now) {
				out.Items = append(out.Items, UserSummary{Username: u.Username, PendingChange: u.Change})
			}
		}
		return nil
	})
	return out, err
}
