package mqapi_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmq "github.com/aws/aws-sdk-go-v2/service/mq"
	mqtypes "github.com/aws/aws-sdk-go-v2/service/mq/types"
)

// TestEveryOperationsErrors: each operation that names a resource answers
// NotFoundException for one that does not exist, and the malformed inputs
// the wire itself reads are BadRequestException.
func TestEveryOperationsErrors(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	b := f.running(activeMQ("here"))
	none, cfg := aws.String("b-none"), aws.String("c-none")
	noneARN := aws.String("arn:aws:mq:us-east-1:" + account + ":configuration:c-none")
	user := aws.String("nobody")
	tests := []struct {
		name, code string
		call       func() error
	}{
		{"CreateUser", "NotFoundException", func() error {
			_, err := f.mq.CreateUser(ctx, &awsmq.CreateUserInput{BrokerId: none, Username: user, Password: aws.String("correct-horse-1")})
			return err
		}},
		{"DescribeUser", "NotFoundException", func() error {
			_, err := f.mq.DescribeUser(ctx, &awsmq.DescribeUserInput{BrokerId: b.BrokerId, Username: user})
			return err
		}},
		{"DeleteUser", "NotFoundException", func() error {
			_, err := f.mq.DeleteUser(ctx, &awsmq.DeleteUserInput{BrokerId: b.BrokerId, Username: user})
			return err
		}},
		{"ListUsers", "NotFoundException", func() error {
			_, err := f.mq.ListUsers(ctx, &awsmq.ListUsersInput{BrokerId: none})
			return err
		}},
		{"Promote", "NotFoundException", func() error {
			_, err := f.mq.Promote(ctx, &awsmq.PromoteInput{BrokerId: none, Mode: mqtypes.PromoteModeFailover})
			return err
		}},
		{"Promote with a bad mode", "BadRequestException", func() error {
			_, err := f.mq.Promote(ctx, &awsmq.PromoteInput{BrokerId: b.BrokerId, Mode: "SIDEWAYS"})
			return err
		}},
		{"DescribeConfiguration", "NotFoundException", func() error {
			_, err := f.mq.DescribeConfiguration(ctx, &awsmq.DescribeConfigurationInput{ConfigurationId: cfg})
			return err
		}},
		{"UpdateConfiguration", "NotFoundException", func() error {
			_, err := f.mq.UpdateConfiguration(ctx, &awsmq.UpdateConfigurationInput{ConfigurationId: cfg, Data: aws.String("PGJyb2tlci8+")})
			return err
		}},
		{"DeleteConfiguration", "NotFoundException", func() error {
			_, err := f.mq.DeleteConfiguration(ctx, &awsmq.DeleteConfigurationInput{ConfigurationId: cfg})
			return err
		}},
		{"ListConfigurationRevisions", "NotFoundException", func() error {
			_, err := f.mq.ListConfigurationRevisions(ctx, &awsmq.ListConfigurationRevisionsInput{ConfigurationId: cfg})
			return err
		}},
		{"DescribeConfigurationRevision", "NotFoundException", func() error {
			_, err := f.mq.DescribeConfigurationRevision(ctx, &awsmq.DescribeConfigurationRevisionInput{ConfigurationId: cfg, ConfigurationRevision: aws.String("1")})
			return err
		}},
		{"CreateTags", "NotFoundException", func() error {
			_, err := f.mq.CreateTags(ctx, &awsmq.CreateTagsInput{ResourceArn: noneARN, Tags: map[string]string{"a": "b"}})
			return err
		}},
		{"DeleteTags", "NotFoundException", func() error {
			_, err := f.mq.DeleteTags(ctx, &awsmq.DeleteTagsInput{ResourceArn: noneARN, TagKeys: []string{"a"}})
			return err
		}},
		{"CreateConfiguration of an unknown engine", "BadRequestException", func() error {
			_, err := f.mq.CreateConfiguration(ctx, &awsmq.CreateConfigurationInput{Name: aws.String("x"), EngineType: "KAFKA"})
			return err
		}},
		{"DescribeBrokerInstanceOptions with a forged token", "BadRequestException", func() error {
			_, err := f.mq.DescribeBrokerInstanceOptions(ctx, &awsmq.DescribeBrokerInstanceOptionsInput{NextToken: aws.String("999")})
			return err
		}},
		{"UpdateBroker with an unknown instance type", "BadRequestException", func() error {
			_, err := f.mq.UpdateBroker(ctx, &awsmq.UpdateBrokerInput{BrokerId: b.BrokerId, HostInstanceType: aws.String("mq.x")})
			return err
		}},
	}
	for _, tt := range tests {
		if code, _ := errorCode(tt.call()); code != tt.code {
			t.Errorf("%s = %q, want %s", tt.name, code, tt.code)
		}
	}
}
