package mqapi_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	awsmq "github.com/aws/aws-sdk-go-v2/service/mq"
	mqtypes "github.com/aws/aws-sdk-go-v2/service/mq/types"
)

const (
	fullAccess     = "arn:aws:iam::aws:policy/AmazonMQFullAccess"
	readOnlyAccess = "arn:aws:iam::aws:policy/AmazonMQReadOnlyAccess"
	roleName       = "AWSServiceRoleForAmazonMQ"
	rolePolicy     = "arn:aws:iam::aws:policy/aws-service-role/AmazonMQServiceRolePolicy"
)

// TestManagedPoliciesAtWork: AmazonMQReadOnlyAccess lists and describes
// but cannot create; AmazonMQFullAccess creates, and the first broker
// makes the service-linked role; deleting the role fails while a broker
// exists.
func TestManagedPoliciesAtWork(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	reader := f.user("reader", []string{readOnlyAccess}, "")
	admin := f.user("admin", []string{fullAccess}, "")
	if _, err := reader.ListBrokers(ctx, &awsmq.ListBrokersInput{}); err != nil {
		t.Fatalf("ListBrokers as AmazonMQReadOnlyAccess = %v", err)
	}
	_, err := reader.CreateBroker(ctx, activeMQ("nope"))
	if code, _ := errorCode(err); code != "AccessDeniedException" ||
		!strings.Contains(err.Error(), "is not authorized to perform: mq:CreateBroker on resource: *") {
		t.Fatalf("CreateBroker as AmazonMQReadOnlyAccess = %v, want AccessDeniedException", err)
	}
	if _, err := f.root.GetRole(ctx, &awsiam.GetRoleInput{RoleName: aws.String(roleName)}); err == nil {
		t.Fatal("the service-linked role exists before any broker")
	}
	out, err := admin.CreateBroker(ctx, activeMQ("orders"))
	if err != nil {
		t.Fatalf("CreateBroker as AmazonMQFullAccess = %v", err)
	}
	attached, err := f.root.ListAttachedRolePolicies(ctx, &awsiam.ListAttachedRolePoliciesInput{RoleName: aws.String(roleName)})
	if err != nil || len(attached.AttachedPolicies) != 1 || aws.ToString(attached.AttachedPolicies[0].PolicyArn) != rolePolicy {
		t.Fatalf("the service-linked role's policies = %+v, %v; want AmazonMQServiceRolePolicy", attached, err)
	}
	f.clock.Add(time.Minute)
	if _, err := reader.DescribeBroker(ctx, &awsmq.DescribeBrokerInput{BrokerId: out.BrokerId}); err != nil {
		t.Errorf("DescribeBroker as AmazonMQReadOnlyAccess = %v", err)
	}
	_, err = reader.DeleteBroker(ctx, &awsmq.DeleteBrokerInput{BrokerId: out.BrokerId})
	if code, _ := errorCode(err); code != "AccessDeniedException" || !strings.Contains(err.Error(), aws.ToString(out.BrokerArn)) {
		t.Errorf("DeleteBroker as AmazonMQReadOnlyAccess = %v, want AccessDeniedException on the broker's ARN", err)
	}
	// Deleting the role fails while the broker exists, then succeeds.
	status := func() *awsiam.GetServiceLinkedRoleDeletionStatusOutput {
		t.Helper()
		task, err := f.root.DeleteServiceLinkedRole(ctx, &awsiam.DeleteServiceLinkedRoleInput{RoleName: aws.String(roleName)})
		if err != nil {
			t.Fatal(err)
		}
		for range 100 {
			st, err := f.root.GetServiceLinkedRoleDeletionStatus(ctx, &awsiam.GetServiceLinkedRoleDeletionStatusInput{DeletionTaskId: task.DeletionTaskId})
			if err != nil {
				t.Fatal(err)
			}
			if st.Status != "IN_PROGRESS" && st.Status != "NOT_STARTED" {
				return st
			}
			time.Sleep(10 * time.Millisecond)
		}
		t.Fatal("the deletion task never ended")
		return nil
	}
	if st := status(); st.Status != "FAILED" || len(st.Reason.RoleUsageList) != 1 || st.Reason.RoleUsageList[0].Resources[0] != aws.ToString(out.BrokerArn) {
		t.Errorf("DeleteServiceLinkedRole with a broker = %s %+v, want FAILED naming the broker", st.Status, st.Reason)
	}
	if _, err := admin.DeleteBroker(ctx, &awsmq.DeleteBrokerInput{BrokerId: out.BrokerId}); err != nil {
		t.Fatal(err)
	}
	f.clock.Add(time.Minute)
	if st := status(); st.Status != "SUCCEEDED" {
		t.Errorf("DeleteServiceLinkedRole without brokers = %s %+v, want SUCCEEDED", st.Status, st.Reason)
	}
}

// TestFurtherActions: what one CreateBroker needs beyond mq:CreateBroker.
func TestFurtherActions(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	mqOnly := f.user("mqonly", nil, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"mq:*","Resource":"*"}]}`)
	_, err := mqOnly.CreateBroker(ctx, activeMQ("net"))
	if code, _ := errorCode(err); code != "AccessDeniedException" || !strings.Contains(err.Error(), "ec2:CreateNetworkInterface") {
		t.Errorf("CreateBroker without the ec2: actions = %v, want AccessDeniedException naming ec2:CreateNetworkInterface", err)
	}
	// AmazonMQApiReadOnly-like network rights but no iam:CreateServiceLinkedRole.
	noSLR := f.user("noslr", nil, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["mq:*","ec2:*"],"Resource":"*"}]}`)
	_, err = noSLR.CreateBroker(ctx, activeMQ("slr"))
	if code, _ := errorCode(err); code != "AccessDeniedException" ||
		!strings.Contains(err.Error(), "iam:CreateServiceLinkedRole on resource: arn:aws:iam::"+account+":role/aws-service-role/mq.amazonaws.com/"+roleName) {
		t.Errorf("CreateBroker without iam:CreateServiceLinkedRole, role absent = %v", err)
	}
	tagless := f.user("tagless", []string{fullAccess}, `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"mq:CreateTags","Resource":"*"}]}`)
	in := activeMQ("tagged")
	in.Tags = map[string]string{"team": "blue"}
	_, err = tagless.CreateBroker(ctx, in)
	if code, _ := errorCode(err); code != "AccessDeniedException" || !strings.Contains(err.Error(), "mq:CreateTags") {
		t.Errorf("CreateBroker with tags, mq:CreateTags denied = %v", err)
	}
	list, _ := f.mq.ListBrokers(ctx, &awsmq.ListBrokersInput{})
	if len(list.BrokerSummaries) != 0 {
		t.Errorf("refused CreateBroker calls left brokers: %+v", list.BrokerSummaries)
	}
	// Once the role exists, a caller without iam:CreateServiceLinkedRole may create.
	if _, err := tagless.CreateBroker(ctx, activeMQ("first")); err != nil {
		t.Fatal(err)
	}
	if _, err := noSLR.CreateBroker(ctx, activeMQ("second")); err != nil {
		t.Errorf("CreateBroker without iam:CreateServiceLinkedRole, role present = %v", err)
	}
}

// TestServiceActsThroughItsRole: a RabbitMQ broker's VPC endpoint and log
// group are made as the service-linked role; a narrower (test-only)
// version of AmazonMQServiceRolePolicy without the logs: actions fails
// the broker, with the reason in DescribeBroker.
func TestServiceActsThroughItsRole(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ok, err := f.mq.CreateBroker(ctx, rabbitMQ("rabbit-ok"))
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Add(time.Minute)
	d, err := f.mq.DescribeBroker(ctx, &awsmq.DescribeBrokerInput{BrokerId: ok.BrokerId})
	if err != nil || d.BrokerState != mqtypes.BrokerStateRunning || aws.ToString(d.Logs.GeneralLogGroup) != "/aws/amazonmq/broker/"+aws.ToString(ok.BrokerId)+"/general" {
		t.Fatalf("DescribeBroker(RabbitMQ, role allows) = %+v, %v", d, err)
	}
	_, current, err := f.iam.AWSPolicies().DefaultVersion(ctx, rolePolicy)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Document map[string]any
	}
	if err := json.Unmarshal([]byte(`{"Document":`+current+`}`), &doc); err != nil {
		t.Fatal(err)
	}
	stmts := doc.Document["Statement"].([]any)
	narrower, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": stmts[:len(stmts)-1]}) // without logs:
	if _, err := f.iam.AWSPolicies().Publish(ctx, rolePolicy, string(narrower), true); err != nil {
		t.Fatal(err)
	}
	failed, err := f.mq.CreateBroker(ctx, rabbitMQ("rabbit-failed"))
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Add(time.Minute)
	d, err = f.mq.DescribeBroker(ctx, &awsmq.DescribeBrokerInput{BrokerId: failed.BrokerId})
	if err != nil || d.BrokerState != mqtypes.BrokerStateCreationFailed || len(d.ActionsRequired) != 1 ||
		!strings.Contains(aws.ToString(d.ActionsRequired[0].ActionRequiredInfo), "logs:CreateLogGroup") {
		t.Errorf("DescribeBroker(RabbitMQ, role lacks logs:) = %s %+v, %v; want CREATION_FAILED naming logs:CreateLogGroup", d.BrokerState, d.ActionsRequired, err)
	}
	// A public broker publishing no logs needs neither.
	in := rabbitMQ("rabbit-public")
	in.PubliclyAccessible, in.Logs, in.SubnetIds, in.SecurityGroups = aws.Bool(true), nil, nil, nil
	pub, err := f.mq.CreateBroker(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Add(time.Minute)
	if d, err := f.mq.DescribeBroker(ctx, &awsmq.DescribeBrokerInput{BrokerId: pub.BrokerId}); err != nil || d.BrokerState != mqtypes.BrokerStateRunning {
		t.Errorf("DescribeBroker(public RabbitMQ) = %v, %v; want RUNNING", d, err)
	}
}

// TestTagBasedDelete: mq:DeleteBroker allowed only where the broker's team
// tag is the caller's.
func TestTagBasedDelete(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.root.CreateUser(ctx, &awsiam.CreateUserInput{UserName: aws.String("carol"),
		Tags: []iamtypes.Tag{{Key: aws.String("team"), Value: aws.String("blue")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.root.PutUserPolicy(ctx, &awsiam.PutUserPolicyInput{UserName: aws.String("carol"), PolicyName: aws.String("p"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"mq:DeleteBroker","Resource":"*",
			"Condition":{"StringEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team}"}}}]}`)}); err != nil {
		t.Fatal(err)
	}
	k, err := f.root.CreateAccessKey(ctx, &awsiam.CreateAccessKeyInput{UserName: aws.String("carol")})
	if err != nil {
		t.Fatal(err)
	}
	carol, _ := f.clients(aws.ToString(k.AccessKey.AccessKeyId), aws.ToString(k.AccessKey.SecretAccessKey))
	ids := map[string]string{}
	for _, team := range []string{"blue", "red"} {
		in := activeMQ(team)
		in.Tags = map[string]string{"team": team}
		out, err := f.mq.CreateBroker(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		ids[team] = aws.ToString(out.BrokerId)
	}
	if _, err := carol.DeleteBroker(ctx, &awsmq.DeleteBrokerInput{BrokerId: aws.String(ids["red"])}); err == nil {
		t.Error("DeleteBroker(red) as a blue user succeeded")
	} else if code, _ := errorCode(err); code != "AccessDeniedException" {
		t.Errorf("DeleteBroker(red) = %v, want AccessDeniedException", err)
	}
	if _, err := carol.DeleteBroker(ctx, &awsmq.DeleteBrokerInput{BrokerId: aws.String(ids["blue"])}); err != nil {
		t.Errorf("DeleteBroker(blue) as a blue user = %v", err)
	}
}
