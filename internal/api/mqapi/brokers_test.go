package mqapi_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
	awsmq "github.com/aws/aws-sdk-go-v2/service/mq"
	mqtypes "github.com/aws/aws-sdk-go-v2/service/mq/types"
)

// TestBrokerLifeCycle follows a broker through creation, an update
// pending until a reboot, and deletion, on the injected clock.
func TestBrokerLifeCycle(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	in := activeMQ("orders")
	in.Tags = map[string]string{"team": "blue"}
	out, err := f.mq.CreateBroker(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(out.BrokerId)
	if !strings.HasPrefix(id, "b-") || aws.ToString(out.BrokerArn) != "arn:aws:mq:us-east-1:"+account+":broker:orders:"+id {
		t.Fatalf("CreateBroker = %s %s", id, aws.ToString(out.BrokerArn))
	}
	state := func(want mqtypes.BrokerState) *awsmq.DescribeBrokerOutput {
		t.Helper()
		d, err := f.mq.DescribeBroker(ctx, &awsmq.DescribeBrokerInput{BrokerId: aws.String(id)})
		if err != nil {
			t.Fatal(err)
		}
		if d.BrokerState != want {
			t.Fatalf("DescribeBroker state = %s, want %s", d.BrokerState, want)
		}
		return d
	}
	state(mqtypes.BrokerStateCreationInProgress)
	f.clock.Add(time.Minute)
	d := state(mqtypes.BrokerStateRunning)
	if len(d.BrokerInstances) != 1 || !strings.HasPrefix(d.BrokerInstances[0].Endpoints[0], "ssl://"+id+"-1.mq.us-east-1.amazonaws.com:61617") ||
		d.Tags["team"] != "blue" || aws.ToString(d.EngineVersion) != "5.18" || len(d.Users) != 1 || d.StorageType != mqtypes.BrokerStorageTypeEfs {
		t.Errorf("DescribeBroker = instances %+v tags %v version %s users %+v storage %s", d.BrokerInstances, d.Tags,
			aws.ToString(d.EngineVersion), d.Users, d.StorageType)
	}
	// The first broker made the service-linked role, with its policy.
	if _, err := f.root.GetRole(ctx, &awsiam.GetRoleInput{RoleName: aws.String("AWSServiceRoleForAmazonMQ")}); err != nil {
		t.Errorf("GetRole(AWSServiceRoleForAmazonMQ) = %v", err)
	}
	list, err := f.mq.ListBrokers(ctx, &awsmq.ListBrokersInput{})
	if err != nil || len(list.BrokerSummaries) != 1 || aws.ToString(list.BrokerSummaries[0].BrokerId) != id {
		t.Fatalf("ListBrokers = %+v, %v", list, err)
	}
	if _, err := f.mq.UpdateBroker(ctx, &awsmq.UpdateBrokerInput{BrokerId: aws.String(id), EngineVersion: aws.String("5.17.6"),
		SecurityGroups: []string{"sg-1234"}}); err != nil {
		t.Fatal(err)
	}
	d = state(mqtypes.BrokerStateRunning)
	if aws.ToString(d.PendingEngineVersion) != "5.17.6" || aws.ToString(d.EngineVersion) != "5.18" || len(d.PendingSecurityGroups) != 1 {
		t.Errorf("after UpdateBroker: version %s pending %s, pending groups %v", aws.ToString(d.EngineVersion),
			aws.ToString(d.PendingEngineVersion), d.PendingSecurityGroups)
	}
	if _, err := f.mq.RebootBroker(ctx, &awsmq.RebootBrokerInput{BrokerId: aws.String(id)}); err != nil {
		t.Fatal(err)
	}
	state(mqtypes.BrokerStateRebootInProgress)
	if _, err := f.mq.RebootBroker(ctx, &awsmq.RebootBrokerInput{BrokerId: aws.String(id)}); err == nil {
		t.Error("RebootBroker while rebooting succeeded")
	}
	f.clock.Add(time.Minute)
	d = state(mqtypes.BrokerStateRunning)
	if aws.ToString(d.EngineVersion) != "5.17.6" || d.PendingEngineVersion != nil || d.SecurityGroups[0] != "sg-1234" {
		t.Errorf("after the reboot: version %s, pending %v, groups %v", aws.ToString(d.EngineVersion), d.PendingEngineVersion, d.SecurityGroups)
	}
	if _, err := f.mq.DeleteBroker(ctx, &awsmq.DeleteBrokerInput{BrokerId: aws.String(id)}); err != nil {
		t.Fatal(err)
	}
	state(mqtypes.BrokerStateDeletionInProgress)
	f.clock.Add(time.Minute)
	_, err = f.mq.DescribeBroker(ctx, &awsmq.DescribeBrokerInput{BrokerId: aws.String(id)})
	if code, attr := errorCode(err); code != "NotFoundException" || attr != "broker-id" {
		t.Errorf("DescribeBroker(deleted) = %v (%s %s), want NotFoundException", err, code, attr)
	}
	// Its name is free again.
	if _, err := f.mq.CreateBroker(ctx, activeMQ("orders")); err != nil {
		t.Errorf("CreateBroker(the name of a deleted broker) = %v", err)
	}
}

// TestCreateBrokerErrors: each invalid input is a BadRequestException
// naming its attribute, and changes nothing.
func TestCreateBrokerErrors(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tests := []struct {
		name      string
		edit      func(in *awsmq.CreateBrokerInput)
		code, att string
	}{
		{"name with a space", func(in *awsmq.CreateBrokerInput) { in.BrokerName = aws.String("my broker") }, "BadRequestException", "brokerName"},
		{"name too long", func(in *awsmq.CreateBrokerInput) { in.BrokerName = aws.String(strings.Repeat("a", 51)) }, "BadRequestException", "brokerName"},
		{"unknown engine", func(in *awsmq.CreateBrokerInput) { in.EngineType = "KAFKA" }, "BadRequestException", "engineType"},
		{"unknown instance", func(in *awsmq.CreateBrokerInput) { in.HostInstanceType = aws.String("mq.t2.huge") }, "BadRequestException", "hostInstanceType"},
		{"unknown version", func(in *awsmq.CreateBrokerInput) { in.EngineVersion = aws.String("5.1") }, "BadRequestException", "engineVersion"},
		{"micro is single only", func(in *awsmq.CreateBrokerInput) { in.DeploymentMode = mqtypes.DeploymentModeActiveStandbyMultiAz }, "BadRequestException", "deploymentMode"},
		{"cluster is RabbitMQ's", func(in *awsmq.CreateBrokerInput) {
			in.HostInstanceType, in.DeploymentMode = aws.String("mq.m5.large"), mqtypes.DeploymentModeClusterMultiAz
		}, "BadRequestException", "deploymentMode"},
		{"no users", func(in *awsmq.CreateBrokerInput) { in.Users = nil }, "BadRequestException", "users"},
		{"short password", func(in *awsmq.CreateBrokerInput) { in.Users[0].Password = aws.String("short1") }, "BadRequestException", "password"},
		{"password with a colon", func(in *awsmq.CreateBrokerInput) { in.Users[0].Password = aws.String("correct:horse-1") }, "BadRequestException", "password"},
		{"password of 3 letters", func(in *awsmq.CreateBrokerInput) { in.Users[0].Password = aws.String("abcabcabcabcabc") }, "BadRequestException", "password"},
		{"username of 1", func(in *awsmq.CreateBrokerInput) { in.Users[0].Username = aws.String("a") }, "BadRequestException", "username"},
		{"replication user at the console", func(in *awsmq.CreateBrokerInput) {
			in.Users[0].ReplicationUser, in.Users[0].ConsoleAccess = aws.Bool(true), aws.Bool(true)
		}, "BadRequestException", "replicationUser"},
		{"two subnets for one instance", func(in *awsmq.CreateBrokerInput) { in.SubnetIds = []string{"subnet-1", "subnet-2"} }, "BadRequestException", "subnetIds"},
		{"a bad security group", func(in *awsmq.CreateBrokerInput) { in.SecurityGroups = []string{"group"} }, "BadRequestException", "securityGroups"},
		{"an aws: tag", func(in *awsmq.CreateBrokerInput) { in.Tags = map[string]string{"aws:x": "y"} }, "BadRequestException", "tags"},
		{"EFS for RabbitMQ", func(in *awsmq.CreateBrokerInput) {
			in.EngineType, in.HostInstanceType, in.StorageType = mqtypes.EngineTypeRabbitmq, aws.String("mq.m5.large"), mqtypes.BrokerStorageTypeEfs
		}, "BadRequestException", "storageType"},
		{"a bad window", func(in *awsmq.CreateBrokerInput) {
			in.MaintenanceWindowStartTime = &mqtypes.WeeklyStartTime{DayOfWeek: "FUNDAY", TimeOfDay: aws.String("25:00")}
		}, "BadRequestException", "maintenanceWindowStartTime"},
		{"a configuration that is not there", func(in *awsmq.CreateBrokerInput) {
			in.Configuration = &mqtypes.ConfigurationId{Id: aws.String("c-nothing")}
		}, "BadRequestException", "configuration"},
	}
	for _, tt := range tests {
		in := activeMQ("errors")
		tt.edit(in)
		_, err := f.mq.CreateBroker(ctx, in)
		if code, att := errorCode(err); code != tt.code || att != tt.att {
			t.Errorf("CreateBroker(%s) = %v (%s, %s), want %s naming %s", tt.name, err, code, att, tt.code, tt.att)
		}
	}
	list, err := f.mq.ListBrokers(ctx, &awsmq.ListBrokersInput{})
	if err != nil || len(list.BrokerSummaries) != 0 {
		t.Errorf("ListBrokers after refusals = %+v, %v; want none", list.BrokerSummaries, err)
	}
	if _, err := f.mq.CreateBroker(ctx, activeMQ("dup")); err != nil {
		t.Fatal(err)
	}
	_, err = f.mq.CreateBroker(ctx, activeMQ("dup"))
	if code, att := errorCode(err); code != "ConflictException" || att != "brokerName" {
		t.Errorf("CreateBroker(a taken name) = %v, want ConflictException naming brokerName", err)
	}
	// The same request again, by its creatorRequestId, answers the broker it made.
	in := activeMQ("idem")
	in.CreatorRequestId = aws.String("8a2f7c0e-0000-4000-8000-000000000001")
	first, err := f.mq.CreateBroker(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	again, err := f.mq.CreateBroker(ctx, in)
	if err != nil || aws.ToString(again.BrokerId) != aws.ToString(first.BrokerId) {
		t.Errorf("CreateBroker(the same creatorRequestId) = %v, %v; want %s", again, err, aws.ToString(first.BrokerId))
	}
	in.CreatorRequestId = aws.String("another")
	if _, err := f.mq.CreateBroker(ctx, in); err == nil {
		t.Error("CreateBroker(the name, another creatorRequestId) succeeded")
	}
	for _, bad := range []int32{0, 101} {
		_, err = f.mq.ListBrokers(ctx, &awsmq.ListBrokersInput{MaxResults: aws.Int32(bad)})
		if code, att := errorCode(err); code != "BadRequestException" || att != "maxResults" {
			t.Errorf("ListBrokers(maxResults %d) = %v, want BadRequestException", bad, err)
		}
	}
	_, err = f.mq.ListBrokers(ctx, &awsmq.ListBrokersInput{NextToken: aws.String("forged")})
	if code, _ := errorCode(err); code != "BadRequestException" {
		t.Errorf("ListBrokers(a forged token) = %v, want BadRequestException", err)
	}
	for name, call := range map[string]func() error{
		"DescribeBroker": func() error {
			_, err := f.mq.DescribeBroker(ctx, &awsmq.DescribeBrokerInput{BrokerId: aws.String("b-none")})
			return err
		},
		"DeleteBroker": func() error {
			_, err := f.mq.DeleteBroker(ctx, &awsmq.DeleteBrokerInput{BrokerId: aws.String("b-none")})
			return err
		},
		"RebootBroker": func() error {
			_, err := f.mq.RebootBroker(ctx, &awsmq.RebootBrokerInput{BrokerId: aws.String("b-none")})
			return err
		},
		"UpdateBroker": func() error {
			_, err := f.mq.UpdateBroker(ctx, &awsmq.UpdateBrokerInput{BrokerId: aws.String("b-none")})
			return err
		},
	} {
		if code, _ := errorCode(call()); code != "NotFoundException" {
			t.Errorf("%s(no such broker) = %s, want NotFoundException", name, code)
		}
	}
}

// TestListBrokersPages reads every broker exactly once, page by page.
func TestListBrokersPages(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for i := range 12 {
		if _, err := f.mq.CreateBroker(ctx, activeMQ("b"+string(rune('a'+i)))); err != nil {
			t.Fatal(err)
		}
	}
	seen := map[string]bool{}
	p := awsmq.NewListBrokersPaginator(f.mq, &awsmq.ListBrokersInput{MaxResults: aws.Int32(5)})
	pages := 0
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, b := range page.BrokerSummaries {
			if seen[aws.ToString(b.BrokerId)] {
				t.Errorf("broker %s listed twice", aws.ToString(b.BrokerId))
			}
			seen[aws.ToString(b.BrokerId)] = true
		}
	}
	if len(seen) != 12 || pages != 3 {
		t.Errorf("ListBrokers pages = %d with %d brokers, want 3 with 12", pages, len(seen))
	}
}
