package managed

import (
	"strings"

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

// serviceLinkedRoles is the table of services that have service-linked roles,
// Amazon MQ first. Amazon MQ Developer Guide, "Using service-linked roles for
// Amazon MQ".
var serviceLinkedRoles = []ServiceLinkedRole{
	{
		ServiceName: "mq.amazonaws.com",
		RoleName:    "AWSServiceRoleForAmazonMQ",
		PolicyARN:   arn.AWSManagedPolicy(ServiceRolePath, "AmazonMQServiceRolePolicy").String(),
	},
}

// ServiceLinkedRoleFor returns the service-linked role of a service principal
// (matched case-insensitively, as IAM matches service names).
func ServiceLinkedRoleFor(serviceName string) (ServiceLinkedRole, bool) {
	for _, s := range serviceLinkedRoles {
		if strings.EqualFold(s.ServiceName, serviceName) {
			return s, true
		}
	}
	return ServiceLinkedRole{}, false
}
