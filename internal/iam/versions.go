package iam

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/iamq/iamq/internal/managed"
	"github.com/iamq/iamq/internal/store"
)

// msgVersionNotFound is the NoSuchEntity message for a version a policy does
// not have (the store words it so for customer managed policies; the same
// form serves AWS managed ones, whose unrecovered versions do not exist
// here).
const msgVersionNotFound = "Policy %s version %s does not exist or is not attachable."

// CreatePolicyVersion adds a version to a customer managed policy (5 at most)
// and makes it the default when setDefault. An AWS managed policy is refused
// with AccessDenied, even for the root; caller is the ARN of who asks.
func (s *Service) CreatePolicyVersion(ctx context.Context, account, caller, arn, document string, setDefault bool) (store.PolicyVersion, error) {
	var v Validation
	ref, _ := policyARN(&v, FieldPolicyARN, arn)
	checkDocumentParam(&v, document)
	if err := v.Err(); err != nil {
		return store.PolicyVersion{}, err
	}
	var out store.PolicyVersion
	err := s.updateCustomerPolicy(ctx, account, caller, "CreatePolicyVersion", ref, func(tx store.Tx, p store.Policy) error {
		if err := managedDocument(document); err != nil {
			return err
		}
		var err error
		out, err = tx.CreatePolicyVersion(p.Name, document, setDefault)
		return err
	})
	return out, err
}

// checkVersionInput checks a PolicyArn and a VersionId.
func checkVersionInput(arn, versionID string) (policyRef, error) {
	var v Validation
	ref, _ := policyARN(&v, FieldPolicyARN, arn)
	checkVersionID(&v, versionID)
	return ref, v.Err()
}

// GetPolicyVersion returns one version of a managed policy with its document,
// as stored (the server URL-encodes it, as IAM does). Versions of AWS managed
// policies that were never recovered from the public sources do not exist.
func (s *Service) GetPolicyVersion(ctx context.Context, account, arn, versionID string) (store.PolicyVersion, error) {
	ref, err := checkVersionInput(arn, versionID)
	if err != nil {
		return store.PolicyVersion{}, err
	}
	var out store.PolicyVersion
	err = s.store.View(ctx, account, func(tx store.Tx) error {
		r, err := s.resolvePolicy(tx, ref, msgPolicyNotFound)
		if err != nil {
			return err
		}
		if r.aws != nil {
			out, err = s.awsVersion(r.aws, versionID)
			return err
		}
		out, err = tx.PolicyVersion(r.local.Name, versionID)
		return err
	})
	return out, err
}

// awsVersion reads one recovered version of an AWS managed policy.
func (s *Service) awsVersion(p *managed.Policy, versionID string) (store.PolicyVersion, error) {
	v, ok := p.Version(versionID)
	if !ok {
		return store.PolicyVersion{}, noSuchEntity(msgVersionNotFound, p.ARN(), versionID)
	}
	doc, err := s.library.Document(p, versionID)
	if errors.Is(err, managed.ErrNoVersion) {
		return store.PolicyVersion{}, noSuchEntity(msgVersionNotFound, p.ARN(), versionID)
	}
	if err != nil {
		return store.PolicyVersion{}, err
	}
	return store.PolicyVersion{ID: v.ID, Document: doc, IsDefault: v.ID == p.DefaultVersion, Created: v.CreateDate}, nil
}

// ListPolicyVersions lists a managed policy's versions, newest first, without
// their documents (as IAM lists them). An AWS managed policy lists the
// versions that were recovered.
func (s *Service) ListPolicyVersions(ctx context.Context, account, arn string, in ListInput) (Page[store.PolicyVersion], error) {
	var v Validation
	ref, _ := policyARN(&v, FieldPolicyARN, arn)
	in.PathPrefix = ""
	in.Check(&v)
	if err := v.Err(); err != nil {
		return Page[store.PolicyVersion]{}, err
	}
	var versions []store.PolicyVersion
	err := s.store.View(ctx, account, func(tx store.Tx) error {
		r, err := s.resolvePolicy(tx, ref, msgPolicyNotFound)
		if err != nil {
			return err
		}
		if r.aws != nil {
			versions = make([]store.PolicyVersion, 0, len(r.aws.Versions))
			for i := len(r.aws.Versions) - 1; i >= 0; i-- {
				av := r.aws.Versions[i]
				versions = append(versions, store.PolicyVersion{ID: av.ID, IsDefault: av.ID == r.aws.DefaultVersion, Created: av.CreateDate})
			}
			return nil
		}
		versions, err = tx.PolicyVersions(r.local.Name)
		for i := range versions {
			versions[i].Document = ""
		}
		return err
	})
	if err != nil {
		return Page[store.PolicyVersion]{}, err
	}
	return pageSlice(versions, in, versionKey)
}

// versionKey orders versions newest first for pageSlice, whose keys ascend:
// the complement of the version number, zero-padded.
func versionKey(v store.PolicyVersion) string {
	n, _ := strconv.Atoi(strings.TrimPrefix(v.ID, "v"))
	return strconv.Itoa(1_000_000_000 - n)
}

// DeletePolicyVersion deletes a version of a customer managed policy that is
// not its default (DeleteConflict "Cannot delete the default version of a
// policy."). An AWS managed policy is refused with AccessDenied.
func (s *Service) DeletePolicyVersion(ctx context.Context, account, caller, arn, versionID string) error {
	ref, err := checkVersionInput(arn, versionID)
	if err != nil {
		return err
	}
	return s.updateCustomerPolicy(ctx, account, caller, "DeletePolicyVersion", ref, func(tx store.Tx, p store.Policy) error {
		return tx.DeletePolicyVersion(p.Name, versionID)
	})
}

// SetDefaultPolicyVersion makes an existing version of a customer managed
// policy its default. An AWS managed policy is refused with AccessDenied.
func (s *Service) SetDefaultPolicyVersion(ctx context.Context, account, caller, arn, versionID string) error {
	ref, err := checkVersionInput(arn, versionID)
	if err != nil {
		return err
	}
	return s.updateCustomerPolicy(ctx, account, caller, "SetDefaultPolicyVersion", ref, func(tx store.Tx, p store.Policy) error {
		return tx.SetDefaultPolicyVersion(p.Name, versionID)
	})
}
