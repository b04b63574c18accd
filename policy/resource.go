package policy

import (
	"fmt"
	"strings"
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
func msgPartition(partition, rest string) string {
	parts := strings.SplitN(rest, ":", 4)
	seg := func(i int) string {
		if i < len(parts) && (i > 0 || parts[0] != "" || len(parts) > 1) {
			return parts[i]
		}
		return "*"
	}
	return fmt.Sprintf("Partition %q is not valid for resource \"arn:%s:%s:%s:%s:%s\".", partition, partition, seg(0), seg(1), seg(2), seg(3))
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
	_, afterPrefix, ok := strings.Cut(r, ":")
	if !ok {
		return msgResourceARN(r), fmt.Sprintf("resource %q is neither \"*\" nor an ARN", r)
	}
	partition, rest, more := strings.Cut(afterPrefix, ":")
	if partition != partitionAny && partition != "aws" {
		return msgPartition(partition, rest), fmt.Sprintf("iamq serves the aws partition, not %q", partition)
	}
	if !more {
		return MsgResourceVendor, fmt.Sprintf("resource %q names no service", r)
	}
	service, rest, more := strings.Cut(rest, ":")
	if strings.ContainsAny(service, "*?") {
		// IAM User Guide, "IAM JSON policy elements: Resource": a wildcard
		// cannot be used in the service segment.
		return MsgResourceVendor, fmt.Sprintf("the service of resource %q has a wildcard", r)
	}
	if !more {
		return "", ""
	}
	region, rest, _ := strings.Cut(rest, ":")
	_, resource, _ := strings.Cut(rest, ":")
	switch service {
	case "iam":
		if region != "" {
			return msgIAMRegion(r), fmt.Sprintf("IAM is global: the region of %q must be empty", r)
		}
		if !iamPath(resource) {
			return msgIAMPath, fmt.Sprintf("%q is not a type of IAM resource", resource)
		}
	case "s3":
		if region != "" && !hasAnyPrefix(resource, s3RegionalPrefixes) {
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
	// The third part (the service) must be there and not be empty.
	_, rest, ok := strings.Cut(r, ":")
	_, rest, ok2 := strings.Cut(rest, ":")
	service, _, _ := strings.Cut(rest, ":")
	return !ok || !ok2 || service == ""
}
