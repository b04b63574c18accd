package main

import (
	"log/slog"
	"time"

	"github.com/iamq/iamq/internal/authz"
	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/mq"
	"github.com/iamq/iamq/internal/store"
)

// mqService is the Amazon MQ control plane over st, and the check IAM's
// DeleteServiceLinkedRole asks whether brokers still use Amazon MQ's
// service-linked role (iam declares the hook; iam does not import mq).
// IAMQ_MQ_DELAY, a Go duration ("1s", "0s" for none), sets how long each
// step of a broker's life cycle takes (default 1s).
func mqService(st store.Store, svc *iam.Service, az *authz.Authorizer, log *slog.Logger, env func(string) string) (*mq.Service, error) {
	o := mq.Options{Logger: log}
	if s := env("IAMQ_MQ_DELAY"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d < 0 {
			return nil, usagef("iamq serve: IAMQ_MQ_DELAY must be a duration such as 1s or 0s, not %q", s)
		}
		if d == 0 {
			d = -1 // no time at all
		}
		o.CreateDelay, o.RebootDelay, o.DeleteDelay = d, d, d
	}
	m := mq.New(st, svc, az, o)
	svc.SetRoleInUse(mq.ServicePrincipal, m.RoleInUse)
	return m, nil
}
