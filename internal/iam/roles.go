package iam

import (
	"context"
	"fmt"

	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/policy"
)

// Session durations of a role, in seconds (roleMaxSessionDurationType).
const (
	DefaultMaxSessionDuration = 3600
	MinMaxSessionDuration     = 3600
	MaxMaxSessionDuration     = 43200
)

// FieldAssumeRolePolicyDocument and FieldPolicyDocument name the trust policy
// parameters in validation messages.
const (
	FieldAssumeRolePolicyDocument Field = "assumeRolePolicyDocument"
	FieldPolicyDocument           Field = "policyDocument"
)

// QuotaTrustPolicySize names the trust policy size quota as IAM's message
// does: "Cannot exceed quota for ACLSizePerRole: 2048" (verified:
// kubeflow/kubeflow#6687, apache/airflow#27331).
const QuotaTrustPolicySize store.Quota = "ACLSizePerRole"

// CreateRoleInput is CreateRole's input (IAM API Reference, CreateRole).
type CreateRoleInput struct {
	RoleName                 string
	Path                     string // "" = "/"
	AssumeRolePolicyDocument string
	Description              string
	MaxSessionDuration       int // 0 = 3600
	PermissionsBoundary      string
	Tags                     []store.Tag
}

// CreateRole creates a role whose trust policy is valid as a trust policy.
func (s *Service) CreateRole(ctx context.Context, account string, in CreateRoleInput) (store.Role, error) {
	var v Validation
	v.Name(FieldRoleName, in.RoleName, MaxRoleName)
	v.CustomerPath(FieldPath, in.Path)
	v.Description(FieldDescription, in.Description)
	if in.MaxSessionDuration != 0 {
		v.Range(FieldMaxSessionDuration, in.MaxSessionDuration, MinMaxSessionDuration, MaxMaxSessionDuration)
	}
	v.Tags(in.Tags)
	if err := v.Err(); err != nil {
		return store.Role{}, err
	}
	if err := checkTrustPolicy(in.AssumeRolePolicyDocument, FieldAssumeRolePolicyDocument); err != nil {
		return store.Role{}, err
	}
	if err := s.checkTrustPrincipals(ctx, in.AssumeRolePolicyDocument); err != nil {
		return store.Role{}, err
	}
	r := store.Role{Name: in.RoleName, Path: orRoot(in.Path), AssumeRolePolicy: in.AssumeRolePolicyDocument,
		Description: in.Description, MaxSessionDuration: in.MaxSessionDuration, PermissionsBoundary: in.PermissionsBoundary,
		Tags: in.Tags, Created: s.now().UTC()}
	if r.MaxSessionDuration == 0 {
		r.MaxSessionDuration = DefaultMaxSessionDuration
	}
	err := s.store.Update(ctx, account, func(tx store.Tx) error {
		var err error
		if r.PermissionsBoundary, err = s.boundary(tx, r.PermissionsBoundary); err != nil {
			return err
		}
		r, err = tx.CreateRole(r)
		return err
	})
	return r, err
}

// checkTrustPolicy checks a trust policy: the parameter's constraints, IAM's
// grammar for trust policies (MalformedPolicyDocument), then its size
// without white space (LimitExceeded).
func checkTrustPolicy(doc string, f Field) error {
	var v Validation
	if v.Length(f, doc, 1, 131072) {
		for _, r := range doc {
			if r != '\t' && r != '\n' && r != '\r' && (r < 0x20 || r > 0xff) {
				v.constraint(f, doc, `Member must satisfy regular expression pattern: [\u0009\u000A\u000D\u0020-\u00FF]+`)
				break
			}
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	if err := CheckDocument(doc, policy.KindTrust); err != nil {
		return err
	}
	if policy.Size(doc) > policy.MaxTrust {
		return &store.LimitError{Quota: QuotaTrustPolicySize, Limit: policy.MaxTrust,
			Message: fmt.Sprintf("Cannot exceed quota for %s: %d", QuotaTrustPolicySize, policy.MaxTrust)}
	}
	return nil
}

// GetRole returns a role with its tags.
func (s *Service) GetRole(ctx context.Context, account, name string) (store.Role, error) {
	var v Validation
	v.Name(FieldRoleName, name, MaxRoleName)
	if err := v.Err(); err != nil {
		return store.Role{}, err
	}
	var r store.Role
	err := s.store.View(ctx, account, func(tx store.Tx) error {
		var err error
		r, err = tx.Role(name)
		return err
	})
	return r, err
}

// ListRoles lists the account's roles by name.
func (s *Service) ListRoles(ctx context.Context, account string, in ListInput) (Page[store.Role], error) {
	var v Validation
	in.Check(&v)
	if err := v.Err(); err != nil {
		return Page[store.Role]{}, err
	}
	return viewPage(ctx, s.store, account, func(tx store.Tx) (store.Page[store.Role], error) {
		return tx.Roles(in.Options())
	})
}

// UpdateRoleInput is UpdateRole's input; nil fields are kept.
type UpdateRoleInput struct {
	RoleName           string
	Description        *string
	MaxSessionDuration *int
}

// UpdateRole changes a role's description and maximum session duration.
// The description of a service-linked role may change; nothing else of it
// may.
func (s *Service) UpdateRole(ctx context.Context, account string, in UpdateRoleInput) (store.Role, error) {
	var v Validation
	v.Name(FieldRoleName, in.RoleName, MaxRoleName)
	if in.Description != nil {
		v.Description(FieldDescription, *in.Description)
	}
	if in.MaxSessionDuration != nil {
		v.Range(FieldMaxSessionDuration, *in.MaxSessionDuration, MinMaxSessionDuration, MaxMaxSessionDuration)
	}
	if err := v.Err(); err != nil {
		return store.Role{}, err
	}
	var r store.Role
	err := s.store.Update(ctx, account, func(tx store.Tx) error {
		var err error
		if r, err = tx.Role(in.RoleName); err != nil {
			return err
		}
		if r.ServiceLinked && in.MaxSessionDuration != nil {
			return unmodifiable(r.Name)
		}
		if in.Description != nil {
			r.Description = *in.Description
		}
		if in.MaxSessionDuration != nil {
			r.MaxSessionDuration = *in.MaxSessionDuration
		}
		r, err = tx.UpdateRole(r.Name, r)
		return err
	})
	return r, err
}

// UpdateRoleDescription changes a role's description and returns the role.
func (s *Service) UpdateRoleDescription(ctx context.Context, account, name, description string) (store.Role, error) {
	return s.UpdateRole(ctx, account, UpdateRoleInput{RoleName: name, Description: &description})
}

// UpdateAssumeRolePolicy replaces a role's trust policy. A service-linked
// role's trust policy belongs to its service (UnmodifiableEntity).
func (s *Service) UpdateAssumeRolePolicy(ctx context.Context, account, name, doc string) error {
	var v Validation
	v.Name(FieldRoleName, name, MaxRoleName)
	if err := v.Err(); err != nil {
		return err
	}
	if err := checkTrustPolicy(doc, FieldPolicyDocument); err != nil {
		return err
	}
	if err := s.checkTrustPrincipals(ctx, doc); err != nil {
		return err
	}
	return s.store.Update(ctx, account, func(tx store.Tx) error {
		r, err := modifiableRole(tx, name)
		if err != nil {
			return err
		}
		r.AssumeRolePolicy = doc
		_, err = tx.UpdateRole(r.Name, r)
		return err
	})
}

// DeleteRole deletes a role that has no policies or instance profiles left.
// A service-linked role is deleted by DeleteServiceLinkedRole only.
func (s *Service) DeleteRole(ctx context.Context, account, name string) error {
	var v Validation
	v.Name(FieldRoleName, name, MaxRoleName)
	if err := v.Err(); err != nil {
		return err
	}
	return s.store.Update(ctx, account, func(tx store.Tx) error {
		r, err := modifiableRole(tx, name)
		if err != nil {
			return err
		}
		return tx.DeleteRole(r.Name)
	})
}

// unmodifiable is IAM's refusal to change a role that only AWS may change
// (verified: rebuy-de/aws-nuke#331, gruntwork-io/cloud-nuke#880).
func unmodifiable(role string) error {
	return refuse(ErrUnmodifiable, "Cannot perform the operation on the protected role '%s' - this role is only modifiable by AWS", role)
}

// modifiableRole reads the role name for a change that only AWS may make to
// a service-linked role, refusing such a role with unmodifiable.
func modifiableRole(tx store.Tx, name string) (store.Role, error) {
	r, err := tx.Role(name)
	if err != nil {
		return store.Role{}, err
	}
	if r.ServiceLinked {
		return store.Role{}, unmodifiable(r.Name)
	}
	return r, nil
}

// TagRole adds or replaces tags of a role.
func (s *Service) TagRole(ctx context.Context, account, name string, tags []store.Tag) error {
	return s.tag(ctx, account, store.EntityRef{Kind: store.KindRole, Name: name}, FieldRoleName, MaxRoleName, tags)
}

// UntagRole removes tags from a role by key.
func (s *Service) UntagRole(ctx context.Context, account, name string, keys []string) error {
	return s.untag(ctx, account, store.EntityRef{Kind: store.KindRole, Name: name}, FieldRoleName, MaxRoleName, keys)
}

// ListRoleTags lists a role's tags by key.
func (s *Service) ListRoleTags(ctx context.Context, account, name string, in ListInput) (Page[store.Tag], error) {
	return s.listTags(ctx, account, store.EntityRef{Kind: store.KindRole, Name: name}, FieldRoleName, MaxRoleName, in)
}
