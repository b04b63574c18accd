package iamapi

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// TestReservedTagKeys: no IAM resource takes a tag key that begins with aws:
// (IAM User Guide, "Rules for tagging in IAM and AWS STS"), whether set at
// creation or later, and nothing is created or tagged when one is refused.
func TestReservedTagKeys(t *testing.T) {
	f := newEnforceFixture(t)
	c := f.c
	must(c.CreateUser(f.ctx, &awsiam.CreateUserInput{UserName: aws.String("u")}))
	// The trusted user exists: IAM refuses a trust policy naming one that does not.
	trust := trustOf(userARN("u"), "")
	doc := allow("iam:ListUsers", "")
	must(c.CreateRole(f.ctx, &awsiam.CreateRoleInput{RoleName: aws.String("r"), AssumeRolePolicyDocument: aws.String(trust)}))
	pol := f.policy("p", doc)
	must(c.CreateInstanceProfile(f.ctx, &awsiam.CreateInstanceProfileInput{InstanceProfileName: aws.String("ip")}))
	for _, key := range []string{"aws:team", "AWS:team", "Aws:"} {
		tags := []iamtypes.Tag{{Key: aws.String("ok"), Value: aws.String("1")}, {Key: aws.String(key), Value: aws.String("x")}}
		want := "The tag key '" + key + "' is not valid: tag keys that begin with aws: are reserved for AWS internal use."
		calls := []struct {
			op   string
			call func() error
		}{
			{"CreateUser", func() error {
				_, err := c.CreateUser(f.ctx, &awsiam.CreateUserInput{UserName: aws.String("u2"), Tags: tags})
				return err
			}},
			{"TagUser", func() error {
				_, err := c.TagUser(f.ctx, &awsiam.TagUserInput{UserName: aws.String("u"), Tags: tags})
				return err
			}},
			{"CreateRole", func() error {
				_, err := c.CreateRole(f.ctx, &awsiam.CreateRoleInput{RoleName: aws.String("r2"), AssumeRolePolicyDocument: aws.String(trust), Tags: tags})
				return err
			}},
			{"TagRole", func() error {
				_, err := c.TagRole(f.ctx, &awsiam.TagRoleInput{RoleName: aws.String("r"), Tags: tags})
				return err
			}},
			{"CreatePolicy", func() error {
				_, err := c.CreatePolicy(f.ctx, &awsiam.CreatePolicyInput{PolicyName: aws.String("p2"), PolicyDocument: aws.String(doc), Tags: tags})
				return err
			}},
			{"TagPolicy", func() error {
				_, err := c.TagPolicy(f.ctx, &awsiam.TagPolicyInput{PolicyArn: aws.String(pol), Tags: tags})
				return err
			}},
			{"CreateInstanceProfile", func() error {
				_, err := c.CreateInstanceProfile(f.ctx, &awsiam.CreateInstanceProfileInput{InstanceProfileName: aws.String("ip2"), Tags: tags})
				return err
			}},
			{"TagInstanceProfile", func() error {
				_, err := c.TagInstanceProfile(f.ctx, &awsiam.TagInstanceProfileInput{InstanceProfileName: aws.String("ip"), Tags: tags})
				return err
			}},
		}
		for _, tc := range calls {
			wantAPIError(t, tc.op+" with tag key "+key, tc.call(), "InvalidInput", want)
		}
	}
	if _, err := c.GetUser(f.ctx, &awsiam.GetUserInput{UserName: aws.String("u2")}); err == nil {
		t.Errorf("CreateUser refused for its tags created the user anyway")
	}
	if out := must(c.ListUserTags(f.ctx, &awsiam.ListUserTagsInput{UserName: aws.String("u")})); len(out.Tags) != 0 {
		t.Errorf("TagUser refused for a reserved key tagged the user: %v", out.Tags)
	}
}
