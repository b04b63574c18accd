package iam

import (
	"context"
	"fmt"
	"time"

	"github.com/iamq/iamq/internal/store"
)

// ServiceCredStyle says what a service's credentials consist of.
type ServiceCredStyle int

// The two styles of service-specific credential: a user name and password
// (CodeCommit's Git credentials, Amazon Keyspaces), or an API key's alias
// and secret, which may expire (Amazon Bedrock and CloudWatch Logs API keys;
// CreateServiceSpecificCredential's CredentialAgeDays and
// ServiceCredentialAlias/ServiceCredentialSecret members).
const (
	StylePassword ServiceCredStyle = iota
	StyleAPIKey
)

// serviceCredServices are the services that take service-specific
// credentials (IAM API Reference, CreateServiceSpecificCredential: "Amazon
// Bedrock, Amazon CloudWatch Logs, CodeCommit and Amazon Keyspaces (for
// Apache Cassandra)"), by their service principal.
var serviceCredServices = map[string]ServiceCredStyle{
	"codecommit.amazonaws.com": StylePassword,
	"cassandra.amazonaws.com":  StylePassword,
	"bedrock.amazonaws.com":    StyleAPIKey,
	"logs.amazonaws.com":       StyleAPIKey,
}

// Lengths of generated secrets: CodeCommit's Git passwords are 44
// base64 characters (IAM API Reference example); API keys' secrets iamq
// makes as long.
const (
	servicePasswordLength = 44
	maxServiceName        = 128
	maxCredentialAgeDays  = 36600
)

// ServiceCredential is a service-specific credential as the operations
// answer it: Secret set only on create and reset, Style telling whether it
// is a password (ServicePassword) or an API key's secret
// (ServiceCredentialSecret).
type ServiceCredential struct {
	Credential
	Style ServiceCredStyle
}

func svcCredNotFound(id string) error {
	return noSuchEntity("No such credential %s exists", id)
}

// checkService returns the style of a supported service, NotSupportedService
// otherwise.
func checkService(service string) (ServiceCredStyle, error) {
	style, ok := serviceCredServices[service]
	if !ok {
		if len(service) > maxServiceName {
			service = service[:maxServiceName] + "…"
		}
		return 0, refuse(ErrServiceNotSupported, "The specified service %s does not support service-specific credentials.", service)
	}
	return style, nil
}

// withStyle marks credentials with their service's style and an expired
// one's status Expired.
func withStyle(c Credential, now time.Time) ServiceCredential {
	if !c.Expires.IsZero() && now.After(c.Expires) {
		c.Status = "Expired"
	}
	return ServiceCredential{Credential: c, Style: serviceCredServices[c.Service]}
}

// CreateServiceSpecificCredential makes a credential of user for service (2
// per user and service). ageDays (0: never expires) is only for API keys.
func (s *Service) CreateServiceSpecificCredential(ctx context.Context, account, user, service string, ageDays int) (ServiceCredential, error) {
	var v Validation
	v.Name(FieldUserName, user, MaxUserName)
	if ageDays != 0 {
		v.Range(FieldCredentialAge, ageDays, 1, maxCredentialAgeDays)
	}
	if err := v.Err(); err != nil {
		return ServiceCredential{}, err
	}
	style, err := checkService(service)
	if err != nil {
		return ServiceCredential{}, err
	}
	if ageDays != 0 && style != StyleAPIKey {
		return ServiceCredential{}, refuse(ErrInvalidInput, "CredentialAgeDays is only valid for Bedrock and CloudWatch Logs API keys.")
	}
	now := s.now().UTC()
	c := store.Credential{Kind: store.CredService, Owner: userRef(user), Service: service, Created: now,
		Secret: store.NewCredentialSecret(servicePasswordLength)}
	if ageDays != 0 {
		c.Expires = now.Add(time.Duration(ageDays) * 24 * time.Hour)
	}
	err = s.store.Update(ctx, account, func(tx store.Tx) error {
		u, err := tx.User(user)
		if err != nil {
			return err
		}
		// ServiceUserName: "the IAM user's name combined with the ID number
		// of the account, as in jane-at-123456789012"; an API key's alias
		// adds the time of creation.
		c.ServiceUser = fmt.Sprintf("%s-at-%s", u.Name, account)
		if style == StyleAPIKey {
			c.ServiceUser += fmt.Sprintf("+%d", now.Unix())
		}
		c, err = tx.CreateCredential(c)
		return err
	})
	return ServiceCredential{Credential: c, Style: style}, err
}

// ListServiceSpecificCredentials lists user's credentials (every user's
// when allUsers), of service when it is not "".
func (s *Service) ListServiceSpecificCredentials(ctx context.Context, account, user, service string, allUsers bool, in ListInput) (Page[ServiceCredential], error) {
	if allUsers && user != "" {
		return Page[ServiceCredential]{}, refuse(ErrInvalidInput, "AllUsers cannot be specified together with UserName.")
	}
	if service != "" {
		if _, err := checkService(service); err != nil {
			return Page[ServiceCredential]{}, err
		}
	}
	owner := userRef(user)
	if allUsers {
		owner = store.EntityRef{}
	}
	p, err := s.listCredentials(ctx, account, store.CredService, owner, service, in)
	if err != nil {
		return Page[ServiceCredential]{}, err
	}
	out := Page[ServiceCredential]{Items: make([]ServiceCredential, len(p.Items)), IsTruncated: p.IsTruncated, Marker: p.Marker}
	for i, c := range p.Items {
		out.Items[i] = withStyle(c, s.now())
	}
	return out, nil
}

// ownServiceCred validates a credential operation's user and id and runs fn
// on the credential inside a write transaction.
func (s *Service) ownServiceCred(ctx context.Context, account, user, id string, fn func(tx store.Tx, c Credential) error) error {
	var v Validation
	v.Name(FieldUserName, user, MaxUserName)
	checkCredID(&v, FieldServiceCredID, id, 20)
	if err := v.Err(); err != nil {
		return err
	}
	return s.store.Update(ctx, account, func(tx store.Tx) error {
		c, err := ownCredential(tx, store.CredService, userRef(user), id, svcCredNotFound(id))
		if err != nil {
			return err
		}
		return fn(tx, c)
	})
}

// UpdateServiceSpecificCredential makes one of user's credentials Active or
// Inactive.
func (s *Service) UpdateServiceSpecificCredential(ctx context.Context, account, user, id string, status store.KeyStatus) error {
	var v Validation
	checkStatus(&v, status)
	if err := v.Err(); err != nil {
		return err
	}
	return s.ownServiceCred(ctx, account, user, id, func(tx store.Tx, _ Credential) error {
		return tx.UpdateCredential(store.CredService, id, status)
	})
}

// ResetServiceSpecificCredential replaces a credential's password (or API
// key secret) with a new one, returned once.
func (s *Service) ResetServiceSpecificCredential(ctx context.Context, account, user, id string) (ServiceCredential, error) {
	var out Credential
	err := s.ownServiceCred(ctx, account, user, id, func(tx store.Tx, c Credential) error {
		c.Secret = store.NewCredentialSecret(servicePasswordLength)
		out = c
		return tx.ResetCredential(store.CredService, id, c.Secret)
	})
	if err != nil {
		return ServiceCredential{}, err
	}
	sc := withStyle(out, s.now())
	return sc, nil
}

// DeleteServiceSpecificCredential deletes one of user's credentials.
func (s *Service) DeleteServiceSpecificCredential(ctx context.Context, account, user, id string) error {
	return s.ownServiceCred(ctx, account, user, id, func(tx store.Tx, _ Credential) error {
		return tx.DeleteCredential(store.CredService, id)
	})
}

// ServiceCredentialService returns the service of one of the account's
// service-specific credentials (for the condition key
// iam:ServiceSpecificCredentialServiceName); ok is false when there is none.
func (s *Service) ServiceCredentialService(ctx context.Context, account, id string) (service string, ok bool) {
	_ = s.store.View(ctx, account, func(tx store.Tx) error {
		c, err := tx.Credential(store.CredService, id)
		service, ok = c.Service, err == nil
		return err
	})
	return service, ok
}
