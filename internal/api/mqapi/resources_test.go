package mqapi_test

import (
	"context"
	"encoding/base64"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmq "github.com/aws/aws-sdk-go-v2/service/mq"
	mqtypes "github.com/aws/aws-sdk-go-v2/service/mq/types"
)

// running creates a broker and lets it reach RUNNING.
func (f *fixture) running(in *awsmq.CreateBrokerInput) *awsmq.CreateBrokerOutput {
	f.t.Helper()
	out, err := f.mq.CreateBroker(context.Background(), in)
	if err != nil {
		f.t.Fatal(err)
	}
	f.clock.Add(time.Minute)
	return out
}

// TestUsersPendingUntilReboot: user changes show as pending and take
// effect with the next reboot.
func TestUsersPendingUntilReboot(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	b := f.running(activeMQ("users"))
	id := b.BrokerId
	if _, err := f.mq.CreateUser(ctx, &awsmq.CreateUserInput{BrokerId: id, Username: aws.String("bob"), Password: aws.String("bobs-password-1"),
		Groups: []string{"ops"}, ConsoleAccess: aws.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	_, err := f.mq.CreateUser(ctx, &awsmq.CreateUserInput{BrokerId: id, Username: aws.String("bob"), Password: aws.String("bobs-password-1")})
	if code, att := errorCode(err); code != "ConflictException" || att != "username" {
		t.Errorf("CreateUser(again) = %v, want ConflictException", err)
	}
	u, err := f.mq.DescribeUser(ctx, &awsmq.DescribeUserInput{BrokerId: id, Username: aws.String("bob")})
	if err != nil || u.Pending == nil || u.Pending.PendingChange != mqtypes.ChangeTypeCreate || !aws.ToBool(u.Pending.ConsoleAccess) ||
		aws.ToBool(u.ConsoleAccess) {
		t.Fatalf("DescribeUser(created) = %+v, %v; want a pending CREATE", u, err)
	}
	if _, err := f.mq.DeleteUser(ctx, &awsmq.DeleteUserInput{BrokerId: id, Username: aws.String("admin")}); err != nil {
		t.Fatal(err)
	}
	list := func() map[string]mqtypes.ChangeType {
		t.Helper()
		out, err := f.mq.ListUsers(ctx, &awsmq.ListUsersInput{BrokerId: id})
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]mqtypes.ChangeType{}
		for _, u := range out.Users {
			m[aws.ToString(u.Username)] = u.PendingChange
		}
		return m
	}
	if got := list(); len(got) != 2 || got["bob"] != mqtypes.ChangeTypeCreate || got["admin"] != mqtypes.ChangeTypeDelete {
		t.Errorf("ListUsers before the reboot = %v", got)
	}
	if _, err := f.mq.RebootBroker(ctx, &awsmq.RebootBrokerInput{BrokerId: id}); err != nil {
		t.Fatal(err)
	}
	f.clock.Add(time.Minute)
	if got := list(); len(got) != 1 || got["bob"] != "" {
		t.Errorf("ListUsers after the reboot = %v, want bob alone, nothing pending", got)
	}
	u, err = f.mq.DescribeUser(ctx, &awsmq.DescribeUserInput{BrokerId: id, Username: aws.String("bob")})
	if err != nil || u.Pending != nil || !aws.ToBool(u.ConsoleAccess) || !slices.Equal(u.Groups, []string{"ops"}) {
		t.Errorf("DescribeUser(after the reboot) = %+v, %v", u, err)
	}
	if _, err := f.mq.UpdateUser(ctx, &awsmq.UpdateUserInput{BrokerId: id, Username: aws.String("bob"), ConsoleAccess: aws.Bool(false)}); err != nil {
		t.Fatal(err)
	}
	u, _ = f.mq.DescribeUser(ctx, &awsmq.DescribeUserInput{BrokerId: id, Username: aws.String("bob")})
	if u.Pending == nil || u.Pending.PendingChange != mqtypes.ChangeTypeUpdate || !aws.ToBool(u.ConsoleAccess) {
		t.Errorf("DescribeUser(updated) = %+v, want a pending UPDATE", u)
	}
	for name, err := range map[string]error{
		"DescribeUser": func() error {
			_, err := f.mq.DescribeUser(ctx, &awsmq.DescribeUserInput{BrokerId: id, Username: aws.String("admin")})
			return err
		}(),
		"UpdateUser": func() error {
			_, err := f.mq.UpdateUser(ctx, &awsmq.UpdateUserInput{BrokerId: id, Username: aws.String("nobody")})
			return err
		}(),
	} {
		if code, _ := errorCode(err); code != "NotFoundException" {
			t.Errorf("%s(no such user) = %v, want NotFoundException", name, err)
		}
	}
	_, err = f.mq.CreateUser(ctx, &awsmq.CreateUserInput{BrokerId: id, Username: aws.String("eve"), Password: aws.String("short")})
	if code, att := errorCode(err); code != "BadRequestException" || att != "password" {
		t.Errorf("CreateUser(short password) = %v, want BadRequestException naming password", err)
	}
	rabbit := f.running(rabbitMQ("rabbit"))
	_, err = f.mq.ListUsers(ctx, &awsmq.ListUsersInput{BrokerId: rabbit.BrokerId})
	if code, _ := errorCode(err); code != "BadRequestException" {
		t.Errorf("ListUsers(RabbitMQ) = %v, want BadRequestException", err)
	}
}

// TestConfigurations: revisions are kept with their data; a broker takes
// a configuration at its next reboot; one in use cannot be deleted.
func TestConfigurations(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c, err := f.mq.CreateConfiguration(ctx, &awsmq.CreateConfigurationInput{Name: aws.String("cfg"), EngineType: mqtypes.EngineTypeActivemq,
		EngineVersion: aws.String("5.18"), Tags: map[string]string{"team": "blue"}})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToInt32(c.LatestRevision.Revision) != 1 || aws.ToString(c.Arn) != "arn:aws:mq:us-east-1:"+account+":configuration:"+aws.ToString(c.Id) {
		t.Fatalf("CreateConfiguration = %+v", c)
	}
	data := base64.StdEncoding.EncodeToString([]byte("<broker xmlns=\"http://activemq.apache.org/schema/core\"/>"))
	up, err := f.mq.UpdateConfiguration(ctx, &awsmq.UpdateConfigurationInput{ConfigurationId: c.Id, Data: aws.String(data), Description: aws.String("second")})
	if err != nil || aws.ToInt32(up.LatestRevision.Revision) != 2 {
		t.Fatalf("UpdateConfiguration = %+v, %v", up, err)
	}
	rev, err := f.mq.DescribeConfigurationRevision(ctx, &awsmq.DescribeConfigurationRevisionInput{ConfigurationId: c.Id, ConfigurationRevision: aws.String("2")})
	if err != nil || aws.ToString(rev.Data) != data || aws.ToString(rev.Description) != "second" {
		t.Errorf("DescribeConfigurationRevision(2) = %+v, %v", rev, err)
	}
	first, err := f.mq.DescribeConfigurationRevision(ctx, &awsmq.DescribeConfigurationRevisionInput{ConfigurationId: c.Id, ConfigurationRevision: aws.String("1")})
	if raw, _ := base64.StdEncoding.DecodeString(aws.ToString(first.Data)); err != nil || len(raw) == 0 {
		t.Errorf("DescribeConfigurationRevision(1) = %+v, %v; want the default data", first, err)
	}
	revs, err := f.mq.ListConfigurationRevisions(ctx, &awsmq.ListConfigurationRevisionsInput{ConfigurationId: c.Id})
	if err != nil || len(revs.Revisions) != 2 || aws.ToInt32(revs.Revisions[1].Revision) != 2 {
		t.Errorf("ListConfigurationRevisions = %+v, %v", revs, err)
	}
	d, err := f.mq.DescribeConfiguration(ctx, &awsmq.DescribeConfigurationInput{ConfigurationId: c.Id})
	if err != nil || aws.ToInt32(d.LatestRevision.Revision) != 2 || d.Tags["team"] != "blue" || d.EngineType != mqtypes.EngineTypeActivemq {
		t.Errorf("DescribeConfiguration = %+v, %v", d, err)
	}
	list, err := f.mq.ListConfigurations(ctx, &awsmq.ListConfigurationsInput{})
	if err != nil || len(list.Configurations) != 1 {
		t.Errorf("ListConfigurations = %+v, %v", list, err)
	}
	for name, err := range map[string]error{
		"bad base64": func() error {
			_, err := f.mq.UpdateConfiguration(ctx, &awsmq.UpdateConfigurationInput{ConfigurationId: c.Id, Data: aws.String("%%%")})
			return err
		}(),
		"revision 0": func() error {
			_, err := f.mq.DescribeConfigurationRevision(ctx, &awsmq.DescribeConfigurationRevisionInput{ConfigurationId: c.Id, ConfigurationRevision: aws.String("0")})
			return err
		}(),
		"bad name": func() error {
			_, err := f.mq.CreateConfiguration(ctx, &awsmq.CreateConfigurationInput{Name: aws.String("a b"), EngineType: mqtypes.EngineTypeActivemq})
			return err
		}(),
	} {
		if code, _ := errorCode(err); code != "BadRequestException" {
			t.Errorf("%s = %v, want BadRequestException", name, err)
		}
	}
	_, err = f.mq.DescribeConfigurationRevision(ctx, &awsmq.DescribeConfigurationRevisionInput{ConfigurationId: c.Id, ConfigurationRevision: aws.String("3")})
	if code, _ := errorCode(err); code != "NotFoundException" {
		t.Errorf("DescribeConfigurationRevision(3) = %v, want NotFoundException", err)
	}
	b := f.running(activeMQ("configured"))
	if _, err := f.mq.UpdateBroker(ctx, &awsmq.UpdateBrokerInput{BrokerId: b.BrokerId, Configuration: &mqtypes.ConfigurationId{Id: c.Id}}); err != nil {
		t.Fatal(err)
	}
	db, _ := f.mq.DescribeBroker(ctx, &awsmq.DescribeBrokerInput{BrokerId: b.BrokerId})
	if db.Configurations == nil || db.Configurations.Pending == nil || aws.ToInt32(db.Configurations.Pending.Revision) != 2 {
		t.Errorf("DescribeBroker(configuration pending) = %+v", db.Configurations)
	}
	_, err = f.mq.DeleteConfiguration(ctx, &awsmq.DeleteConfigurationInput{ConfigurationId: c.Id})
	if code, _ := errorCode(err); code != "ConflictException" {
		t.Errorf("DeleteConfiguration(in use) = %v, want ConflictException", err)
	}
	f.mq.RebootBroker(ctx, &awsmq.RebootBrokerInput{BrokerId: b.BrokerId})
	f.clock.Add(time.Minute)
	db, _ = f.mq.DescribeBroker(ctx, &awsmq.DescribeBrokerInput{BrokerId: b.BrokerId})
	if db.Configurations == nil || db.Configurations.Current == nil || aws.ToString(db.Configurations.Current.Id) != aws.ToString(c.Id) {
		t.Errorf("DescribeBroker(after the reboot) = %+v", db.Configurations)
	}
	f.mq.DeleteBroker(ctx, &awsmq.DeleteBrokerInput{BrokerId: b.BrokerId})
	f.clock.Add(time.Minute)
	if _, err := f.mq.DeleteConfiguration(ctx, &awsmq.DeleteConfigurationInput{ConfigurationId: c.Id}); err != nil {
		t.Errorf("DeleteConfiguration(unused) = %v", err)
	}
	_, err = f.mq.DescribeConfiguration(ctx, &awsmq.DescribeConfigurationInput{ConfigurationId: c.Id})
	if code, _ := errorCode(err); code != "NotFoundException" {
		t.Errorf("DescribeConfiguration(deleted) = %v, want NotFoundException", err)
	}
}

// TestTags: CreateTags, ListTags, DeleteTags on brokers and
// configurations.
func TestTags(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	b := f.running(activeMQ("tagged"))
	c, err := f.mq.CreateConfiguration(ctx, &awsmq.CreateConfigurationInput{Name: aws.String("cfg"), EngineType: mqtypes.EngineTypeRabbitmq})
	if err != nil {
		t.Fatal(err)
	}
	for _, res := range []*string{b.BrokerArn, c.Arn} {
		if _, err := f.mq.CreateTags(ctx, &awsmq.CreateTagsInput{ResourceArn: res, Tags: map[string]string{"a": "1", "b": "2"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.mq.DeleteTags(ctx, &awsmq.DeleteTagsInput{ResourceArn: res, TagKeys: []string{"a", "zz"}}); err != nil {
			t.Fatal(err)
		}
		got, err := f.mq.ListTags(ctx, &awsmq.ListTagsInput{ResourceArn: res})
		if err != nil || len(got.Tags) != 1 || got.Tags["b"] != "2" {
			t.Errorf("ListTags(%s) = %v, %v; want b=2", aws.ToString(res), got.Tags, err)
		}
	}
	_, err = f.mq.ListTags(ctx, &awsmq.ListTagsInput{ResourceArn: aws.String("arn:aws:mq:us-east-1:" + account + ":broker:x:b-none")})
	if code, _ := errorCode(err); code != "NotFoundException" {
		t.Errorf("ListTags(no such broker) = %v, want NotFoundException", err)
	}
	_, err = f.mq.ListTags(ctx, &awsmq.ListTagsInput{ResourceArn: aws.String("arn:aws:sqs:us-east-1:" + account + ":q")})
	if code, att := errorCode(err); code != "BadRequestException" || att != "resource-arn" {
		t.Errorf("ListTags(an SQS ARN) = %v, want BadRequestException", err)
	}
	// A tag-conditioned caller: CreateTags only with team=blue requested.
	tagger := f.user("tagger", nil, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"mq:CreateTags","Resource":"*",
		"Condition":{"StringEquals":{"aws:RequestTag/team":"blue"}}}]}`)
	if _, err := tagger.CreateTags(ctx, &awsmq.CreateTagsInput{ResourceArn: b.BrokerArn, Tags: map[string]string{"team": "blue"}}); err != nil {
		t.Errorf("CreateTags(team=blue) = %v", err)
	}
	_, err = tagger.CreateTags(ctx, &awsmq.CreateTagsInput{ResourceArn: b.BrokerArn, Tags: map[string]string{"team": "red"}})
	if code, _ := errorCode(err); code != "AccessDeniedException" {
		t.Errorf("CreateTags(team=red) = %v, want AccessDeniedException", err)
	}
}

// TestEnginesAndPromote: the engine and instance tables, and promoting the
// replica of a CRDR pair.
func TestEnginesAndPromote(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	et, err := f.mq.DescribeBrokerEngineTypes(ctx, &awsmq.DescribeBrokerEngineTypesInput{EngineType: aws.String("RABBITMQ")})
	if err != nil || len(et.BrokerEngineTypes) != 1 || aws.ToString(et.BrokerEngineTypes[0].EngineVersions[0].Name) != "4.2" {
		t.Errorf("DescribeBrokerEngineTypes(RABBITMQ) = %+v, %v", et, err)
	}
	io, err := f.mq.DescribeBrokerInstanceOptions(ctx, &awsmq.DescribeBrokerInstanceOptionsInput{HostInstanceType: aws.String("mq.t3.micro"),
		EngineType: aws.String("ACTIVEMQ")})
	if err != nil || len(io.BrokerInstanceOptions) != 1 || io.BrokerInstanceOptions[0].StorageType != mqtypes.BrokerStorageTypeEfs ||
		!slices.Equal(io.BrokerInstanceOptions[0].SupportedDeploymentModes, []mqtypes.DeploymentMode{mqtypes.DeploymentModeSingleInstance}) {
		t.Errorf("DescribeBrokerInstanceOptions(mq.t3.micro, ACTIVEMQ) = %+v, %v", io, err)
	}
	n, token := 0, (*string)(nil)
	for range 20 {
		page, err := f.mq.DescribeBrokerInstanceOptions(ctx, &awsmq.DescribeBrokerInstanceOptionsInput{MaxResults: aws.Int32(5), NextToken: token})
		if err != nil {
			t.Fatal(err)
		}
		n += len(page.BrokerInstanceOptions)
		if token = page.NextToken; token == nil {
			break
		}
	}
	if n < 10 {
		t.Errorf("DescribeBrokerInstanceOptions pages hold %d options", n)
	}
	primary := f.running(activeMQ("primary"))
	in := activeMQ("replica")
	in.DataReplicationMode, in.DataReplicationPrimaryBrokerArn = mqtypes.DataReplicationModeCrdr, primary.BrokerArn
	replica := f.running(in)
	d, _ := f.mq.DescribeBroker(ctx, &awsmq.DescribeBrokerInput{BrokerId: replica.BrokerId})
	if d.BrokerState != mqtypes.BrokerStateReplica || d.DataReplicationMetadata == nil ||
		aws.ToString(d.DataReplicationMetadata.DataReplicationCounterpart.BrokerId) != aws.ToString(primary.BrokerId) {
		t.Fatalf("DescribeBroker(replica) = %s %+v", d.BrokerState, d.DataReplicationMetadata)
	}
	_, err = f.mq.Promote(ctx, &awsmq.PromoteInput{BrokerId: primary.BrokerId, Mode: mqtypes.PromoteModeSwitchover})
	if code, _ := errorCode(err); code != "BadRequestException" {
		t.Errorf("Promote(the primary) = %v, want BadRequestException", err)
	}
	if _, err := f.mq.Promote(ctx, &awsmq.PromoteInput{BrokerId: replica.BrokerId, Mode: mqtypes.PromoteModeSwitchover}); err != nil {
		t.Fatal(err)
	}
	d, _ = f.mq.DescribeBroker(ctx, &awsmq.DescribeBrokerInput{BrokerId: replica.BrokerId})
	dp, _ := f.mq.DescribeBroker(ctx, &awsmq.DescribeBrokerInput{BrokerId: primary.BrokerId})
	if d.BrokerState != mqtypes.BrokerStateRunning || aws.ToString(d.DataReplicationMetadata.DataReplicationRole) != "PRIMARY" ||
		dp.BrokerState != mqtypes.BrokerStateReplica {
		t.Errorf("after Promote: the replica is %s %s, the primary %s", d.BrokerState, aws.ToString(d.DataReplicationMetadata.DataReplicationRole), dp.BrokerState)
	}
}
