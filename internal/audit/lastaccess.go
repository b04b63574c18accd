package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/iamq/iamq/internal/store"
)

// ServiceAccess is IAM's last-accessed data for one service, computed from
// the log: when an entity last tried to use it (allowed or denied, as AWS
// counts "attempts"), which entity, from which region, how many entities,
// and, for the services whose actions AWS tracks, per action.
type ServiceAccess struct {
	Namespace string // "iam"
	Last      time.Time
	Entity    string // the entity of the latest call (as Entity keys it)
	Region    string
	Entities  int // how many of the entities asked about used it
	Actions   []ActionAccess
}

// ActionAccess is the last-accessed data of one action.
type ActionAccess struct {
	Name   string // "CreateUser", without the service prefix
	Last   time.Time
	Entity string
	Region string
}

// EntityAccess is when one entity last used a service.
type EntityAccess struct {
	Entity string
	Last   time.Time
}

// actionTracked are the services whose last-accessed data AWS gives per
// action (IAM User Guide, "Refining permissions in AWS using last accessed
// information": IAM, Amazon EC2, AWS Lambda and Amazon S3 management
// actions).
var actionTracked = map[string]bool{"iam": true, "ec2": true, "lambda": true, "s3": true}

// ActionTracked reports whether the service's last-accessed data is given
// per action.
func ActionTracked(namespace string) bool { return actionTracked[namespace] }

// LastAccessed flushes the log and sums up which services the entities
// (keys as Entity makes them) of account tried to use, by service
// namespace. Services appear in namespace order.
func (l *Log) LastAccessed(ctx context.Context, account string, entities []string) ([]ServiceAccess, error) {
	accs, err := l.accesses(ctx, account, entities)
	if err != nil {
		return nil, err
	}
	by := map[string]*ServiceAccess{}
	users := map[string]map[string]bool{}
	var order []string
	for _, a := range accs {
		s := by[a.Service]
		if s == nil {
			s = &ServiceAccess{Namespace: a.Service}
			by[a.Service], users[a.Service] = s, map[string]bool{}
			order = append(order, a.Service)
		}
		users[a.Service][a.Entity] = true
		if a.Last.After(s.Last) {
			s.Last, s.Entity, s.Region = a.Last, a.Entity, a.Region
		}
		if ActionTracked(a.Service) {
			s.Actions = addAction(s.Actions, a)
		}
	}
	sort.Strings(order)
	out := make([]ServiceAccess, 0, len(order))
	for _, ns := range order {
		s := by[ns]
		s.Entities = len(users[ns])
		sort.Slice(s.Actions, func(i, j int) bool { return s.Actions[i].Name < s.Actions[j].Name })
		out = append(out, *s)
	}
	return out, nil
}

// addAction merges one entity's use of an action into the list.
func addAction(list []ActionAccess, a store.AuditAccess) []ActionAccess {
	name := strings.TrimPrefix(a.Action, a.Service+":") // iam:CreateUser → CreateUser
	for i := range list {
		if strings.EqualFold(list[i].Name, name) {
			if a.Last.After(list[i].Last) {
				list[i] = ActionAccess{Name: name, Last: a.Last, Entity: a.Entity, Region: a.Region}
			}
			return list
		}
	}
	return append(list, ActionAccess{Name: name, Last: a.Last, Entity: a.Entity, Region: a.Region})
}

// EntitiesAccessed flushes the log and returns, for the service namespace,
// when each of the entities last tried to use it, most recent first.
func (l *Log) EntitiesAccessed(ctx context.Context, account string, entities []string, namespace string) ([]EntityAccess, error) {
	accs, err := l.accesses(ctx, account, entities)
	if err != nil {
		return nil, err
	}
	last := map[string]time.Time{}
	for _, a := range accs {
		if a.Service == namespace && a.Last.After(last[a.Entity]) {
			last[a.Entity] = a.Last
		}
	}
	out := make([]EntityAccess, 0, len(last))
	for e, t := range last {
		out = append(out, EntityAccess{Entity: e, Last: t})
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Last.Equal(out[j].Last) {
			return out[i].Last.After(out[j].Last)
		}
		return out[i].Entity < out[j].Entity
	})
	return out, nil
}

// Accesses flushes the log and returns the store's sums of the entities'
// calls since a time, per entity and action: what policy generation reads.
func (l *Log) Accesses(ctx context.Context, account string, entities []string, since time.Time) ([]store.AuditAccess, error) {
	if l.o.Store == nil {
		return nil, nil
	}
	if err := l.Flush(ctx); err != nil {
		return nil, err
	}
	return l.o.Store.AuditAccesses(ctx, account, entities, since)
}

func (l *Log) accesses(ctx context.Context, account string, entities []string) ([]store.AuditAccess, error) {
	if len(entities) == 0 {
		return nil, nil
	}
	return l.Accesses(ctx, account, entities, time.Time{})
}

// Call is one authorized call of a record: its action and resource.
type Call struct {
	Action   string
	Resource string
}

// Calls returns the calls the records were authorized for (allowed, denied
// or let through by soft enforcement), in order: what a least-privilege
// policy must allow. Records without an authorization (no policy decided
// them) are left out.
func Calls(records []store.AuditRecord) ([]Call, error) {
	var out []Call
	for _, r := range records {
		var ev struct {
			Authorization *Authorization `json:"authorization"`
		}
		if err := json.Unmarshal(r.Event, &ev); err != nil {
			return nil, fmt.Errorf("audit: record %s: %w", r.ID, err)
		}
		if a := ev.Authorization; a != nil && a.Action != "" {
			out = append(out, Call{Action: a.Action, Resource: a.Resource})
		}
	}
	return out, nil
}
