package iam

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

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
		ix, err := r.index(want)
		if err != nil {
			return err
		}
		lo, hi, marker, err := pageRange(ix.len(), in)
		if err != nil {
			return err
		}
		if d, err = r.fill(ix, lo, hi); err != nil {
			return err
		}
		d.IsTruncated, d.Marker = marker != "", marker
		return nil
	})
	return d, err
}

// pageRange returns the entries [lo, hi) of a list of n that in asks for,
// and the marker of the next page ("" on the last). The marker is the index
// of the last entry returned.
func pageRange(n int, in ListInput) (lo, hi int, marker string, err error) {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	page, err := pageSlice(idx, in, func(i int) string { return fmt.Sprintf("%09d", i) })
	if err != nil || len(page.Items) == 0 {
		return 0, 0, "", err
	}
	return page.Items[0], page.Items[len(page.Items)-1] + 1, page.Marker, nil
}

// nonNil returns tags, or an empty list for none.
func nonNil(tags []store.Tag) []store.Tag {
	if tags == nil {
		return []store.Tag{}
	}
	return tags
}
