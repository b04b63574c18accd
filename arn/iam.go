package arn

import "strings"

// The ARNs of IAM and STS identities (IAM User Guide: "IAM identifiers",
// section "IAM ARNs"):
//
//	arn:aws:iam::account:root
//	arn:aws:iam::account:user/path/name
//	arn:aws:iam::account:group/path/name
//	arn:aws:iam::account:role/path/name
//	arn:aws:iam::account:policy/path/name
//	arn:aws:iam::account:instance-profile/path/name
//	arn:aws:sts::account:assumed-role/role-name/role-session-name
//	arn:aws:sts::account:federated-user/user-name
//
// IAM and STS are global: the region segment is empty. An AWS managed policy
// belongs to the pseudo-account AWSAccount. The builders below take a path
// as IAM stores it ("/" or "/division_abc/subdivision_xyz/"); an empty path
// is the root path "/". They build in PartitionAWS, the partition iamq
// serves.

// The services whose ARNs name IAM identities.
const (
	ServiceIAM = "iam"
	ServiceSTS = "sts"
)

// AWSAccount is the account segment of an AWS managed policy's ARN:
// arn:aws:iam::aws:policy/ReadOnlyAccess.
const AWSAccount = "aws"

// The types of IAM and STS resources, the first part of their resource
// segment.
const (
	TypeRoot            = "root"
	TypeUser            = "user"
	TypeGroup           = "group"
	TypeRole            = "role"
	TypePolicy          = "policy"
	TypeInstanceProfile = "instance-profile"
	TypeAssumedRole     = "assumed-role"
	TypeFederatedUser   = "federated-user"
	TypeMFA             = "mfa" // a virtual MFA device: arn:aws:iam::ACCOUNT:mfa/PATH+NAME
)

// Root is the ARN of an account's root user, which also names the account in
// a policy's Principal: arn:aws:iam::ACCOUNT:root.
func Root(account string) ARN { return iam(account, TypeRoot) }

// User is the ARN of an IAM user.
func User(account, path, name string) ARN { return iam(account, TypeUser+orRoot(path)+name) }

// Group is the ARN of an IAM group.
func Group(account, path, name string) ARN { return iam(account, TypeGroup+orRoot(path)+name) }

// Role is the ARN of an IAM role.
func Role(account, path, name string) ARN { return iam(account, TypeRole+orRoot(path)+name) }

// InstanceProfile is the ARN of an instance profile.
func InstanceProfile(account, path, name string) ARN {
	return iam(account, TypeInstanceProfile+orRoot(path)+name)
}

// Policy is the ARN of a customer managed policy of account.
func Policy(account, path, name string) ARN { return iam(account, TypePolicy+orRoot(path)+name) }

// AWSManagedPolicy is the ARN of an AWS managed policy:
// arn:aws:iam::aws:policy/PATH/NAME.
func AWSManagedPolicy(path, name string) ARN { return Policy(AWSAccount, path, name) }

// AssumedRole is the ARN of a role session, which STS names after the role
// without its path: arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION.
func AssumedRole(account, role, session string) ARN {
	return sts(account, TypeAssumedRole+"/"+role+"/"+session)
}

// FederatedUser is the ARN of a federated user session:
// arn:aws:sts::ACCOUNT:federated-user/NAME.
func FederatedUser(account, name string) ARN { return sts(account, TypeFederatedUser+"/"+name) }

// IAMString is the text of the ARN of account's IAM resource of type typ
// (TypeUser, TypeGroup, TypeRole, TypeInstanceProfile, TypePolicy) at path
// named name: User(account, path, name).String() and its siblings, built in
// one allocation where they take two, for the paths that build an ARN per
// request (enforcement names the entity each call touches). With an empty
// name it is the ARN of everything of that type under path,
// arn:aws:iam::ACCOUNT:user/PATHPREFIX, which IAM names as the resource of
// its List operations.
func IAMString(account, typ, path, name string) string {
	return Prefix + PartitionAWS + ":" + ServiceIAM + "::" + account + ":" + typ + orRoot(path) + name
}

// IsAWSManaged reports whether s is an IAM ARN of the pseudo-account
// AWSAccount, arn:aws:iam::aws:…, which holds nothing but AWS managed
// policies. It does not allocate.
func IsAWSManaged(s string) bool {
	a, ok := Split(s)
	return ok && a.Partition == PartitionAWS && a.Service == ServiceIAM && a.Region == "" && a.Account == AWSAccount
}

func iam(account, resource string) ARN {
	return ARN{Partition: PartitionAWS, Service: ServiceIAM, Account: account, Resource: resource}
}

func sts(account, resource string) ARN {
	return ARN{Partition: PartitionAWS, Service: ServiceSTS, Account: account, Resource: resource}
}

func orRoot(path string) string {
	if path == "" {
		return "/"
	}
	return path
}

// IAMResource is the resource segment of an IAM or STS ARN taken apart:
// "user/division_abc/subdivision_xyz/Bob" has the type "user", the path
// "/division_abc/subdivision_xyz/" and the name "Bob"; "root" has the type
// "root" only. In an assumed-role resource the path is the role's name
// ("assumed-role/R/S": path "/R/", name "S"); RoleSession reads it.
type IAMResource struct {
	Type, Path, Name string
}

// SplitIAMResource takes an IAM resource segment apart at its first and last
// slash. It does not allocate.
func SplitIAMResource(resource string) IAMResource {
	i := strings.IndexByte(resource, '/')
	if i < 0 {
		return IAMResource{Type: resource}
	}
	j := strings.LastIndexByte(resource, '/')
	return IAMResource{Type: resource[:i], Path: resource[i : j+1], Name: resource[j+1:]}
}

// FriendlyName returns the friendly name that ends the ARN of an IAM
// identity: "Bob" for arn:aws:iam::123456789012:user/division_abc/Bob (IAM
// User Guide: "IAM identifiers", section "Friendly names and paths"). It
// costs one backward scan and does not check that s is an ARN, for hot paths
// that read a name from an ARN they trust (eval's aws:username); s without
// a slash has no friendly name.
func FriendlyName(s string) string {
	i := strings.LastIndexByte(s, '/')
	if i < 0 {
		return ""
	}
	return s[i+1:]
}

// IAM takes the resource segment of a apart (see SplitIAMResource). ok is
// false when a is not an IAM or STS ARN.
func (a ARN) IAM() (r IAMResource, ok bool) {
	if a.Service != ServiceIAM && a.Service != ServiceSTS {
		return IAMResource{}, false
	}
	return SplitIAMResource(a.Resource), true
}

// RoleSession returns the role and session names of an assumed-role
// resource ("assumed-role/ROLE/SESSION"); ok is false for any other.
func (r IAMResource) RoleSession() (role, session string, ok bool) {
	role = strings.TrimPrefix(strings.TrimSuffix(r.Path, "/"), "/")
	ok = r.Type == TypeAssumedRole && role != "" && !strings.Contains(role, "/") && r.Name != ""
	return role, r.Name, ok
}
