package managed

import (
	_ "embed"
	"encoding/json"
	"slices"
	"strings"
	"sync"

	"github.com/iamq/iamq/arn"
)

// ServiceLinkedRole describes the service-linked role that an AWS service
// creates in a customer's account (IAM User Guide, "Using service-linked
// roles"): its name, where it lives, whom it trusts and what it may do.
type ServiceLinkedRole struct {
	// ServiceName is the service principal, e.g. "mq.amazonaws.com", given as
	// CreateServiceLinkedRole's AWSServiceName.
	ServiceName string
	// RoleName is the role's fixed name.
	RoleName string
	// PolicyARN is the role's first AWS managed policy; MorePolicyARNs
	// are the others a few services attach too (Amazon Monitron).
	PolicyARN      string
	MorePolicyARNs []string
	// MorePrincipals are the services the role trusts besides ServiceName
	// (Oracle Database@AWS: vpc-lattice.amazonaws.com).
	MorePrincipals []string
	// CustomSuffix reports whether the service lets callers add a suffix to
	// the role name (Amazon MQ does not).
	CustomSuffix bool
	// ServiceCreated reports a role the service creates itself, which
	// CreateServiceLinkedRole refuses (AWS Outposts, one per Outpost).
	ServiceCreated bool
	// SuffixRequired reports a role whose name always ends in
	// _<per-resource id> after RoleName (AWSServiceRoleForOutposts_<OutpostID>).
	SuffixRequired bool
	// Source says where the row comes from: SourceRecorded,
	// SourceDocumented or SourceInferred.
	Source string
}

// Path returns the role's path, /aws-service-role/<service principal>/.
func (s ServiceLinkedRole) Path() string { return ServiceRolePath + s.ServiceName + "/" }

// PolicyARNs returns every AWS managed policy attached to the role, the
// first one first.
func (s ServiceLinkedRole) PolicyARNs() []string {
	return append([]string{s.PolicyARN}, s.MorePolicyARNs...)
}

// Principals returns every service the role trusts, ServiceName first.
func (s ServiceLinkedRole) Principals() []string {
	return append([]string{s.ServiceName}, s.MorePrincipals...)
}

// TrustPolicy returns the role's trust policy: its service principals alone
// may assume it. The docs name only the principals, so the exact text is the
// standard form IAM writes for a role: one principal as a string, several
// as a list.
func (s ServiceLinkedRole) TrustPolicy() string {
	principal, _ := json.Marshal(s.ServiceName)
	if len(s.MorePrincipals) > 0 {
		principal, _ = json.Marshal(s.Principals())
	}
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":` +
		string(principal) + `},"Action":"sts:AssumeRole"}]}`
}

// serviceLinkedRolesJSON is the table of service-linked roles iamq knows
// (and, but for those their service creates, can create): data/service-linked-roles.json, whose sources the file and
// data/README.md name.
//
//go:embed data/service-linked-roles.json
var serviceLinkedRolesJSON []byte

// Sources of a row of the table.
const (
	// SourceRecorded: AWS was recorded creating the role (name, path,
	// trust, policy) and answering a CustomSuffix.
	SourceRecorded = "recorded"
	// SourceInferred: AWS's own managed policies name the role's ARN; its
	// policy is the one named after it. Custom suffixes are refused.
	SourceInferred = "inferred"
	// SourceDocumented: an AWS documentation page names the role, its
	// principal and its policy. Custom suffixes are refused.
	SourceDocumented = "documented"
)

// Values of a row's optional "createdBy" and "nameSuffix" (absent: the
// role CreateServiceLinkedRole makes, under its fixed name).
const (
	// CreatedByService: the service creates the role itself, and
	// CreateServiceLinkedRole refuses to.
	CreatedByService = "service"
	// NameSuffixRequired: the role's name is "role" + "_" + a per-resource id.
	NameSuffixRequired = "required"
)

// serviceLinkedRoles reads the embedded table once.
var serviceLinkedRoles = sync.OnceValue(func() []ServiceLinkedRole {
	var file struct {
		Roles []struct {
			Service, Role, Policy, Source string
			CustomSuffix                  bool
			MorePolicies, AlsoTrusts      []string
			CreatedBy, NameSuffix         string
		}
	}
	if err := json.Unmarshal(serviceLinkedRolesJSON, &file); err != nil {
		panic("managed: data/service-linked-roles.json: " + err.Error()) // embedded: a build defect
	}
	out := make([]ServiceLinkedRole, len(file.Roles))
	for i, r := range file.Roles {
		out[i] = ServiceLinkedRole{ServiceName: r.Service, RoleName: r.Role, CustomSuffix: r.CustomSuffix, Source: r.Source,
			PolicyARN: arn.AWSManagedPolicy(ServiceRolePath, r.Policy).String(), MorePrincipals: r.AlsoTrusts,
			ServiceCreated: r.CreatedBy == CreatedByService, SuffixRequired: r.NameSuffix == NameSuffixRequired}
		for _, p := range r.MorePolicies {
			out[i].MorePolicyARNs = append(out[i].MorePolicyARNs, arn.AWSManagedPolicy(ServiceRolePath, p).String())
		}
	}
	return out
})

// ServiceLinkedRoles returns every service-linked role iamq knows, ordered
// by service principal; CreateServiceLinkedRole refuses those with
// ServiceCreated.
func ServiceLinkedRoles() []ServiceLinkedRole { return slices.Clone(serviceLinkedRoles()) }

// ServiceLinkedRoleFor returns the service-linked role of a service principal
// (matched case-insensitively, as IAM matches service names).
func ServiceLinkedRoleFor(serviceName string) (ServiceLinkedRole, bool) {
	for _, s := range serviceLinkedRoles() {
		if strings.EqualFold(s.ServiceName, serviceName) {
			return s, true
		}
	}
	return ServiceLinkedRole{}, false
}
