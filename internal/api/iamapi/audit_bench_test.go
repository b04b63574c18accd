package iamapi

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
)

// BenchmarkAuditedCall is an enforced iam:GetUser by a user whose policy
// allows it, through the SDK and the loopback endpoint, with the decision
// log off and on (the writer's work included: it runs in the process).
// The SDK's share is the same in both.
func BenchmarkAuditedCall(b *testing.B) {
	for _, on := range []bool{false, true} {
		name := map[bool]string{false: "off", true: "on"}[on]
		b.Run(name, func(b *testing.B) {
			a := newAuditFixtureWith(b, false, on)
			ctx := a.ctx
			must(a.c.CreateUser(ctx, &awsiam.CreateUserInput{UserName: aws.String("bench")}))
			must(a.c.PutUserPolicy(ctx, &awsiam.PutUserPolicyInput{UserName: aws.String("bench"), PolicyName: aws.String("p"),
				PolicyDocument: aws.String(allow("iam:GetUser", ""))}))
			key := must(a.c.CreateAccessKey(ctx, &awsiam.CreateAccessKeyInput{UserName: aws.String("bench")})).AccessKey
			c := a.client(aws.ToString(key.AccessKeyId), aws.ToString(key.SecretAccessKey), "")
			in := &awsiam.GetUserInput{UserName: aws.String("bench")}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.GetUser(ctx, in); err != nil {
					b.Fatal(err)
				}
			}
			if on {
				if err := a.log.Flush(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
