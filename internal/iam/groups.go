package iam

import (
	"context"

	"github.com/iamq/iamq/internal/store"
)

// CreateGroup creates a group at path ("" = "/"). Its name is unique in the
// account, case-insensitively.
func (s *Service) CreateGroup(ctx context.Context, account, name, path string) (store.Group, error) {
	var v Validation
	v.Name(FieldGroupName, name, MaxGroupName)
	v.CustomerPath(FieldPath, path)
	if err := v.Err(); err != nil {
		return store.Group{}, err
	}
	var g store.Group
	err := s.store.Update(ctx, account, func(tx store.Tx) error {
		var err error
		g, err = tx.CreateGroup(store.Group{Name: name, Path: orRoot(path), Created: s.now().UTC()})
		return err
	})
	return g, err
}

// GroupWithUsers is GetGroup's answer: the group and one page of its users.
type GroupWithUsers struct {
	Group store.Group
	Users Page[store.User]
}

// GetGroup returns a group and a page of its members, by name.
func (s *Service) GetGroup(ctx context.Context, account, name string, in ListInput) (GroupWithUsers, error) {
	var v Validation
	v.Name(FieldGroupName, name, MaxGroupName)
	in.Check(&v)
	if err := v.Err(); err != nil {
		return GroupWithUsers{}, err
	}
	var out GroupWithUsers
	err := s.store.View(ctx, account, func(tx store.Tx) error {
		var err error
		if out.Group, err = tx.Group(name); err != nil {
			return err
		}
		p, err := tx.GroupMembers(name, in.Options())
		out.Users = pageOf(p)
		return err
	})
	return out, err
}

// ListGroups lists the account's groups by name.
func (s *Service) ListGroups(ctx context.Context, account string, in ListInput) (Page[store.Group], error) {
	var v Validation
	in.Check(&v)
	if err := v.Err(); err != nil {
		return Page[store.Group]{}, err
	}
	return viewPage(ctx, s.store, account, func(tx store.Tx) (store.Page[store.Group], error) {
		return tx.Groups(in.Options())
	})
}

// UpdateGroupInput is UpdateGroup's input: a new name, a new path, or both.
type UpdateGroupInput struct {
	GroupName    string
	NewGroupName string // "" = keep
	NewPath      string // "" = keep
}

// UpdateGroup renames or moves a group.
func (s *Service) UpdateGroup(ctx context.Context, account string, in UpdateGroupInput) error {
	var v Validation
	v.Name(FieldGroupName, in.GroupName, MaxGroupName)
	if in.NewGroupName != "" {
		v.Name(FieldNewGroupName, in.NewGroupName, MaxGroupName)
	}
	v.CustomerPath(FieldNewPath, in.NewPath)
	if err := v.Err(); err != nil {
		return err
	}
	return s.store.Update(ctx, account, func(tx store.Tx) error {
		g, err := tx.Group(in.GroupName)
		if err != nil {
			return err
		}
		next := g
		if in.NewGroupName != "" {
			next.Name = in.NewGroupName
		}
		if in.NewPath != "" {
			next.Path = in.NewPath
		}
		_, err = tx.UpdateGroup(g.Name, next)
		return err
	})
}

// DeleteGroup deletes a group that has no members or policies left.
func (s *Service) DeleteGroup(ctx context.Context, account, name string) error {
	var v Validation
	v.Name(FieldGroupName, name, MaxGroupName)
	if err := v.Err(); err != nil {
		return err
	}
	return s.store.Update(ctx, account, func(tx store.Tx) error { return tx.DeleteGroup(name) })
}

// AddUserToGroup makes a user a member of a group (10 groups per user);
// adding a member again changes nothing.
func (s *Service) AddUserToGroup(ctx context.Context, account, group, user string) error {
	if err := checkMembership(group, user); err != nil {
		return err
	}
	return s.store.Update(ctx, account, func(tx store.Tx) error { return tx.AddUserToGroup(group, user) })
}

// RemoveUserFromGroup removes a member from a group.
func (s *Service) RemoveUserFromGroup(ctx context.Context, account, group, user string) error {
	if err := checkMembership(group, user); err != nil {
		return err
	}
	return s.store.Update(ctx, account, func(tx store.Tx) error { return tx.RemoveUserFromGroup(group, user) })
}

func checkMembership(group, user string) error {
	var v Validation
	v.Name(FieldGroupName, group, MaxGroupName)
	v.Name(FieldUserName, user, MaxExistingUserName)
	return v.Err()
}

// ListGroupsForUser lists the groups a user belongs to, by name.
func (s *Service) ListGroupsForUser(ctx context.Context, account, user string, in ListInput) (Page[store.Group], error) {
	var v Validation
	v.Name(FieldUserName, user, MaxExistingUserName)
	in.Check(&v)
	if err := v.Err(); err != nil {
		return Page[store.Group]{}, err
	}
	return viewPage(ctx, s.store, account, func(tx store.Tx) (store.Page[store.Group], error) {
		return tx.GroupsForUser(user, in.Options())
	})
}
