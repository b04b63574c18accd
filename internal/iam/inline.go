package iam

import (
	"context"

	"github.com/iamq/iamq/internal/store"
)

// PutInlinePolicy creates or replaces the inline policy name of a user, group
// or role. The document is checked as an identity policy; its size (white
// space not counted) counts toward the entity's aggregate quota, which the
// store enforces: LimitExceeded "Maximum policy size of 2048 bytes exceeded
// for user NAME" (verified for users: danvk/mapsnap#483; roles 10,240 and
// groups 5,120 by analogy).
func (s *Service) PutInlinePolicy(ctx context.Context, account string, of store.EntityRef, name, document string) error {
	var v Validation
	checkHolder(&v, of, existingNameMax(of.Kind))
	v.Name(FieldPolicyName, name, MaxPolicyName)
	checkDocumentParam(&v, document)
	if err := v.Err(); err != nil {
		return err
	}
	size, err := inlineDocument(document)
	if err != nil {
		return err
	}
	return s.store.Update(ctx, account, func(tx store.Tx) error {
		if err := protectedRole(tx, of); err != nil {
			return err
		}
		return tx.PutInlinePolicy(of, store.InlinePolicy{Name: name, Document: document, Size: size})
	})
}

// existingNameMax is the model's limit on the name of an entity that must
// exist: PutUserPolicy and its kin take existingUserNameType (128) for
// users; groups and roles keep their own limits.
func existingNameMax(k store.Kind) int {
	if k == store.KindUser {
		return MaxExistingUserName
	}
	return 0
}

// checkInlineName checks the entity and policy names of Get and Delete.
func checkInlineName(of store.EntityRef, name string) error {
	var v Validation
	checkHolder(&v, of, existingNameMax(of.Kind))
	v.Name(FieldPolicyName, name, MaxPolicyName)
	return v.Err()
}

// GetInlinePolicy returns an inline policy with its document as stored (the
// server URL-encodes it, as IAM does).
func (s *Service) GetInlinePolicy(ctx context.Context, account string, of store.EntityRef, name string) (store.InlinePolicy, error) {
	if err := checkInlineName(of, name); err != nil {
		return store.InlinePolicy{}, err
	}
	var out store.InlinePolicy
	err := s.store.View(ctx, account, func(tx store.Tx) error {
		var err error
		out, err = tx.InlinePolicy(of, name)
		return err
	})
	return out, err
}

// DeleteInlinePolicy deletes an inline policy of a user, group or role.
func (s *Service) DeleteInlinePolicy(ctx context.Context, account string, of store.EntityRef, name string) error {
	if err := checkInlineName(of, name); err != nil {
		return err
	}
	return s.store.Update(ctx, account, func(tx store.Tx) error {
		if err := protectedRole(tx, of); err != nil {
			return err
		}
		return tx.DeleteInlinePolicy(of, name)
	})
}

// ListInlinePolicies lists the names of a user's, group's or role's inline
// policies.
func (s *Service) ListInlinePolicies(ctx context.Context, account string, of store.EntityRef, in ListInput) (Page[string], error) {
	var v Validation
	checkHolder(&v, of, existingNameMax(of.Kind))
	in.PathPrefix = ""
	in.Check(&v)
	if err := v.Err(); err != nil {
		return Page[string]{}, err
	}
	var p store.Page[store.InlinePolicy]
	err := s.store.View(ctx, account, func(tx store.Tx) error {
		var err error
		p, err = tx.InlinePolicies(of, in.Options())
		return err
	})
	if err != nil {
		return Page[string]{}, invalidMarker(err)
	}
	names := make([]string, len(p.Items))
	for i, ip := range p.Items {
		names[i] = ip.Name
	}
	return Page[string]{Items: names, Marker: p.Marker, IsTruncated: p.Truncated()}, nil
}
