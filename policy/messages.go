package policy

import (
	"errors"
	"fmt"
)

// IAM's MalformedPolicyDocument messages. Each says where it was seen:
// "verified" means real IAM output quoted in a public source (named), "moto"
// means the text moto 5.2.1 emits (shared/data/amazon-mq-iam-facts.md §4), and
// "unverified" means the text is ours or inferred by analogy.
const (
	// MsgInvalidJSON: CreateRole or UpdateAssumeRolePolicy with text that is
	// not JSON. Verified: aws-samples/aws-microservices-deploy-options#118,
	// AWSCookbook/Security#2. (IAM's policy APIs say MsgSyntax instead:
	// 99designs/iamy#74, velero-io/velero#6609.)
	MsgInvalidJSON = "This policy contains invalid Json"
	// MsgNoActions: a statement without Action or NotAction. moto.
	MsgNoActions = "Policy statement must contain actions."
	// MsgNoResources: a statement without Resource or NotResource.
	// Verified: terraform-aws-modules/terraform-aws-iam#603 (CreatePolicy).
	MsgNoResources = "Policy statement must contain resources."
	// MsgVendor: an action without "vendor:". Verified: LocalStack's
	// recordings of 2026 (testdata/aws). Condition keys without a vendor are
	// accepted.
	MsgVendor = "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."
	// MsgOneColon: an action with two colons. Verified: garnaat/kappa#111
	// (CreatePolicy).
	MsgOneColon = "Actions/Condition can contain only one colon."
	// MsgResourceVendor: a resource ARN without a service. Verified:
	// LocalStack's recordings of 2026 (testdata/aws).
	MsgResourceVendor = "Resource vendor must be fully qualified and cannot contain regexes."
	// MsgDuplicateSid: two statements with one Sid. moto.
	MsgDuplicateSid = "Statement IDs (SID) in a single policy must be unique."
	// MsgSidChars: a Sid with characters other than letters and digits, in
	// a policy that IAM stores. Verified: aws-cloudformation/cfn-lint#1376
	// (Service: AmazonIdentityManagement), Wolox/carthage_cache#22.
	MsgSidChars = "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*"
	// MsgPrincipalProhibited: Principal in an identity policy. Verified:
	// hashicorp/terraform-provider-aws#10419 (PutGroupPolicy).
	MsgPrincipalProhibited = "Policy document should not specify a principal."
	// MsgNoPrincipals: a trust policy statement without Principal. Verified:
	// hashicorp/terraform-provider-aws#7756, cloudposse/terraform-aws-cloudwatch-logs#7
	// (CreateRole).
	MsgNoPrincipals = "Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no principals!"
	// MsgMissingPrincipal: a resource policy statement without Principal.
	// Verified for S3 bucket policies (humanmade/S3-Uploads#191); other
	// services word it their own way.
	MsgMissingPrincipal = "Missing required field Principal"
	// MsgTrustActions: a trust policy action that is not an STS AssumeRole
	// action. Verified: hashicorp/terraform-provider-aws#32872 (CreateRole).
	MsgTrustActions = "AssumeRole policy may only specify STS AssumeRole actions."
	// MsgSCP: the Organizations API's MalformedPolicyDocumentException for
	// an SCP that breaks the SCP rules. Unverified.
	MsgSCP = "The provided policy document does not meet the requirements of the specified policy type."
)

// msgProhibited is IAM's message for an element a kind of document may not
// have. Verified for Resource in trust policies: kubernetes-sigs/external-dns#3085
// (CreateRole), localstack/localstack#6644. Other elements by analogy.
func msgProhibited(element string) string { return "Has prohibited field " + element }

// msgVendorInvalid is the message for a vendor with characters IAM refuses.
// moto.
func msgVendorInvalid(vendor string) string { return fmt.Sprintf("Vendor %s is not valid", vendor) }

// msgInvalidPrincipal is IAM's message for a principal value it cannot
// resolve or read. Verified: aws-actions/configure-aws-credentials#332
// (UpdateAssumeRolePolicy), opstrace/opstrace#88.
func msgInvalidPrincipal(typ, value string) string {
	return fmt.Sprintf("Invalid principal in policy: %q:%q", typ, value)
}

// msgIAMRegion is IAM's message for an iam ARN with a region. Verified:
// cloud-gov/terraform-provision#1838.
func msgIAMRegion(arn string) string {
	return fmt.Sprintf("IAM resource %s cannot contain region information.", arn)
}

// msgResourceARN is the message for a resource that is neither "*" nor an
// ARN. Verified: LocalStack's recordings of 2026 (testdata/aws).
func msgResourceARN(r string) string {
	return fmt.Sprintf("Resource %s must be in ARN format or \"*\".", r)
}

// ParseFinding turns an error of Parse into the Finding to report for a
// document of kind k, with the message IAM gives that kind. It reports false
// when err is not a *ParseError.
func ParseFinding(err error, k Kind) (Finding, bool) {
	var pe *ParseError
	if !errors.As(err, &pe) {
		return Finding{}, false
	}
	f := pe.Finding
	if k == KindTrust && (f.Code == CodeSyntax || f.Code == CodeType && f.Path == docPath) {
		// Text that is not JSON, or JSON that is not an object.
		f.Message = MsgInvalidJSON
	}
	return f, true
}
