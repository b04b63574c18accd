package iam

import (
	"context"

	"github.com/iamq/iamq/internal/store"
)

// CreateInstanceProfile creates an instance profile at path ("" = "/").
func (s *Service) CreateInstanceProfile(ctx context.Context, account, name, path string, tags []store.Tag) (store.InstanceProfile, error) {
	var v Validation
	v.Name(FieldInstanceProfileName, name, MaxInstanceProfileName)
	v.CustomerPath(FieldPath, path)
	v.Tags(tags)
	if err := v.Err(); err != nil {
		return store.InstanceProfile{}, err
	}
	var p store.InstanceProfile
	err := s.store.Update(ctx, account, func(tx store.Tx) error {
		var err error
		p, err = tx.CreateInstanceProfile(store.InstanceProfile{Name: name, Path: orRoot(path), Tags: tags, Created: s.now().UTC()})
		return err
	})
	return p, err
}

// ProfileWithRoles is an instance profile with its roles in full, as
// GetInstanceProfile and the List… operations answer it.
type ProfileWithRoles struct {
	Profile store.InstanceProfile
	Roles   []store.Role
}

// GetInstanceProfile returns an instance profile with its roles and tags.
func (s *Service) GetInstanceProfile(ctx context.Context, account, name string) (ProfileWithRoles, error) {
	var v Validation
	v.Name(FieldInstanceProfileName, name, MaxInstanceProfileName)
	if err := v.Err(); err != nil {
		return ProfileWithRoles{}, err
	}
	var out ProfileWithRoles
	err := s.store.View(ctx, account, func(tx store.Tx) error {
		p, err := tx.InstanceProfile(name)
		if err != nil {
			return err
		}
		out, err = withRoles(tx, p)
		return err
	})
	return out, err
}

// withRoles loads the roles of p.
func withRoles(tx store.Tx, p store.InstanceProfile) (ProfileWithRoles, error) {
	out := ProfileWithRoles{Profile: p, Roles: []store.Role{}}
	for _, name := range p.Roles {
		r, err := tx.Role(name)
		if err != nil {
			return ProfileWithRoles{}, err
		}
		out.Roles = append(out.Roles, r)
	}
	return out, nil
}

// withRolesPage loads the roles of every profile on a page.
func withRolesPage(tx store.Tx, p store.Page[store.InstanceProfile]) (Page[ProfileWithRoles], error) {
	out := Page[ProfileWithRoles]{Items: make([]ProfileWithRoles, 0, len(p.Items)), Marker: p.Marker, IsTruncated: p.Truncated()}
	for _, ip := range p.Items {
		w, err := withRoles(tx, ip)
		if err != nil {
			return Page[ProfileWithRoles]{}, err
		}
		out.Items = append(out.Items, w)
	}
	return out, nil
}

// ListInstanceProfiles lists the account's instance profiles by name.
func (s *Service) ListInstanceProfiles(ctx context.Context, account string, in ListInput) (Page[ProfileWithRoles], error) {
	var v Validation
	in.Check(&v)
	if err := v.Err(); err != nil {
		return Page[ProfileWithRoles]{}, err
	}
	var out Page[ProfileWithRoles]
	err := s.store.View(ctx, account, func(tx store.Tx) error {
		p, err := tx.InstanceProfiles(in.Options())
		if err != nil {
			return err
		}
		out, err = withRolesPage(tx, p)
		return err
	})
	return out, err
}

// ListInstanceProfilesForRole lists the instance profiles that hold a role
// (Terraform calls it before it deletes any role).
func (s *Service) ListInstanceProfilesForRole(ctx context.Context, account, role string, in ListInput) (Page[ProfileWithRoles], error) {
	var v Validation
	v.Name(FieldRoleName, role, MaxRoleName)
	in.Check(&v)
	if err := v.Err(); err != nil {
		return Page[ProfileWithRoles]{}, err
	}
	var out Page[ProfileWithRoles]
	err := s.store.View(ctx, account, func(tx store.Tx) error {
		p, err := tx.InstanceProfilesForRole(role, in.Options())
		if err != nil {
			return err
		}
		out, err = withRolesPage(tx, p)
		return err
	})
	return out, err
}

// DeleteInstanceProfile deletes an instance profile that holds no role.
func (s *Service) DeleteInstanceProfile(ctx context.Context, account, name string) error {
	var v Validation
	v.Name(FieldInstanceProfileName, name, MaxInstanceProfileName)
	if err := v.Err(); err != nil {
		return err
	}
	return s.store.Update(ctx, account, func(tx store.Tx) error { return tx.DeleteInstanceProfile(name) })
}

// AddRoleToInstanceProfile puts a role in an instance profile, which holds
// at most one (LimitExceeded).
func (s *Service) AddRoleToInstanceProfile(ctx context.Context, account, profile, role string) error {
	if err := checkProfileRole(profile, role); err != nil {
		return err
	}
	return s.store.Update(ctx, account, func(tx store.Tx) error { return tx.AddRoleToInstanceProfile(profile, role) })
}

// RemoveRoleFromInstanceProfile takes a role out of an instance profile.
func (s *Service) RemoveRoleFromInstanceProfile(ctx context.Context, account, profile, role string) error {
	if err := checkProfileRole(profile, role); err != nil {
		return err
	}
	return s.store.Update(ctx, account, func(tx store.Tx) error { return tx.RemoveRoleFromInstanceProfile(profile, role) })
}

func checkProfileRole(profile, role string) error {
	var v Validation
	v.Name(FieldInstanceProfileName, profile, MaxInstanceProfileName)
	v.Name(FieldRoleName, role, MaxRoleName)
	return v.Err()
}

// TagInstanceProfile adds or replaces tags of an instance profile.
func (s *Service) TagInstanceProfile(ctx context.Context, account, name string, tags []store.Tag) error {
	return s.tag(ctx, account, store.EntityRef{Kind: store.KindInstanceProfile, Name: name}, FieldInstanceProfileName, MaxInstanceProfileName, tags)
}

// UntagInstanceProfile removes tags from an instance profile by key.
func (s *Service) UntagInstanceProfile(ctx context.Context, account, name string, keys []string) error {
	return s.untag(ctx, account, store.EntityRef{Kind: store.KindInstanceProfile, Name: name}, FieldInstanceProfileName, MaxInstanceProfileName, keys)
}

// ListInstanceProfileTags lists an instance profile's tags by key.
func (s *Service) ListInstanceProfileTags(ctx context.Context, account, name string, in ListInput) (Page[store.Tag], error) {
	return s.listTags(ctx, account, store.EntityRef{Kind: store.KindInstanceProfile, Name: name}, FieldInstanceProfileName, MaxInstanceProfileName, in)
}
