package iam

import (
	"slices"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/internal/managed"
	"github.com/iamq/iamq/internal/store"
)

// detailReader reads the authorization details in one transaction.
type detailReader struct {
	tx      store.Tx
	account string
	library *managed.Registry
}

// detailIndex is the cheap part of the authorization details: every entry,
// in page order (users, groups, roles, customer managed policies, AWS
// managed policies in use), read with a few list queries. The costly part,
// each entry's policies, groups, profiles and versions, is read only for the
// entries of the page asked for.
type detailIndex struct {
	users  []store.User
	groups []store.Group
	roles  []store.Role
	local  []store.Policy
	aws    []*managed.Policy // attached or used as a boundary, by ARN
	counts map[string]int    // attachments per policy ARN
	bounds map[string]int    // users and roles bounded, per policy ARN
}

func (ix *detailIndex) len() int {
	return len(ix.users) + len(ix.groups) + len(ix.roles) + len(ix.local) + len(ix.aws)
}

// all reads every page of a list.
func all[T any](list func(store.ListOptions) (store.Page[T], error)) ([]T, error) {
	var out []T
	o := store.ListOptions{MaxItems: store.MaxMaxItems}
	for {
		p, err := list(o)
		if err != nil {
			return nil, err
		}
		out = append(out, p.Items...)
		if !p.Truncated() {
			return out, nil
		}
		o.Marker = p.Marker
	}
}

// index reads the entries of the types want selects.
func (r *detailReader) index(want func(EntityType) bool) (*detailIndex, error) {
	ix := &detailIndex{bounds: map[string]int{}}
	users, err := all(r.tx.Users)
	if err != nil {
		return nil, err
	}
	roles, err := all(r.tx.Roles)
	if err != nil {
		return nil, err
	}
	for _, u := range users {
		ix.bounds[u.PermissionsBoundary]++
	}
	for _, ro := range roles {
		ix.bounds[ro.PermissionsBoundary]++
	}
	delete(ix.bounds, "")
	if ix.counts, err = r.tx.AttachmentCounts(); err != nil {
		return nil, err
	}
	if want(EntityUser) {
		ix.users = users
	}
	if want(EntityGroup) {
		if ix.groups, err = all(r.tx.Groups); err != nil {
			return nil, err
		}
	}
	if want(EntityRole) {
		ix.roles = roles
	}
	if want(EntityLocalManagedPolicy) {
		ix.local, err = all(func(o store.ListOptions) (store.Page[store.Policy], error) {
			return r.tx.Policies(store.PolicyListOptions{ListOptions: o})
		})
		if err != nil {
			return nil, err
		}
	}
	if want(EntityAWSManagedPolicy) {
		ix.aws = r.awsInUse(ix)
	}
	return ix, nil
}

// awsInUse returns the AWS managed policies attached in the account or
// bounding one of its users or roles, by ARN.
func (r *detailReader) awsInUse(ix *detailIndex) []*managed.Policy {
	var arns []string
	for _, m := range []map[string]int{ix.counts, ix.bounds} {
		for a := range m {
			if arn.IsAWSManaged(a) && !slices.Contains(arns, a) {
				arns = append(arns, a)
			}
		}
	}
	slices.Sort(arns)
	var out []*managed.Policy
	for _, arn := range arns {
		if p, ok := r.library.Lookup(arn); ok {
			out = append(out, p)
		}
	}
	return out
}

// fillRange returns the details of the items whose place in the whole list,
// base+i, is within [lo, hi).
func fillRange[T, D any](items []T, base, lo, hi int, detail func(T) (D, error)) ([]D, error) {
	out := []D{}
	for i, it := range items {
		if base+i < lo || base+i >= hi {
			continue
		}
		d, err := detail(it)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// fill reads the details of the entries [lo, hi) of ix.
func (r *detailReader) fill(ix *detailIndex, lo, hi int) (AuthorizationDetails, error) {
	var d AuthorizationDetails
	var err error
	base := 0
	if d.UserDetailList, err = fillRange(ix.users, base, lo, hi, r.user); err != nil {
		return d, err
	}
	base += len(ix.users)
	if d.GroupDetailList, err = fillRange(ix.groups, base, lo, hi, r.group); err != nil {
		return d, err
	}
	base += len(ix.groups)
	if d.RoleDetailList, err = fillRange(ix.roles, base, lo, hi, r.role); err != nil {
		return d, err
	}
	base += len(ix.roles)
	if d.Policies, err = fillRange(ix.local, base, lo, hi, r.localPolicy); err != nil {
		return d, err
	}
	base += len(ix.local)
	aws, err := fillRange(ix.aws, base, lo, hi, func(p *managed.Policy) (ManagedPolicyDetail, error) { return r.awsPolicy(ix, p) })
	d.Policies = append(d.Policies, aws...)
	return d, err
}

// policiesOf reads an identity's inline and attached policies.
func (r *detailReader) policiesOf(of store.EntityRef) ([]PolicyDetail, []AttachedPolicy, error) {
	inline, err := all(func(o store.ListOptions) (store.Page[store.InlinePolicy], error) { return r.tx.InlinePolicies(of, o) })
	if err != nil {
		return nil, nil, err
	}
	attached, err := all(func(o store.ListOptions) (store.Page[store.AttachedPolicy], error) {
		return r.tx.AttachedPolicies(of, o)
	})
	if err != nil {
		return nil, nil, err
	}
	ps := make([]PolicyDetail, 0, len(inline))
	for _, p := range inline {
		ps = append(ps, PolicyDetail{PolicyName: p.Name, PolicyDocument: Document(p.Document)})
	}
	as := make([]AttachedPolicy, 0, len(attached))
	for _, a := range attached {
		as = append(as, AttachedPolicy{PolicyName: a.Name, PolicyArn: a.ARN})
	}
	return ps, as, nil
}

func boundaryOf(arn string) *Boundary {
	if arn == "" {
		return nil
	}
	return &Boundary{PermissionsBoundaryType: BoundaryType, PermissionsBoundaryArn: arn}
}

func (r *detailReader) user(u store.User) (UserDetail, error) {
	u, err := r.tx.User(u.Name) // with its tags
	if err != nil {
		return UserDetail{}, err
	}
	ud := UserDetail{Path: u.Path, UserName: u.Name, UserId: u.ID, Arn: arn.IAMString(r.account, arn.TypeUser, u.Path, u.Name),
		CreateDate: u.Created, PermissionsBoundary: boundaryOf(u.PermissionsBoundary), Tags: nonNil(u.Tags), GroupList: []string{}}
	if ud.UserPolicyList, ud.AttachedManagedPolicies, err = r.policiesOf(store.EntityRef{Kind: store.KindUser, Name: u.Name}); err != nil {
		return UserDetail{}, err
	}
	groups, err := all(func(o store.ListOptions) (store.Page[store.Group], error) { return r.tx.GroupsForUser(u.Name, o) })
	for _, g := range groups {
		ud.GroupList = append(ud.GroupList, g.Name)
	}
	return ud, err
}

func (r *detailReader) group(g store.Group) (GroupDetail, error) {
	gd := GroupDetail{Path: g.Path, GroupName: g.Name, GroupId: g.ID, Arn: arn.IAMString(r.account, arn.TypeGroup, g.Path, g.Name), CreateDate: g.Created}
	var err error
	gd.GroupPolicyList, gd.AttachedManagedPolicies, err = r.policiesOf(store.EntityRef{Kind: store.KindGroup, Name: g.Name})
	return gd, err
}

func (r *detailReader) roleSummary(ro store.Role) RoleSummary {
	return RoleSummary{Path: ro.Path, RoleName: ro.Name, RoleId: ro.ID, Arn: arn.IAMString(r.account, arn.TypeRole, ro.Path, ro.Name),
		CreateDate: ro.Created, AssumeRolePolicyDocument: Document(ro.AssumeRolePolicy),
		Description: ro.Description, MaxSessionDuration: ro.MaxSessionDuration}
}

func (r *detailReader) role(ro store.Role) (RoleDetail, error) {
	ro, err := r.tx.Role(ro.Name) // with its tags
	if err != nil {
		return RoleDetail{}, err
	}
	rd := RoleDetail{RoleSummary: r.roleSummary(ro), PermissionsBoundary: boundaryOf(ro.PermissionsBoundary), Tags: nonNil(ro.Tags),
		InstanceProfileList: []InstanceProfileDetail{}}
	if !ro.LastUsed.IsZero() {
		t := ro.LastUsed
		rd.RoleLastUsed = RoleLastUsed{LastUsedDate: &t, Region: ro.LastUsedRegion}
	}
	if rd.RolePolicyList, rd.AttachedManagedPolicies, err = r.policiesOf(store.EntityRef{Kind: store.KindRole, Name: ro.Name}); err != nil {
		return RoleDetail{}, err
	}
	profiles, err := all(func(o store.ListOptions) (store.Page[store.InstanceProfile], error) {
		return r.tx.InstanceProfilesForRole(ro.Name, o)
	})
	if err != nil {
		return RoleDetail{}, err
	}
	for _, p := range profiles {
		pd := InstanceProfileDetail{Path: p.Path, InstanceProfileName: p.Name, InstanceProfileId: p.ID,
			Arn: arn.IAMString(r.account, arn.TypeInstanceProfile, p.Path, p.Name), CreateDate: p.Created, Roles: []RoleSummary{}, Tags: p.Tags}
		if pd.Tags == nil { // a list's profiles come without their tags
			full, err := r.tx.InstanceProfile(p.Name)
			if err != nil {
				return RoleDetail{}, err
			}
			pd.Tags = full.Tags
		}
		for _, name := range p.Roles {
			pr, err := r.tx.Role(name)
			if err != nil {
				return RoleDetail{}, err
			}
			pd.Roles = append(pd.Roles, r.roleSummary(pr))
		}
		rd.InstanceProfileList = append(rd.InstanceProfileList, pd)
	}
	return rd, nil
}

func (r *detailReader) localPolicy(p store.Policy) (ManagedPolicyDetail, error) {
	versions, err := r.tx.PolicyVersions(p.Name)
	if err != nil {
		return ManagedPolicyDetail{}, err
	}
	pd := ManagedPolicyDetail{PolicyName: p.Name, PolicyId: p.ID, Arn: store.PolicyARN(r.account, p.Path, p.Name), Path: p.Path,
		DefaultVersionId: p.DefaultVersionID, AttachmentCount: p.AttachmentCount, PermissionsBoundaryUsageCount: p.BoundaryUsageCount,
		IsAttachable: true, Description: p.Description, CreateDate: p.Created, UpdateDate: p.Updated,
		PolicyVersionList: make([]PolicyVersionDetail, 0, len(versions))}
	for _, v := range versions {
		pd.PolicyVersionList = append(pd.PolicyVersionList,
			PolicyVersionDetail{Document: Document(v.Document), VersionId: v.ID, IsDefaultVersion: v.IsDefault, CreateDate: v.Created})
	}
	return pd, nil
}

// awsPolicy describes an AWS managed policy in use, with every recovered
// version, newest first as IAM lists versions.
func (r *detailReader) awsPolicy(ix *detailIndex, p *managed.Policy) (ManagedPolicyDetail, error) {
	arn := p.ARN()
	pd := ManagedPolicyDetail{PolicyName: p.Name, PolicyId: p.ID, Arn: arn, Path: p.Path, DefaultVersionId: p.DefaultVersion,
		AttachmentCount: ix.counts[arn], PermissionsBoundaryUsageCount: ix.bounds[arn], IsAttachable: p.Attachable,
		Description: p.Description, CreateDate: p.CreateDate, UpdateDate: p.UpdateDate}
	for i := len(p.Versions) - 1; i >= 0; i-- {
		v := p.Versions[i]
		doc, err := r.library.Document(p, v.ID)
		if err != nil {
			return ManagedPolicyDetail{}, err
		}
		pd.PolicyVersionList = append(pd.PolicyVersionList, PolicyVersionDetail{Document: Document(doc), VersionId: v.ID,
			IsDefaultVersion: v.ID == p.DefaultVersion, CreateDate: v.CreateDate})
	}
	return pd, nil
}
