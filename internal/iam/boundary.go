package iam

import (
	"context"

	"github.com/iamq/iamq/internal/store"
)

// CheckPermissionsBoundary checks, within tx, that arn names a managed policy
// that may bound a user or role of the account, and returns the ARN as IAM
// spells it (the policy's own name and path), to be stored. CreateUser and
// CreateRole call it for their PermissionsBoundary, as
// Put{User,Role}PermissionsBoundary do:
//
//   - a malformed ARN is InvalidInput "ARN … is not valid.";
//   - a policy that does not exist (or is another account's) is
//     NoSuchEntity "Scope ARN: … does not exist or is not attachable."
//     (verified: real IAM output quoted in public openshift/rosa reports);
//   - an AWS service-role policy is PolicyNotAttachable, as attaching it is
//     (IAM's text for boundaries is unverified).
func (s *Service) CheckPermissionsBoundary(tx store.Tx, arn string) (string, error) {
	var v Validation
	ref, _ := policyARN(&v, FieldPermissionsBoundary, arn)
	if err := v.Err(); err != nil {
		return "", err
	}
	r, err := s.resolvePolicy(tx, ref, msgScopeNotFound)
	if err != nil {
		return "", err
	}
	if r.aws != nil && !r.aws.Attachable {
		return "", noSuchEntity(msgScopeNotFound, ref.ARN)
	}
	if r.aws != nil && r.aws.ServiceRole() {
		return "", refuse(ErrPolicyNotAttachable, msgServiceRolePolicy)
	}
	return r.arn(), nil
}

// PutPermissionsBoundary sets the permissions boundary of a user or role to
// the managed policy arn (one boundary per entity: it replaces any other).
func (s *Service) PutPermissionsBoundary(ctx context.Context, account string, of store.EntityRef, arn string) error {
	var v Validation
	checkHolder(&v, of, 0)
	v.Length(FieldPermissionsBoundary, arn, minARN, maxARN)
	if err := v.Err(); err != nil {
		return err
	}
	return s.store.Update(ctx, account, func(tx store.Tx) error {
		if err := s.entityExists(tx, of); err != nil {
			return err
		}
		canonical, err := s.CheckPermissionsBoundary(tx, arn)
		if err != nil {
			return err
		}
		return setBoundary(tx, of, canonical)
	})
}

// DeletePermissionsBoundary removes the permissions boundary of a user or
// role; removing one that is not set changes nothing.
func (s *Service) DeletePermissionsBoundary(ctx context.Context, account string, of store.EntityRef) error {
	var v Validation
	checkHolder(&v, of, 0)
	if err := v.Err(); err != nil {
		return err
	}
	return s.store.Update(ctx, account, func(tx store.Tx) error {
		if err := s.entityExists(tx, of); err != nil {
			return err
		}
		return setBoundary(tx, of, "")
	})
}

// entityExists checks that the user or role exists and, for a role, that it
// is not a service-linked role.
func (s *Service) entityExists(tx store.Tx, of store.EntityRef) error {
	if of.Kind == store.KindUser {
		_, err := tx.User(of.Name)
		return err
	}
	return protectedRole(tx, of)
}

// setBoundary stores a user's or role's boundary, leaving the rest as it is.
func setBoundary(tx store.Tx, of store.EntityRef, arn string) error {
	if of.Kind == store.KindUser {
		u, err := tx.User(of.Name)
		if err != nil {
			return err
		}
		u.PermissionsBoundary = arn
		_, err = tx.UpdateUser(u.Name, u)
		return err
	}
	r, err := tx.Role(of.Name)
	if err != nil {
		return err
	}
	r.PermissionsBoundary = arn
	_, err = tx.UpdateRole(r.Name, r)
	return err
}
