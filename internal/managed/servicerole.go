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
	// PolicyARN is the one AWS managed policy attached to the role.
	PolicyARN string
	// CustomSuffix reports whether the service lets callers add a suffix to
	// the role name (Amazon MQ does not).
	CustomSuffix bool
	// Source says where the row comes from: SourceRecorded,
	// SourceDocumented or SourceInferred.
	Source string
}

// Path returns the role's path, /aws-service-role/<service principal>/.
func (s ServiceLinkedRole) Path() string { return ServiceRolePath + s.ServiceName + "/" }

// TrustPolicy returns the role's trust policy: the service principal alone may
// assume it. The docs name only the principal, so the exact text is the
// standard form IAM writes for a service-linked role.
func (s ServiceLinkedRole) TrustPolicy() string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"` +
		s.ServiceName + `"},"Action":"sts:AssumeRole"}]}`
}

// serviceLinkedRolesJSON is the table of service-linked roles iamq can
// create: data/service-linked-roles.json, whose sources the file and
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

// serviceLinkedRoles reads the embedded table once.
var serviceLinkedRoles = sync.OnceValue(func() []ServiceLinkedRole {
	var file struct {
		Roles []struct {
			Service, Role, Policy, Source string
			CustomSuffix                  bool
		}
	}
	if err := json.Unmarshal(serviceLinkedRolesJSON, &file); err != nil {
		panic("managed: data/service-linked-roles.json: " + err.Error()) // embedded: a build defect
	}
	out := make([]ServiceLinkedRole, len(file.Roles))
	for i, r := range file.Roles {
		out[i] = ServiceLinkedRole{ServiceName: r.Service, RoleName: r.Role, CustomSuffix: r.CustomSuffix, Source: r.Source,
			PolicyARN: arn.AWSManagedPolicy(ServiceRolePath, r.Policy).String()}
	}
	return out
})

// ServiceLinkedRoles returns every service-linked role iamq can create,
// ordered by service principal.
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
