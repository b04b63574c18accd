package iam

import (
	"context"
	"errors"
	"strings"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/policy"
)

// ListPoliciesGrantingServiceAccess (IAM API Reference): for each service
// namespace asked for, the identity policies of a user, group or role that
// allow some action of that service. A user's list also holds the policies
// of its groups; a group's does not hold its users'. Only permissions
// policies count: not boundaries, resource policies or trust policies, and
// conditions are not evaluated.

// PolicyType is a PolicyGrantingServiceAccess's PolicyType.
type PolicyType string

// The policy types (policyType in IAM's model).
const (
	PolicyInline  PolicyType = "INLINE"
	PolicyManaged PolicyType = "MANAGED"
)

// PolicyGrant is one policy that grants access to a service: an inline
// policy names its entity, a managed policy its ARN.
type PolicyGrant struct {
	PolicyName string
	PolicyType PolicyType
	PolicyArn  string // managed policies only
	EntityType string // USER, GROUP or ROLE; inline policies only
	EntityName string // inline policies only
}

// ServiceAccess is the policies granting access to one service namespace.
type ServiceAccess struct {
	ServiceNamespace string
	Policies         []PolicyGrant
}

// Constraints of the operation's input (IAM's model: arnType,
// serviceNamespaceListType of 1 to 200 serviceNamespaceType, [\w-]* of 1 to
// 64 characters).
const (
	FieldARN               Field = "arn"
	FieldServiceNamespaces Field = "serviceNamespaces"
	MaxServiceNamespaces         = 200
)

// grantSource is one identity policy of the entity, with its text.
type grantSource struct {
	grant PolicyGrant
	text  string
}

// ListPoliciesGrantingServiceAccess answers the operation for the entity
// entityARN names (NoSuchEntity when it does not exist in account).
func (s *Service) ListPoliciesGrantingServiceAccess(ctx context.Context, account, entityARN string, namespaces []string) ([]ServiceAccess, error) {
	ref, path, err := checkGrantInput(account, entityARN, namespaces)
	if err != nil {
		return nil, err
	}
	var sources []grantSource
	var awsARNs []PolicyGrant
	err = s.store.View(ctx, account, func(tx store.Tx) error {
		var err error
		sources, awsARNs, err = s.entitySources(tx, ref, path, entityARN)
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, g := range awsARNs {
		_, doc, err := s.library.DefaultVersion(ctx, g.PolicyArn)
		if err != nil {
			return nil, err
		}
		sources = append(sources, grantSource{grant: g, text: doc})
	}
	docs := make([]*policy.Document, len(sources))
	for i, src := range sources {
		if docs[i], err = policy.Parse(src.text); err != nil {
			return nil, err // stored policies were validated when written
		}
	}
	cat := s.library.Catalog()
	out := make([]ServiceAccess, 0, len(namespaces))
	for _, ns := range namespaces {
		sa := ServiceAccess{ServiceNamespace: ns, Policies: []PolicyGrant{}}
		var known *serviceActions
		if svc, ok := cat.Service(ns); ok {
			known = &serviceActions{count: svc.ActionCount(), expand: func(p string) []string {
				var names []string
				for _, a := range svc.Expand(p) {
					names = append(names, a.Name)
				}
				return names
			}}
		}
		for i, d := range docs {
			if grantsService(d, ns, known) {
				sa.Policies = append(sa.Policies, sources[i].grant)
			}
		}
		out = append(out, sa)
	}
	return out, nil
}

// checkGrantInput validates the input and returns the entity the ARN
// names, a user, group or role of account, and its path.
func checkGrantInput(account, entityARN string, namespaces []string) (store.EntityRef, string, error) {
	var v Validation
	v.Length(FieldARN, entityARN, 20, 2048)
	switch {
	case len(namespaces) == 0:
		v.constraint(FieldServiceNamespaces, "[]", "Member must have length greater than or equal to 1")
	case len(namespaces) > MaxServiceNamespaces:
		v.constraint(FieldServiceNamespaces, "["+strings.Join(namespaces, ", ")+"]", "Member must have length less than or equal to 200")
	}
	for _, ns := range namespaces {
		if v.Length(FieldServiceNamespaces, ns, 1, 64) && !isWordOrHyphen(ns) {
			v.constraint(FieldServiceNamespaces, ns, `Member must satisfy regular expression pattern: [\w-]*`)
		}
	}
	if err := v.Err(); err != nil {
		return store.EntityRef{}, "", err
	}
	a, err := arn.Parse(entityARN)
	r, isIAM := a.IAM()
	kinds := map[string]store.Kind{arn.TypeUser: store.KindUser, arn.TypeGroup: store.KindGroup, arn.TypeRole: store.KindRole}
	kind, ok := kinds[r.Type]
	if err != nil || !isIAM || a.Service != arn.ServiceIAM || !ok || r.Name == "" {
		return store.EntityRef{}, "", refuse(ErrInvalidInput, "ARN %s is not the ARN of a user, group or role.", entityARN)
	}
	if a.Account != account {
		return store.EntityRef{}, "", noSuchEntity(msgGrantEntity, entityARN)
	}
	return store.EntityRef{Kind: kind, Name: r.Name}, r.Path, nil
}

// msgGrantEntity is the NoSuchEntity of an ARN that names no entity.
const msgGrantEntity = "The entity with ARN %s cannot be found."

// entitySources returns the entity's inline and customer managed policies
// with their texts, and its AWS managed policies (read after the
// transaction, from the library): for a user, its groups' too.
func (s *Service) entitySources(tx store.Tx, ref store.EntityRef, path, entityARN string) ([]grantSource, []PolicyGrant, error) {
	owners := []store.EntityRef{ref}
	_, stored, err := entityIDPath(tx, ref)
	if errors.Is(err, store.ErrNotFound) || err == nil && stored != path {
		return nil, nil, noSuchEntity(msgGrantEntity, entityARN)
	}
	if err != nil {
		return nil, nil, err
	}
	if ref.Kind == store.KindUser {
		groups, err := tx.GroupsForUser(ref.Name, store.ListOptions{MaxItems: store.MaxMaxItems})
		if err != nil {
			return nil, nil, err
		}
		for _, g := range groups.Items {
			owners = append(owners, store.EntityRef{Kind: store.KindGroup, Name: g.Name})
		}
	}
	var sources []grantSource
	var awsPolicies []PolicyGrant
	for _, o := range owners {
		inline, err := tx.InlinePolicies(o, store.ListOptions{MaxItems: store.MaxMaxItems})
		if err != nil {
			return nil, nil, err
		}
		for _, p := range inline.Items {
			sources = append(sources, grantSource{text: p.Document, grant: PolicyGrant{PolicyName: p.Name, PolicyType: PolicyInline,
				EntityType: strings.ToUpper(string(o.Kind)), EntityName: o.Name}})
		}
		attached, err := tx.AttachedPolicies(o, store.ListOptions{MaxItems: store.MaxMaxItems})
		if err != nil {
			return nil, nil, err
		}
		for _, p := range attached.Items {
			g := PolicyGrant{PolicyName: p.Name, PolicyType: PolicyManaged, PolicyArn: p.ARN}
			if arn.IsAWSManaged(p.ARN) {
				awsPolicies = append(awsPolicies, g)
				continue
			}
			text, err := customerDefaultText(tx, p.Name)
			if err != nil {
				return nil, nil, err
			}
			sources = append(sources, grantSource{grant: g, text: text})
		}
	}
	return sources, awsPolicies, nil
}

func customerDefaultText(tx store.Tx, name string) (string, error) {
	p, err := tx.Policy(name)
	if err != nil {
		return "", err
	}
	v, err := tx.PolicyVersion(name, p.DefaultVersionID)
	return v.Document, err
}
