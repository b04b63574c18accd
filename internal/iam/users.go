package iam

import (
	"context"
	"strings"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/internal/store"
)

// CreateUserInput is CreateUser's input (IAM API Reference, CreateUser).
type CreateUserInput struct {
	UserName            string
	Path                string // "" = "/"
	PermissionsBoundary string // a managed policy ARN, or ""
	Tags                []store.Tag
}

// CreateUser creates a user. Its name is unique in the account,
// case-insensitively (EntityAlreadyExists).
func (s *Service) CreateUser(ctx context.Context, account string, in CreateUserInput) (store.User, error) {
	var v Validation
	v.Name(FieldUserName, in.UserName, MaxUserName)
	v.CustomerPath(FieldPath, in.Path)
	v.Tags(in.Tags)
	if err := v.Err(); err != nil {
		return store.User{}, err
	}
	var u store.User
	err := s.store.Update(ctx, account, func(tx store.Tx) error {
		boundary, err := s.boundary(tx, in.PermissionsBoundary)
		if err != nil {
			return err
		}
		u, err = tx.CreateUser(store.User{Name: in.UserName, Path: orRoot(in.Path),
			PermissionsBoundary: boundary, Tags: in.Tags, Created: s.now().UTC()})
		return err
	})
	return u, err
}

// GetUser returns a user with its tags.
func (s *Service) GetUser(ctx context.Context, account, name string) (store.User, error) {
	var v Validation
	v.Name(FieldUserName, name, MaxExistingUserName)
	if err := v.Err(); err != nil {
		return store.User{}, err
	}
	var u store.User
	err := s.store.View(ctx, account, func(tx store.Tx) error {
		var err error
		u, err = tx.User(name)
		return err
	})
	return u, err
}

// ListUsers lists the account's users by name.
func (s *Service) ListUsers(ctx context.Context, account string, in ListInput) (Page[store.User], error) {
	var v Validation
	in.Check(&v)
	if err := v.Err(); err != nil {
		return Page[store.User]{}, err
	}
	return viewPage(ctx, s.store, account, func(tx store.Tx) (store.Page[store.User], error) {
		return tx.Users(in.Options())
	})
}

// UpdateUserInput is UpdateUser's input: a new name, a new path, or both.
type UpdateUserInput struct {
	UserName    string
	NewUserName string // "" = keep
	NewPath     string // "" = keep
}

// UpdateUser renames or moves a user.
func (s *Service) UpdateUser(ctx context.Context, account string, in UpdateUserInput) error {
	var v Validation
	v.Name(FieldUserName, in.UserName, MaxExistingUserName)
	if in.NewUserName != "" {
		v.Name(FieldNewUserName, in.NewUserName, MaxUserName)
	}
	v.CustomerPath(FieldNewPath, in.NewPath)
	if err := v.Err(); err != nil {
		return err
	}
	return s.store.Update(ctx, account, func(tx store.Tx) error {
		u, err := tx.User(in.UserName)
		if err != nil {
			return err
		}
		next := u
		if in.NewUserName != "" {
			next.Name = in.NewUserName
		}
		if in.NewPath != "" {
			next.Path = in.NewPath
		}
		_, err = tx.UpdateUser(u.Name, next)
		return err
	})
}

// DeleteUser deletes a user that has no access keys, policies or group
// memberships left (DeleteConflict otherwise, with IAM's message).
func (s *Service) DeleteUser(ctx context.Context, account, name string) error {
	var v Validation
	v.Name(FieldUserName, name, MaxExistingUserName)
	if err := v.Err(); err != nil {
		return err
	}
	return s.store.Update(ctx, account, func(tx store.Tx) error { return tx.DeleteUser(name) })
}

// TagUser adds or replaces tags of a user.
func (s *Service) TagUser(ctx context.Context, account, name string, tags []store.Tag) error {
	return s.tag(ctx, account, store.EntityRef{Kind: store.KindUser, Name: name}, FieldUserName, MaxExistingUserName, tags)
}

// UntagUser removes tags from a user by key.
func (s *Service) UntagUser(ctx context.Context, account, name string, keys []string) error {
	return s.untag(ctx, account, store.EntityRef{Kind: store.KindUser, Name: name}, FieldUserName, MaxExistingUserName, keys)
}

// ListUserTags lists a user's tags by key.
func (s *Service) ListUserTags(ctx context.Context, account, name string, in ListInput) (Page[store.Tag], error) {
	return s.listTags(ctx, account, store.EntityRef{Kind: store.KindUser, Name: name}, FieldUserName, MaxExistingUserName, in)
}

// tag validates and applies TagUser, TagRole or TagInstanceProfile. The
// entity must exist (NoSuchEntity) and keep at most 50 tags (LimitExceeded).
func (s *Service) tag(ctx context.Context, account string, of store.EntityRef, f Field, max int, tags []store.Tag) error {
	var v Validation
	v.Name(f, of.Name, max)
	if len(tags) == 0 {
		v.model = append(v.model, "Value null at 'tags' failed to satisfy constraint: Member must not be null")
	}
	v.Tags(tags)
	if err := v.Err(); err != nil {
		return err
	}
	return s.store.Update(ctx, account, func(tx store.Tx) error {
		if err := exists(tx, of); err != nil {
			return err
		}
		return tx.TagEntity(of, tags)
	})
}

// untag validates and applies the Untag… operations; absent keys are
// ignored, as in IAM.
func (s *Service) untag(ctx context.Context, account string, of store.EntityRef, f Field, max int, keys []string) error {
	var v Validation
	v.Name(f, of.Name, max)
	v.TagKeys(keys)
	if err := v.Err(); err != nil {
		return err
	}
	return s.store.Update(ctx, account, func(tx store.Tx) error {
		if err := exists(tx, of); err != nil {
			return err
		}
		return tx.UntagEntity(of, keys)
	})
}

// listTags pages through an entity's tags by key. The marker is the last
// key returned, encoded; the store returns all of an entity's (at most 50)
// tags at once.
func (s *Service) listTags(ctx context.Context, account string, of store.EntityRef, f Field, max int, in ListInput) (Page[store.Tag], error) {
	var v Validation
	v.Name(f, of.Name, max)
	in.Check(&v)
	if err := v.Err(); err != nil {
		return Page[store.Tag]{}, err
	}
	var tags []store.Tag
	err := s.store.View(ctx, account, func(tx store.Tx) error {
		if err := exists(tx, of); err != nil {
			return err
		}
		var err error
		tags, err = tx.Tags(of)
		return err
	})
	if err != nil {
		return Page[store.Tag]{}, err
	}
	return pageSlice(tags, in, func(t store.Tag) string { return strings.ToLower(t.Key) })
}

// exists returns NoSuchEntity unless the user, role or instance profile of
// exists; the store's tag methods name the entity in their own way.
func exists(tx store.Tx, of store.EntityRef) error {
	var err error
	switch of.Kind {
	case store.KindUser:
		_, err = tx.User(of.Name)
	case store.KindRole:
		_, err = tx.Role(of.Name)
	case store.KindInstanceProfile:
		_, err = tx.InstanceProfile(of.Name)
	case store.KindGroup:
		_, err = tx.Group(of.Name)
	case store.KindServerCertificate:
		_, err = tx.ServerCertificate(of.Name)
	}
	return err
}

// orRoot returns path, or "/" when it is empty.
func orRoot(path string) string {
	if path == "" {
		return "/"
	}
	return path
}

// boundary checks a PermissionsBoundary given to CreateUser or CreateRole
// ("" = none) with the policy side's CheckPermissionsBoundary, and returns
// the ARN to store.
func (s *Service) boundary(tx store.Tx, arn string) (string, error) {
	if arn == "" {
		return "", nil
	}
	return s.CheckPermissionsBoundary(tx, arn)
}

// IsAccountID reports whether s is 12 decimal digits, the form of an AWS
// account ID.
func IsAccountID(s string) bool { return arn.IsAccountID(s) }
