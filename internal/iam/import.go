package iam

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/internal/managed"
	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/policy"
)

// MaxImportBytes bounds an authorization details file.
const MaxImportBytes = 64 << 20

// ReadDetails decodes an authorization details file: the JSON that `iamq
// admin export` writes and `aws iam get-account-authorization-details`
// prints (documents as JSON objects or as strings).
func ReadDetails(r io.Reader) (AuthorizationDetails, error) {
	var d AuthorizationDetails
	dec := json.NewDecoder(io.LimitReader(r, MaxImportBytes))
	if err := dec.Decode(&d); err != nil {
		return AuthorizationDetails{}, fmt.Errorf("reading authorization details: %w", err)
	}
	return d, nil
}

// ExportAccount returns everything GetAccountAuthorizationDetails describes
// of the account, on one page.
func (s *Service) ExportAccount(ctx context.Context, account string) (AuthorizationDetails, error) {
	var d AuthorizationDetails
	err := s.store.View(ctx, account, func(tx store.Tx) error {
		r := detailReader{tx: tx, account: account, library: s.library}
		ix, err := r.index(func(EntityType) bool { return true })
		if err == nil {
			d, err = r.fill(ix, 0, ix.len())
		}
		return err
	})
	return d, err
}

// ImportSummary counts what an import created.
type ImportSummary struct {
	Users, Groups, Roles, InstanceProfiles, Policies, InlinePolicies, Attachments int
}

// ImportAccount applies authorization details to an account, in one
// transaction: customer managed policies with their versions (renumbered
// from v1, oldest first; the default stays the default), users, groups,
// roles, instance profiles, group memberships, inline policies and
// attachments. Every document is checked as the API checks it. Customer
// policy ARNs of the source account are rewritten to the target account;
// AWS managed policies must exist. Ids are new; creation dates are kept.
// Anything refused (a name already taken, a bad document) refuses the whole
// import, which then changes nothing.
func (s *Service) ImportAccount(ctx context.Context, account string, d AuthorizationDetails) (ImportSummary, error) {
	var sum ImportSummary
	err := s.store.Update(ctx, account, func(tx store.Tx) error {
		im := importer{s: s, tx: tx, account: account, sum: &sum}
		return im.run(d)
	})
	if err != nil {
		return ImportSummary{}, err
	}
	return sum, nil
}

// importer applies one file within a transaction.
type importer struct {
	s       *Service
	tx      store.Tx
	account string
	sum     *ImportSummary
}

func (im *importer) run(d AuthorizationDetails) error {
	steps := []func(AuthorizationDetails) error{im.policies, im.users, im.groups, im.roles, im.members, im.inline, im.attachments}
	for _, step := range steps {
		if err := step(d); err != nil {
			return err
		}
	}
	return nil
}

// arn rewrites a customer managed policy ARN of another account to this one;
// AWS managed policy ARNs stay.
func (im *importer) arn(s string) string {
	a, ok := arn.Split(s)
	if !ok || a.Partition != arn.PartitionAWS || a.Service != arn.ServiceIAM || a.Region != "" || a.Account == managed.Account {
		return s
	}
	a.Account = im.account
	return a.String()
}

// versionNumber orders versions "v1" < "v2" < "v10".
func versionNumber(id string) int {
	n, _ := strconv.Atoi(strings.TrimPrefix(id, "v"))
	return n
}

func (im *importer) policies(d AuthorizationDetails) error {
	for _, p := range d.Policies {
		if arn.IsAWSManaged(p.Arn) {
			continue // AWS managed: in every account already
		}
		var v Validation
		v.Name(FieldPolicyName, p.PolicyName, MaxPolicyName)
		v.PolicyPath(FieldPath, p.Path)
		v.Description(FieldDescription, p.Description)
		if err := v.Err(); err != nil {
			return fmt.Errorf("policy %s: %w", p.PolicyName, err)
		}
		versions := slices.Clone(p.PolicyVersionList)
		slices.SortFunc(versions, func(a, b PolicyVersionDetail) int { return versionNumber(a.VersionId) - versionNumber(b.VersionId) })
		if len(versions) == 0 {
			return refuse(ErrInvalidInput, "policy %s has no versions", p.PolicyName)
		}
		for _, ver := range versions {
			if err := managedDocument(string(ver.Document)); err != nil {
				return fmt.Errorf("policy %s version %s: %w", p.PolicyName, ver.VersionId, err)
			}
		}
		created := p.CreateDate
		if created.IsZero() {
			created = im.s.now().UTC()
		}
		if _, err := im.tx.CreatePolicy(store.Policy{Name: p.PolicyName, Path: orRoot(p.Path), Description: p.Description, Created: created},
			string(versions[0].Document)); err != nil {
			return err
		}
		for _, ver := range versions[1:] {
			if _, err := im.tx.CreatePolicyVersion(p.PolicyName, string(ver.Document), ver.IsDefaultVersion); err != nil {
				return fmt.Errorf("policy %s: %w", p.PolicyName, err)
			}
		}
		im.sum.Policies++
	}
	return nil
}

func (im *importer) users(d AuthorizationDetails) error {
	for _, u := range d.UserDetailList {
		var v Validation
		v.Name(FieldUserName, u.UserName, MaxUserName)
		v.Path(FieldPath, u.Path)
		v.Tags(u.Tags)
		if err := v.Err(); err != nil {
			return fmt.Errorf("user %s: %w", u.UserName, err)
		}
		boundary := ""
		if u.PermissionsBoundary != nil {
			var err error
			if boundary, err = im.s.boundary(im.tx, im.arn(u.PermissionsBoundary.PermissionsBoundaryArn)); err != nil {
				return fmt.Errorf("user %s: %w", u.UserName, err)
			}
		}
		if _, err := im.tx.CreateUser(store.User{Name: u.UserName, Path: orRoot(u.Path), Created: im.created(u.CreateDate),
			PermissionsBoundary: boundary, Tags: u.Tags}); err != nil {
			return err
		}
		im.sum.Users++
	}
	return nil
}

func (im *importer) groups(d AuthorizationDetails) error {
	for _, g := range d.GroupDetailList {
		var v Validation
		v.Name(FieldGroupName, g.GroupName, MaxGroupName)
		v.Path(FieldPath, g.Path)
		if err := v.Err(); err != nil {
			return fmt.Errorf("group %s: %w", g.GroupName, err)
		}
		if _, err := im.tx.CreateGroup(store.Group{Name: g.GroupName, Path: orRoot(g.Path), Created: im.created(g.CreateDate)}); err != nil {
			return err
		}
		im.sum.Groups++
	}
	return nil
}

func (im *importer) roles(d AuthorizationDetails) error {
	profiles := map[string]bool{}
	for _, r := range d.RoleDetailList {
		var v Validation
		v.Name(FieldRoleName, r.RoleName, MaxRoleName)
		v.Path(FieldPath, r.Path)
		v.Description(FieldDescription, r.Description)
		v.Tags(r.Tags)
		if r.MaxSessionDuration != 0 {
			v.Range(FieldMaxSessionDuration, r.MaxSessionDuration, MinMaxSessionDuration, MaxMaxSessionDuration)
		}
		if err := v.Err(); err != nil {
			return fmt.Errorf("role %s: %w", r.RoleName, err)
		}
		if err := checkTrustPolicy(string(r.AssumeRolePolicyDocument), FieldAssumeRolePolicyDocument); err != nil {
			return fmt.Errorf("role %s: %w", r.RoleName, err)
		}
		// Only a service creates roles under /aws-service-role/: one in the
		// file is a service-linked role, protected as such once imported.
		role := store.Role{Name: r.RoleName, Path: orRoot(r.Path), Created: im.created(r.CreateDate), AssumeRolePolicy: string(r.AssumeRolePolicyDocument),
			Description: r.Description, MaxSessionDuration: r.MaxSessionDuration, Tags: r.Tags,
			ServiceLinked: strings.HasPrefix(r.Path, managed.ServiceRolePath)}
		if role.MaxSessionDuration == 0 {
			role.MaxSessionDuration = DefaultMaxSessionDuration
		}
		if r.PermissionsBoundary != nil {
			var err error
			if role.PermissionsBoundary, err = im.s.boundary(im.tx, im.arn(r.PermissionsBoundary.PermissionsBoundaryArn)); err != nil {
				return fmt.Errorf("role %s: %w", r.RoleName, err)
			}
		}
		if _, err := im.tx.CreateRole(role); err != nil {
			return err
		}
		im.sum.Roles++
		for _, p := range r.InstanceProfileList {
			if err := im.profile(p, r.RoleName, profiles); err != nil {
				return err
			}
		}
	}
	return nil
}

// profile creates an instance profile the first time a role names it, and
// puts the role in it.
func (im *importer) profile(p InstanceProfileDetail, role string, seen map[string]bool) error {
	key := strings.ToLower(p.InstanceProfileName)
	if !seen[key] {
		var v Validation
		v.Name(FieldInstanceProfileName, p.InstanceProfileName, MaxInstanceProfileName)
		v.Path(FieldPath, p.Path)
		if err := v.Err(); err != nil {
			return fmt.Errorf("instance profile %s: %w", p.InstanceProfileName, err)
		}
		if _, err := im.tx.CreateInstanceProfile(store.InstanceProfile{Name: p.InstanceProfileName, Path: orRoot(p.Path),
			Created: im.created(p.CreateDate), Tags: p.Tags}); err != nil {
			return err
		}
		seen[key] = true
		im.sum.InstanceProfiles++
	}
	return im.tx.AddRoleToInstanceProfile(p.InstanceProfileName, role)
}

func (im *importer) members(d AuthorizationDetails) error {
	for _, u := range d.UserDetailList {
		for _, g := range u.GroupList {
			if err := im.tx.AddUserToGroup(g, u.UserName); err != nil {
				return fmt.Errorf("user %s in group %s: %w", u.UserName, g, err)
			}
		}
	}
	return nil
}

// inline puts every identity's inline policies.
func (im *importer) inline(d AuthorizationDetails) error {
	for _, u := range d.UserDetailList {
		if err := im.putInline(store.EntityRef{Kind: store.KindUser, Name: u.UserName}, u.UserPolicyList); err != nil {
			return err
		}
	}
	for _, g := range d.GroupDetailList {
		if err := im.putInline(store.EntityRef{Kind: store.KindGroup, Name: g.GroupName}, g.GroupPolicyList); err != nil {
			return err
		}
	}
	for _, r := range d.RoleDetailList {
		if err := im.putInline(store.EntityRef{Kind: store.KindRole, Name: r.RoleName}, r.RolePolicyList); err != nil {
			return err
		}
	}
	return nil
}

func (im *importer) putInline(of store.EntityRef, ps []PolicyDetail) error {
	for _, p := range ps {
		if err := CheckDocument(string(p.PolicyDocument), policy.KindIdentity); err != nil {
			return fmt.Errorf("%s %s policy %s: %w", of.Kind, of.Name, p.PolicyName, err)
		}
		ip := store.InlinePolicy{Name: p.PolicyName, Document: string(p.PolicyDocument), Size: policy.Size(string(p.PolicyDocument))}
		if err := im.tx.PutInlinePolicy(of, ip); err != nil {
			return err
		}
		im.sum.InlinePolicies++
	}
	return nil
}

// attachments attaches the managed policies, each of which must exist: an
// AWS managed policy in the library, a customer one in the account.
func (im *importer) attachments(d AuthorizationDetails) error {
	attach := func(of store.EntityRef, ps []AttachedPolicy) error {
		for _, p := range ps {
			policyARN := im.arn(p.PolicyArn)
			if arn.IsAWSManaged(policyARN) {
				if _, ok := im.s.library.Lookup(policyARN); !ok {
					return noSuchEntity("Policy %s does not exist or is not attachable.", policyARN)
				}
			} else if _, err := im.tx.Policy(p.PolicyName); err != nil {
				return noSuchEntity("Policy %s does not exist or is not attachable.", policyARN)
			}
			if err := im.tx.AttachPolicy(of, policyARN); err != nil {
				return fmt.Errorf("%s %s: %w", of.Kind, of.Name, err)
			}
			im.sum.Attachments++
		}
		return nil
	}
	for _, u := range d.UserDetailList {
		if err := attach(store.EntityRef{Kind: store.KindUser, Name: u.UserName}, u.AttachedManagedPolicies); err != nil {
			return err
		}
	}
	for _, g := range d.GroupDetailList {
		if err := attach(store.EntityRef{Kind: store.KindGroup, Name: g.GroupName}, g.AttachedManagedPolicies); err != nil {
			return err
		}
	}
	for _, r := range d.RoleDetailList {
		if err := attach(store.EntityRef{Kind: store.KindRole, Name: r.RoleName}, r.AttachedManagedPolicies); err != nil {
			return err
		}
	}
	return nil
}

// created is a creation date from the file, or now when it has none.
func (im *importer) created(t time.Time) time.Time {
	if t.IsZero() {
		return im.s.now().UTC()
	}
	return t.UTC()
}
