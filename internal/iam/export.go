package iam

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/iamq/iamq/internal/managed"
	"github.com/iamq/iamq/internal/store"
)

// EntityType filters GetAccountAuthorizationDetails (the model's
// EntityType).
type EntityType string

// The entity types of GetAccountAuthorizationDetails' Filter.
const (
	EntityUser               EntityType = "User"
	EntityRole               EntityType = "Role"
	EntityGroup              EntityType = "Group"
	EntityLocalManagedPolicy EntityType = "LocalManagedPolicy"
	EntityAWSManagedPolicy   EntityType = "AWSManagedPolicy"
)

// Document is a policy document. In JSON it is written as the document
// itself, as the AWS CLI prints GetAccountAuthorizationDetails, and read
// from either a JSON object or a string holding one.
type Document string

// MarshalJSON writes the document as JSON; text that is not JSON is written
// as a string.
func (d Document) MarshalJSON() ([]byte, error) {
	if json.Valid([]byte(d)) {
		var b bytes.Buffer
		if err := json.Compact(&b, []byte(d)); err == nil {
			return b.Bytes(), nil
		}
	}
	return json.Marshal(string(d))
}

// UnmarshalJSON reads a document given as a JSON object or a string.
func (d *Document) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*d = Document(s)
		return nil
	}
	*d = Document(b)
	return nil
}

// PolicyDetail is an inline policy (the model's PolicyDetail).
type PolicyDetail struct {
	PolicyName     string
	PolicyDocument Document
}

// AttachedPolicy is a managed policy attached to an identity.
type AttachedPolicy struct {
	PolicyName string
	PolicyArn  string
}

// Boundary is an identity's permissions boundary (AttachedPermissionsBoundary).
type Boundary struct {
	PermissionsBoundaryType string
	PermissionsBoundaryArn  string
}

// BoundaryType is the only type of permissions boundary IAM has.
const BoundaryType = "PermissionsBoundaryPolicy"

// UserDetail is a user with its policies and groups.
type UserDetail struct {
	Path                    string
	UserName                string
	UserId                  string
	Arn                     string
	CreateDate              time.Time
	UserPolicyList          []PolicyDetail
	GroupList               []string
	AttachedManagedPolicies []AttachedPolicy
	PermissionsBoundary     *Boundary `json:",omitempty"`
	Tags                    []store.Tag
}

// GroupDetail is a group with its policies.
type GroupDetail struct {
	Path                    string
	GroupName               string
	GroupId                 string
	Arn                     string
	CreateDate              time.Time
	GroupPolicyList         []PolicyDetail
	AttachedManagedPolicies []AttachedPolicy
}

// RoleSummary is a role inside an instance profile.
type RoleSummary struct {
	Path                     string
	RoleName                 string
	RoleId                   string
	Arn                      string
	CreateDate               time.Time
	AssumeRolePolicyDocument Document
	Description              string `json:",omitempty"`
	MaxSessionDuration       int    `json:",omitempty"`
}

// InstanceProfileDetail is an instance profile with its roles.
type InstanceProfileDetail struct {
	Path                string
	InstanceProfileName string
	InstanceProfileId   string
	Arn                 string
	CreateDate          time.Time
	Roles               []RoleSummary
	Tags                []store.Tag `json:",omitempty"`
}

// RoleLastUsed is when and where a role was last used.
type RoleLastUsed struct {
	LastUsedDate *time.Time `json:",omitempty"`
	Region       string     `json:",omitempty"`
}

// RoleDetail is a role with its policies and instance profiles.
type RoleDetail struct {
	RoleSummary
	InstanceProfileList     []InstanceProfileDetail
	RolePolicyList          []PolicyDetail
	AttachedManagedPolicies []AttachedPolicy
	PermissionsBoundary     *Boundary `json:",omitempty"`
	Tags                    []store.Tag
	RoleLastUsed            RoleLastUsed
}

// PolicyVersionDetail is one version of a managed policy.
type PolicyVersionDetail struct {
	Document         Document
	VersionId        string
	IsDefaultVersion bool
	CreateDate       time.Time
}

// ManagedPolicyDetail is a managed policy with its versions.
type ManagedPolicyDetail struct {
	PolicyName                    string
	PolicyId                      string
	Arn                           string
	Path                          string
	DefaultVersionId              string
	AttachmentCount               int
	PermissionsBoundaryUsageCount int
	IsAttachable                  bool
	Description                   string `json:",omitempty"`
	CreateDate                    time.Time
	UpdateDate                    time.Time
	PolicyVersionList             []PolicyVersionDetail
}

// AuthorizationDetails is GetAccountAuthorizationDetails' answer, and the
// format of `iamq admin export` and `iamq admin import`.
type AuthorizationDetails struct {
	UserDetailList  []UserDetail
	GroupDetailList []GroupDetail
	RoleDetailList  []RoleDetail
	Policies        []ManagedPolicyDetail
	IsTruncated     bool   `json:",omitempty"`
	Marker          string `json:",omitempty"`
}

// Len is how many entries d holds, the unit of its pagination.
func (d *AuthorizationDetails) Len() int {
	return len(d.UserDetailList) + len(d.GroupDetailList) + len(d.RoleDetailList) + len(d.Policies)
}

// GetAccountAuthorizationDetails describes the account: its users, groups
// and roles with their inline and attached policies, and every managed
// policy of the account or attached in it, with its versions. filter
// selects entity types (none: all). Pages hold in.MaxItems entries (users,
// then groups, roles and policies).
func (s *Service) GetAccountAuthorizationDetails(ctx context.Context, account string, filter []EntityType, in ListInput) (AuthorizationDetails, error) {
	var v Validation
	in.Check(&v)
	for i, f := range filter {
		switch f {
		case EntityUser, EntityRole, EntityGroup, EntityLocalManagedPolicy, EntityAWSManagedPolicy:
		default:
			v.constraint(Field(fmt.Sprintf("filter.%d.member", i+1)), string(f),
				"Member must satisfy enum value set: [LocalManagedPolicy, Group, AWSManagedPolicy, User, Role]")
		}
	}
	if err := v.Err(); err != nil {
		return AuthorizationDetails{}, err
	}
	want := func(t EntityType) bool { return len(filter) == 0 || slices.Contains(filter, t) }
	var d AuthorizationDetails
	err := s.store.View(ctx, account, func(tx store.Tx) error {
		r := detailReader{tx: tx, account: account, library: s.library}
		return r.read(&d, want)
	})
	if err != nil {
		return AuthorizationDetails{}, err
	}
	return pageDetails(d, in)
}

// pageDetails cuts one page out of d: the marker is the index of the next
// entry.
func pageDetails(d AuthorizationDetails, in ListInput) (AuthorizationDetails, error) {
	type entry struct{ i int }
	all := make([]entry, d.Len())
	for i := range all {
		all[i] = entry{i}
	}
	page, err := pageSlice(all, in, func(e entry) string { return fmt.Sprintf("%09d", e.i) })
	if err != nil {
		return AuthorizationDetails{}, err
	}
	if len(page.Items) == 0 {
		return AuthorizationDetails{UserDetailList: []UserDetail{}, GroupDetailList: []GroupDetail{},
			RoleDetailList: []RoleDetail{}, Policies: []ManagedPolicyDetail{}}, nil
	}
	lo, hi := page.Items[0].i, page.Items[len(page.Items)-1].i+1
	cut := func(n int) (int, int) { // the part of [lo, hi) within the next n entries
		a, b := max(lo, 0), min(hi, n)
		lo, hi = lo-n, hi-n
		if a > b {
			return 0, 0
		}
		return a, b
	}
	out := AuthorizationDetails{IsTruncated: page.IsTruncated, Marker: page.Marker}
	a, b := cut(len(d.UserDetailList))
	out.UserDetailList = d.UserDetailList[a:b]
	a, b = cut(len(d.GroupDetailList))
	out.GroupDetailList = d.GroupDetailList[a:b]
	a, b = cut(len(d.RoleDetailList))
	out.RoleDetailList = d.RoleDetailList[a:b]
	a, b = cut(len(d.Policies))
	out.Policies = d.Policies[a:b]
	return out, nil
}

// detailReader reads the authorization details in one transaction.
type detailReader struct {
	tx      store.Tx
	account string
	library *managed.Library
	used    map[string]bool // managed policy ARNs attached or used as boundaries
	bounds  map[string]int  // how many users and roles each ARN bounds
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

func (r *detailReader) read(d *AuthorizationDetails, want func(EntityType) bool) error {
	r.used, r.bounds = map[string]bool{}, map[string]int{}
	steps := []struct {
		t  EntityType
		fn func(*AuthorizationDetails) error
	}{{EntityUser, r.users}, {EntityGroup, r.groups}, {EntityRole, r.roles}}
	for _, st := range steps {
		if err := st.fn(d); err != nil {
			return err
		}
		if !want(st.t) {
			switch st.t {
			case EntityUser:
				d.UserDetailList = []UserDetail{}
			case EntityGroup:
				d.GroupDetailList = []GroupDetail{}
			case EntityRole:
				d.RoleDetailList = []RoleDetail{}
			}
		}
	}
	d.Policies = []ManagedPolicyDetail{}
	if want(EntityLocalManagedPolicy) {
		if err := r.localPolicies(d); err != nil {
			return err
		}
	}
	if want(EntityAWSManagedPolicy) {
		return r.awsPolicies(d)
	}
	return nil
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
		r.used[a.ARN] = true
	}
	return ps, as, nil
}

func (r *detailReader) boundary(arn string) *Boundary {
	if arn == "" {
		return nil
	}
	r.used[arn] = true
	r.bounds[arn]++
	return &Boundary{PermissionsBoundaryType: BoundaryType, PermissionsBoundaryArn: arn}
}

func (r *detailReader) users(d *AuthorizationDetails) error {
	users, err := all(r.tx.Users)
	if err != nil {
		return err
	}
	d.UserDetailList = make([]UserDetail, 0, len(users))
	for _, u := range users {
		if u, err = r.tx.User(u.Name); err != nil { // with its tags
			return err
		}
		ud := UserDetail{Path: u.Path, UserName: u.Name, UserId: u.ID, Arn: UserARN(r.account, u.Path, u.Name),
			CreateDate: u.Created, PermissionsBoundary: r.boundary(u.PermissionsBoundary), Tags: nonNil(u.Tags)}
		ref := store.EntityRef{Kind: store.KindUser, Name: u.Name}
		if ud.UserPolicyList, ud.AttachedManagedPolicies, err = r.policiesOf(ref); err != nil {
			return err
		}
		groups, err := all(func(o store.ListOptions) (store.Page[store.Group], error) { return r.tx.GroupsForUser(u.Name, o) })
		if err != nil {
			return err
		}
		ud.GroupList = []string{}
		for _, g := range groups {
			ud.GroupList = append(ud.GroupList, g.Name)
		}
		d.UserDetailList = append(d.UserDetailList, ud)
	}
	return nil
}

func (r *detailReader) groups(d *AuthorizationDetails) error {
	groups, err := all(r.tx.Groups)
	if err != nil {
		return err
	}
	d.GroupDetailList = make([]GroupDetail, 0, len(groups))
	for _, g := range groups {
		gd := GroupDetail{Path: g.Path, GroupName: g.Name, GroupId: g.ID, Arn: GroupARN(r.account, g.Path, g.Name), CreateDate: g.Created}
		if gd.GroupPolicyList, gd.AttachedManagedPolicies, err = r.policiesOf(store.EntityRef{Kind: store.KindGroup, Name: g.Name}); err != nil {
			return err
		}
		d.GroupDetailList = append(d.GroupDetailList, gd)
	}
	return nil
}

func (r *detailReader) roleSummary(ro store.Role) RoleSummary {
	return RoleSummary{Path: ro.Path, RoleName: ro.Name, RoleId: ro.ID, Arn: RoleARN(r.account, ro.Path, ro.Name),
		CreateDate: ro.Created, AssumeRolePolicyDocument: Document(ro.AssumeRolePolicy),
		Description: ro.Description, MaxSessionDuration: ro.MaxSessionDuration}
}

func (r *detailReader) roles(d *AuthorizationDetails) error {
	roles, err := all(r.tx.Roles)
	if err != nil {
		return err
	}
	d.RoleDetailList = make([]RoleDetail, 0, len(roles))
	for _, ro := range roles {
		if ro, err = r.tx.Role(ro.Name); err != nil {
			return err
		}
		rd := RoleDetail{RoleSummary: r.roleSummary(ro), PermissionsBoundary: r.boundary(ro.PermissionsBoundary), Tags: nonNil(ro.Tags)}
		if !ro.LastUsed.IsZero() {
			t := ro.LastUsed
			rd.RoleLastUsed = RoleLastUsed{LastUsedDate: &t, Region: ro.LastUsedRegion}
		}
		if rd.RolePolicyList, rd.AttachedManagedPolicies, err = r.policiesOf(store.EntityRef{Kind: store.KindRole, Name: ro.Name}); err != nil {
			return err
		}
		profiles, err := all(func(o store.ListOptions) (store.Page[store.InstanceProfile], error) {
			return r.tx.InstanceProfilesForRole(ro.Name, o)
		})
		if err != nil {
			return err
		}
		rd.InstanceProfileList = []InstanceProfileDetail{}
		for _, p := range profiles {
			pd := InstanceProfileDetail{Path: p.Path, InstanceProfileName: p.Name, InstanceProfileId: p.ID,
				Arn: InstanceProfileARN(r.account, p.Path, p.Name), CreateDate: p.Created, Roles: []RoleSummary{}}
			for _, name := range p.Roles {
				pr, err := r.tx.Role(name)
				if err != nil {
					return err
				}
				pd.Roles = append(pd.Roles, r.roleSummary(pr))
			}
			rd.InstanceProfileList = append(rd.InstanceProfileList, pd)
		}
		d.RoleDetailList = append(d.RoleDetailList, rd)
	}
	return nil
}

func (r *detailReader) localPolicies(d *AuthorizationDetails) error {
	policies, err := all(func(o store.ListOptions) (store.Page[store.Policy], error) {
		return r.tx.Policies(store.PolicyListOptions{ListOptions: o})
	})
	if err != nil {
		return err
	}
	for _, p := range policies {
		versions, err := r.tx.PolicyVersions(p.Name)
		if err != nil {
			return err
		}
		pd := ManagedPolicyDetail{PolicyName: p.Name, PolicyId: p.ID, Arn: store.PolicyARN(r.account, p.Path, p.Name), Path: p.Path,
			DefaultVersionId: p.DefaultVersionID, AttachmentCount: p.AttachmentCount, PermissionsBoundaryUsageCount: p.BoundaryUsageCount,
			IsAttachable: true, Description: p.Description, CreateDate: p.Created, UpdateDate: p.Updated,
			PolicyVersionList: make([]PolicyVersionDetail, 0, len(versions))}
		for _, v := range versions {
			pd.PolicyVersionList = append(pd.PolicyVersionList,
				PolicyVersionDetail{Document: Document(v.Document), VersionId: v.ID, IsDefaultVersion: v.IsDefault, CreateDate: v.Created})
		}
		d.Policies = append(d.Policies, pd)
	}
	return nil
}

// awsPolicies adds the AWS managed policies in use in the account, with
// every recovered version.
func (r *detailReader) awsPolicies(d *AuthorizationDetails) error {
	counts, err := r.tx.AttachmentCounts()
	if err != nil {
		return err
	}
	arns := make([]string, 0, len(r.used))
	for arn := range r.used {
		if strings.HasPrefix(arn, "arn:aws:iam::"+managed.Account+":") {
			arns = append(arns, arn)
		}
	}
	slices.Sort(arns)
	for _, arn := range arns {
		p, ok := r.library.Lookup(arn)
		if !ok {
			continue
		}
		pd := ManagedPolicyDetail{PolicyName: p.Name, PolicyId: p.ID, Arn: arn, Path: p.Path, DefaultVersionId: p.DefaultVersion,
			AttachmentCount: counts[arn], PermissionsBoundaryUsageCount: r.bounds[arn], IsAttachable: p.Attachable,
			Description: p.Description, CreateDate: p.CreateDate, UpdateDate: p.UpdateDate}
		for i := len(p.Versions) - 1; i >= 0; i-- { // newest first, as IAM lists versions
			v := p.Versions[i]
			doc, err := r.library.Document(p, v.ID)
			if err != nil {
				return err
			}
			pd.PolicyVersionList = append(pd.PolicyVersionList, PolicyVersionDetail{Document: Document(doc), VersionId: v.ID,
				IsDefaultVersion: v.ID == p.DefaultVersion, CreateDate: v.CreateDate})
		}
		d.Policies = append(d.Policies, pd)
	}
	return nil
}

// nonNil returns tags, or an empty list for none.
func nonNil(tags []store.Tag) []store.Tag {
	if tags == nil {
		return []store.Tag{}
	}
	return tags
}
