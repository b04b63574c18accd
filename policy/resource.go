package policy

import (
	"fmt"
	"strings"

	"github.com/iamq/iamq/arn"
)

// This file checks the Resource and NotResource elements as IAM does. IAM
// reads a resource in its own way, not as an ARN parser would: the text
// before the first colon is never looked at, a resource may stop after its
// service ("arn:aws:fdsasf" is accepted), and a few malformed shapes are
// refused later, by the "legacy parsing" phase (see legacyResource). The rules
// and messages follow AWS's answers in testdata/aws/answers.json (recorded
// against IAM in 2026 by LocalStack's suite and in 2019 by moto's).

// partitionAny is the partition segment that matches every partition.
const partitionAny = "*"

// iamPathPrefixes are the resource types IAM accepts after the account of an
// iam ARN, in the order its message lists them (LocalStack, recorded
// 2026-02-18). "contextProvider/" is not in the message, but AWS managed
// policies name arn:aws:iam::aws:contextProvider/… resources.
var iamPathPrefixes = []string{
	"user/", "federated-user/", "role/", "group/", "instance-profile/", "mfa/",
	"server-certificate/", "policy/", "sms-mfa/", "saml-provider/", "oidc-provider/",
	"report/", "access-report/",
}

// s3RegionalPrefixes are the S3 resource types whose ARNs have a Region,
// from the Service Authorization Reference's S3 resource types (access
// points, Batch Operations jobs, Storage Lens, Access Grants, Multi-Region
// Access Point requests). Every other S3 resource with a region is refused.
var s3RegionalPrefixes = []string{"accesspoint/", "job/", "storage-lens", "access-grants/", "async-request/"}

// msgIAMPath is IAM's message for an iam resource of a type it does not know.
var msgIAMPath = `IAM resource path must either be "*", root, or start with ` + strings.Join(iamPathPrefixes, ", ") + "."

// msgPartition is IAM's message for a partition it does not serve: the
// resource as IAM reads it, six parts, "*" for each one missing.
func msgPartition(l arn.Loose) string {
	return fmt.Sprintf("Partition %q is not valid for resource %q.", l.Partition, l.Filled())
}

// msgS3Region is IAM's message for an S3 resource with a region.
func msgS3Region(r string) string {
	return fmt.Sprintf("Resource %s can not contain region information.", r)
}

// checkResource checks one resource: "*" or an ARN. It returns IAM's message
// and a detail, or "" when IAM accepts the resource's form.
func checkResource(r string) (msg, detail string) {
	if r == "*" {
		return "", ""
	}
	l := arn.ReadLoose(r)
	switch {
	case l.N == 0:
		return msgResourceARN(r), fmt.Sprintf("resource %q is neither \"*\" nor an ARN", r)
	case l.Partition != partitionAny && l.Partition != arn.PartitionAWS:
		return msgPartition(l), fmt.Sprintf("iamq serves the aws partition, not %q", l.Partition)
	case l.N == 1:
		return MsgResourceVendor, fmt.Sprintf("resource %q names no service", r)
	case strings.ContainsAny(l.Service, "*?"):
		// IAM User Guide, "IAM JSON policy elements: Resource": a wildcard
		// cannot be used in the service segment.
		return MsgResourceVendor, fmt.Sprintf("the service of resource %q has a wildcard", r)
	case l.N == 2:
		return "", ""
	}
	switch l.Service {
	case arn.ServiceIAM:
		// "arn:aws:iam:*" is refused too: its "*" fills the region segment.
		// AWS was recorded refusing a non-empty region of an iam resource
		// (testdata/aws invalid-55, aws/aws-cdk#13104) and accepting a
		// resource that stops after its service ("arn:aws:fdsasf",
		// valid-09), never one with a region segment of "*"; and none of
		// the 6,194 versions of AWS's managed policies names arn:aws:iam:*.
		if l.Region != "" {
			return msgIAMRegion(r), fmt.Sprintf("IAM is global: the region of %q must be empty", r)
		}
		if !iamPath(l.Resource) {
			return msgIAMPath, fmt.Sprintf("%q is not a type of IAM resource", l.Resource)
		}
	case "s3":
		if l.Region != "" && !hasAnyPrefix(l.Resource, s3RegionalPrefixes) {
			return msgS3Region(r), fmt.Sprintf("buckets and objects are global: the region of %q must be empty", r)
		}
	}
	return "", ""
}

// iamPath reports whether IAM accepts resource after the account of an iam ARN.
func iamPath(resource string) bool {
	return resource == "*" || resource == "root" || hasAnyPrefix(resource, iamPathPrefixes) ||
		strings.HasPrefix(resource, "contextProvider/")
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// legacyResource reports a resource that IAM's "legacy parsing" refuses: a
// short resource with an empty segment ("arn:aws:s3::bucket", fewer than six
// parts) or one whose service is empty ("arn:aws::x"). IAM reports it only
// when no earlier resource had a malformed form.
func legacyResource(r string) bool {
	if r == "*" {
		return false
	}
	if strings.Count(r, ":") < 5 && strings.Contains(r, "::") {
		return true
	}
	l := arn.ReadLoose(r)
	return l.N < 2 || l.Service == ""
}
