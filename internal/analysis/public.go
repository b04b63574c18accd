package analysis

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/iamq/iamq/policy"
)

// CheckNoPublicAccess and what "public" means. Access Analyzer calls a
// resource policy public when it grants access to everyone ("Principal":
// "*", {"AWS": "*"}, an account wildcard, or Allow with NotPrincipal)
// without a condition that pins the caller down to known accounts,
// organizations, networks or resources (IAM User Guide, "Preview access
// with IAM Access Analyzer APIs" and "Custom policy checks"; Amazon S3
// User Guide, "The meaning of 'public'").

// ResourceTypes lists the resource types CheckNoPublicAccess accepts, as
// the accessanalyzer service model's AccessCheckResourceType names them.
func ResourceTypes() []string {
	return []string{"AWS::DynamoDB::Table", "AWS::DynamoDB::Stream", "AWS::EFS::FileSystem",
		"AWS::OpenSearchService::Domain", "AWS::Kinesis::Stream", "AWS::Kinesis::StreamConsumer",
		"AWS::KMS::Key", "AWS::Lambda::Function", "AWS::S3::Bucket", "AWS::S3::AccessPoint",
		"AWS::S3Express::DirectoryBucket", "AWS::S3::Glacier", "AWS::S3Outposts::Bucket",
		"AWS::S3Outposts::AccessPoint", "AWS::SecretsManager::Secret", "AWS::SNS::Topic", "AWS::SQS::Queue",
		"AWS::IAM::AssumeRolePolicyDocument", "AWS::S3Tables::TableBucket", "AWS::ApiGateway::RestApi",
		"AWS::CodeArtifact::Domain", "AWS::Backup::BackupVault", "AWS::CloudTrail::Dashboard",
		"AWS::CloudTrail::EventDataStore", "AWS::S3Tables::Table", "AWS::S3Express::AccessPoint"}
}

// restrictingKeys are the condition keys that, given fixed values with a
// positive operator, limit who can make the request to known callers.
var restrictingKeys = []string{
	"aws:principalaccount", "aws:principalarn", "aws:principalorgid", "aws:principalorgpaths",
	"aws:sourceaccount", "aws:sourcearn", "aws:sourceowner", "aws:sourcevpc", "aws:sourcevpce",
	"aws:sourceorgid", "aws:sourceorgpaths", "aws:sourceip", "aws:userid", "aws:username",
	"aws:principalservicename", "aws:calledvia",
}

// serviceRestrictingKeys are the keys of one service that do the same.
var serviceRestrictingKeys = map[string][]string{
	"AWS::KMS::Key":         {"kms:calleraccount"},
	"AWS::S3::Bucket":       {"s3:dataaccesspointaccount", "s3:dataaccesspointarn"},
	"AWS::S3::AccessPoint":  {"s3:dataaccesspointaccount", "s3:dataaccesspointarn"},
	"AWS::SNS::Topic":       {"sns:endpoint"},
	"AWS::Lambda::Function": {"lambda:eventsourcetoken"},
}

// webIdentityProviders are the Federated principals of public identity
// providers: anyone can get a token from them, so a trust policy that
// names one must check its audience ("<provider>:aud").
var webIdentityProviders = []string{"accounts.google.com", "graph.facebook.com", "www.amazon.com", "cognito-identity.amazonaws.com"}

// CheckNoPublicAccess reports whether resource policy doc, for a resource
// of resourceType, grants public access: PASS when no Allow statement
// grants everyone access without a restricting condition.
func CheckNoPublicAccess(doc *policy.Document, resourceType string) Outcome {
	var reasons []Reason
	for i := range doc.Statements {
		s := &doc.Statements[i]
		if s.Effect != policy.Allow || (s.Action == nil && s.NotAction == nil) {
			continue
		}
		who := publicPrincipal(s, resourceType)
		if who == "" || restricted(s.Conditions, resourceType) {
			continue
		}
		reasons = append(reasons, Reason{Index: s.Index, Sid: s.Sid,
			Description: "The statement grants access to " + who + " without a condition that limits the callers to known accounts, organizations, networks or resources."})
	}
	if len(reasons) == 0 {
		return Outcome{Result: Pass, Message: msgNoPublicPass}
	}
	return Outcome{Result: Fail, Message: msgNoPublicFail, Reasons: reasons}
}

// publicPrincipal says whom s grants access to when that is everyone, or "".
func publicPrincipal(s *policy.Statement, resourceType string) string {
	if s.NotPrincipal != nil {
		return "every principal but those NotPrincipal names"
	}
	p := s.Principal
	if p == nil {
		return ""
	}
	if p.Wildcard {
		return `every principal ("Principal": "*")`
	}
	for _, list := range [][]string{p.AWS, p.CanonicalUser} {
		for _, v := range list {
			if strings.Contains(v, "*") || strings.Contains(v, "?") {
				return "every principal matching " + v
			}
		}
	}
	if resourceType == "AWS::IAM::AssumeRolePolicyDocument" {
		for _, f := range p.Federated {
			if slices.Contains(webIdentityProviders, strings.ToLower(f)) && !hasAudience(s.Conditions, f) {
				return "every user of " + f + " (no " + f + ":aud condition)"
			}
		}
	}
	return ""
}

// hasAudience reports whether a condition pins provider's audience.
func hasAudience(conds []policy.Condition, provider string) bool {
	for _, c := range conds {
		if strings.EqualFold(c.Key, provider+":aud") && pins(c) {
			return true
		}
	}
	return false
}

// restricted reports whether one of conds limits the callers of a public
// statement to known ones.
func restricted(conds []policy.Condition, resourceType string) bool {
	keys := append(slices.Clone(restrictingKeys), serviceRestrictingKeys[resourceType]...)
	for _, c := range conds {
		if slices.Contains(keys, strings.ToLower(c.Key)) && pins(c) {
			return true
		}
	}
	return false
}

// pins reports whether condition c holds only for the fixed values it
// names: a positive operator without IfExists (an absent key would pass)
// and values without wildcards, or IP ranges narrower than /8 (/32 for
// IPv6).
func pins(c policy.Condition) bool {
	op := c.Operator
	if op.Comparison.Negated() || op.IfExists || len(c.Values) == 0 {
		return false
	}
	if op.Qualifier == policy.ForAllValues {
		// True for a request without the key.
		return false
	}
	switch op.Comparison.Family() {
	case policy.FamilyString, policy.FamilyARN:
	case policy.FamilyIP:
		for _, v := range c.Values {
			pfx, err := netip.ParsePrefix(v.Text)
			if err != nil {
				if _, err := netip.ParseAddr(v.Text); err != nil {
					return false
				}
				continue
			}
			if pfx.Addr().Is4() && pfx.Bits() < 8 || !pfx.Addr().Is4() && pfx.Bits() < 32 {
				return false
			}
		}
		return true
	default:
		return false
	}
	for _, v := range c.Values {
		if v.Text == "" || strings.ContainsAny(v.Text, "*?") || strings.Contains(v.Text, "${") {
			return false
		}
	}
	return true
}
