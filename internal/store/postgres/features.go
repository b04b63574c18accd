package postgres

import (
	"fmt"
	"net/url"
	"strings"
)

// features are the PostgreSQL features iamq uses when the database has
// them. PostgreSQL-compatible databases lack some (docs/deploy.md says
// which iamq needs and what it does without each); a store URL turns one off
// with its parameter set to "off":
//
//	iamq_notify=off           no LISTEN/NOTIFY: nodes read the change sequence every second
//	iamq_advisory_locks=off   no advisory locks: writers lock one row, migrations retry
type features struct {
	notify        bool // LISTEN and NOTIFY
	advisoryLocks bool // pg_advisory_lock and pg_advisory_xact_lock
}

// The URL parameters that turn features off.
const (
	paramNotify        = "iamq_notify"
	paramAdvisoryLocks = "iamq_advisory_locks"
)

// splitFeatures removes iamq's own parameters from a postgres:// URL (the
// server would refuse them as unknown settings) and returns the features
// they leave on.
func splitFeatures(raw string) (string, features, error) {
	f := features{notify: true, advisoryLocks: true}
	if !strings.HasPrefix(raw, "postgres://") && !strings.HasPrefix(raw, "postgresql://") {
		return raw, f, nil // a key=value connection string: every feature on
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", f, fmt.Errorf("invalid URL: %w", err)
	}
	q := u.Query()
	for _, p := range []struct {
		name string
		on   *bool
	}{{paramNotify, &f.notify}, {paramAdvisoryLocks, &f.advisoryLocks}} {
		if !q.Has(p.name) {
			continue
		}
		switch v := q.Get(p.name); v {
		case "on":
		case "off":
			*p.on = false
		default:
			return "", f, fmt.Errorf("%s=%q: use on or off", p.name, v)
		}
		q.Del(p.name)
	}
	u.RawQuery = q.Encode()
	return u.String(), f, nil
}
