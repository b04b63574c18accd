package iam

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/policy"
)

// Quotas of an account that GetAccountSummary reports and iamq does not let
// an operator change (IAM User Guide, "IAM and AWS STS quotas";
// ../shared/data/amazon-mq-iam-facts.md §5).
const (
	QuotaUsers                 = store.MaxUsersPerAccount
	QuotaGroups                = store.MaxGroupsPerAccount
	QuotaRoles                 = store.MaxRolesPerAccount
	QuotaInstanceProfiles      = store.MaxInstanceProfilesPerAccount
	QuotaPolicies              = store.MaxPoliciesPerAccount
	QuotaPolicyVersionsInUse   = 10000
	QuotaVersionsPerPolicy     = store.MaxPolicyVersions
	QuotaGroupsPerUser         = store.MaxGroupsPerUser
	QuotaAttachedPerGroup      = 10
	QuotaDefaultAttached       = 10
	QuotaAccessKeysPerUser     = store.MaxAccessKeys
	QuotaServerCertificates    = store.MaxServerCertificates
	QuotaSigningCertsPerUser   = store.MaxSigningCerts
	GlobalEndpointTokenVersion = 1
)

// GetAccountSummary returns the account's live counts and its quotas, keyed
// as IAM's SummaryMap keys them (summaryKeyType of the service model).
func (s *Service) GetAccountSummary(ctx context.Context, account string) (map[string]int, error) {
	var sum store.Summary
	var acct store.Account
	tokenVersion, providers := GlobalEndpointTokenVersion, 0
	err := s.store.View(ctx, account, func(tx store.Tx) error {
		var err error
		acct = tx.Account()
		if sum, err = tx.Summary(); err != nil {
			return err
		}
		if providers, err = countProviders(tx); err != nil {
			return err
		}
		tokenVersion, err = globalEndpointTokenVersion(tx)
		return err
	})
	if err != nil {
		return nil, err
	}
	perUser, perRole := acct.AttachedPoliciesPerUser, acct.AttachedPoliciesPerRole
	if perUser == 0 {
		perUser = QuotaDefaultAttached
	}
	if perRole == 0 {
		perRole = QuotaDefaultAttached
	}
	rootKeys := 0
	if sum.AccessKeysPresent > 0 {
		rootKeys = 1
	}
	return map[string]int{
		"Users": sum.Users, "UsersQuota": QuotaUsers,
		"Groups": sum.Groups, "GroupsQuota": QuotaGroups,
		"Roles": sum.Roles, "RolesQuota": QuotaRoles,
		"InstanceProfiles": sum.InstanceProfiles, "InstanceProfilesQuota": QuotaInstanceProfiles,
		"Policies": sum.Policies, "PoliciesQuota": QuotaPolicies,
		"PolicyVersionsInUse": sum.PolicyVersionsInUse, "PolicyVersionsInUseQuota": QuotaPolicyVersionsInUse,
		"VersionsPerPolicyQuota": QuotaVersionsPerPolicy,
		"PolicySizeQuota":        policy.MaxManaged,
		"UserPolicySizeQuota":    store.MaxUserInlineSize, "GroupPolicySizeQuota": store.MaxGroupInlineSize,
		"RolePolicySizeQuota":          store.MaxRoleInlineSize,
		"AssumeRolePolicySizeQuota":    policy.MaxTrust,
		"AttachedPoliciesPerUserQuota": perUser, "AttachedPoliciesPerRoleQuota": perRole,
		"AttachedPoliciesPerGroupQuota":   QuotaAttachedPerGroup,
		"GroupsPerUserQuota":              QuotaGroupsPerUser,
		"AccessKeysPerUserQuota":          QuotaAccessKeysPerUser,
		"SigningCertificatesPerUserQuota": QuotaSigningCertsPerUser,
		"ServerCertificates":              sum.ServerCertificates, "ServerCertificatesQuota": QuotaServerCertificates,
		"MFADevices": sum.MFADevices, "MFADevicesInUse": sum.MFADevicesInUse, "AccountMFAEnabled": min(sum.RootMFA, 1),
		"AccountAccessKeysPresent": rootKeys, "AccountSigningCertificatesPresent": min(sum.SigningCertificatesPresent, 1),
		// The root has no console password in iamq: AccountPasswordPresent is 0.
		"AccountPasswordPresent": 0, "Providers": providers,
		"GlobalEndpointTokenVersion": tokenVersion,
	}, nil
}

// FieldAccountAlias's constraints (accountAliasType).
const (
	minAlias = 3
	maxAlias = 63
)

// CreateAccountAlias sets the account's alias, which no other account may
// hold (EntityAlreadyExists); an account has at most one.
func (s *Service) CreateAccountAlias(ctx context.Context, account, alias string) error {
	if err := checkAlias(alias); err != nil {
		return err
	}
	return s.store.Update(ctx, account, func(tx store.Tx) error { return tx.CreateAccountAlias(alias) })
}

// DeleteAccountAlias removes the account's alias.
func (s *Service) DeleteAccountAlias(ctx context.Context, account, alias string) error {
	if err := checkAlias(alias); err != nil {
		return err
	}
	return s.store.Update(ctx, account, func(tx store.Tx) error { return tx.DeleteAccountAlias(alias) })
}

// ListAccountAliases lists the account's aliases (zero or one).
func (s *Service) ListAccountAliases(ctx context.Context, account string, in ListInput) (Page[string], error) {
	var v Validation
	in.Check(&v)
	if err := v.Err(); err != nil {
		return Page[string]{}, err
	}
	var aliases []string
	err := s.store.View(ctx, account, func(tx store.Tx) error {
		var err error
		aliases, err = tx.AccountAliases()
		return err
	})
	if err != nil {
		return Page[string]{}, err
	}
	return pageSlice(aliases, in, func(a string) string { return a })
}

// checkAlias checks an alias against accountAliasType: 3 to 63 lower-case
// letters, digits and single hyphens, starting and ending with a letter or
// digit.
func checkAlias(alias string) error {
	var v Validation
	if v.Length(FieldAccountAlias, alias, minAlias, maxAlias) && !isAlias(alias) {
		v.constraint(FieldAccountAlias, alias, `Member must satisfy regular expression pattern: ^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$`)
	}
	return v.Err()
}

func isAlias(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		case c == '-' && i > 0 && i < len(s)-1 && s[i-1] != '-':
		default:
			return false
		}
	}
	return true
}

// EntityARN returns the ARN of the user, group, role or instance profile of
// account that name names, with its stored path and its name spelled as
// stored: names are unique regardless of case and found so, and
// authorization must see the entity a call really touches, not the
// request's spelling (issue 14). ok is false when there is no such entity.
func (s *Service) EntityARN(ctx context.Context, account string, kind store.Kind, name string) (string, bool) {
	// arn.IAMString, not arn.User(…).String(): this runs for every enforced
	// call that names an entity, and builds in one allocation.
	var typ, path, stored string
	err := s.store.View(ctx, account, func(tx store.Tx) error {
		var err error
		switch kind {
		case store.KindUser:
			var u store.User
			u, err = tx.User(name)
			typ, path, stored = arn.TypeUser, u.Path, u.Name
		case store.KindGroup:
			var g store.Group
			g, err = tx.Group(name)
			typ, path, stored = arn.TypeGroup, g.Path, g.Name
		case store.KindRole:
			var r store.Role
			r, err = tx.Role(name)
			typ, path, stored = arn.TypeRole, r.Path, r.Name
		case store.KindInstanceProfile:
			var p store.InstanceProfile
			p, err = tx.InstanceProfile(name)
			typ, path, stored = arn.TypeInstanceProfile, p.Path, p.Name
		default:
			err = store.ErrNotFound
		}
		return err
	})
	if err != nil {
		return "", false
	}
	return arn.IAMString(account, typ, path, stored), true
}

// Account returns the account id names (its creation date answers the
// root's GetUser).
func (s *Service) Account(ctx context.Context, id string) (store.Account, error) {
	return s.store.Account(ctx, id)
}

// CreateAccount creates the account id (12 digits; "" for a random id not
// starting with 0) named name in st, the one way every account comes to be:
// the default account at first start, `iamq admin account create`, and dev
// mode's accounts of 12-digit keys. It fails with ErrAlreadyExists for an id
// the store holds.
func CreateAccount(ctx context.Context, st store.Store, id, name string) (store.Account, error) {
	if id == "" {
		n, err := rand.Int(rand.Reader, big.NewInt(900_000_000_000))
		if err != nil {
			return store.Account{}, err
		}
		id = fmt.Sprint(100_000_000_000 + n.Int64())
	}
	if !IsAccountID(id) {
		return store.Account{}, refuse(ErrInvalidInput, "Account id %s is not 12 digits.", id)
	}
	return st.CreateAccount(ctx, store.Account{ID: id, Name: name})
}

// EnsureAccount creates the account id named name in st unless it exists:
// dev mode's accounts of 12-digit keys, made on their first use.
func EnsureAccount(ctx context.Context, st store.Store, id, name string) error {
	_, err := CreateAccount(ctx, st, id, name)
	if errors.Is(err, store.ErrAlreadyExists) {
		return nil
	}
	return err
}
