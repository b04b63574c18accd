package main

import (
	"log/slog"

	"github.com/iamq/iamq/internal/authz"
	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/mq"
	"github.com/iamq/iamq/internal/store"
)

// mqService is the Amazon MQ control plane over st, and the check IAM's
// DeleteServiceLinkedRole asks whether brokers still use Amazon MQ's
// service-linked role (iam declares the hook; iam does not import mq).
func mqService(st store.Store, svc *iam.Service, az *authz.Authorizer, log *slog.Logger) *mq.Service {
	m := mq.New(st, svc, az, mq.Options{Logger: log})
	svc.SetRoleInUse(mq.ServicePrincipal, m.RoleInUse)
	return m
}
