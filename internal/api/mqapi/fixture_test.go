package mqapi_test

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awscreds "github.com/aws/aws-sdk-go-v2/credentials"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
	awsmq "github.com/aws/aws-sdk-go-v2/service/mq"
	mqtypes "github.com/aws/aws-sdk-go-v2/service/mq/types"
	"github.com/aws/smithy-go"

	"github.com/iamq/iamq/internal/api/iamapi"
	"github.com/iamq/iamq/internal/api/mqapi"
	"github.com/iamq/iamq/internal/authz"
	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/managed"
	"github.com/iamq/iamq/internal/mq"
	"github.com/iamq/iamq/internal/server"
	"github.com/iamq/iamq/internal/server/servertest"
	"github.com/iamq/iamq/internal/store"
)

// account is the fixture's default account (dev mode: its id is the root's
// access key).
const account = "111122223333"

// clock is the control plane's injected clock; tests move it.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// fixture is a whole endpoint (IAM and Amazon MQ, enforced, on SQLite)
// and SDK clients of it as the account's root.
type fixture struct {
	t     testing.TB
	url   string
	ts    *servertest.Server
	clock *clock
	iam   *iam.Service
	mq    *awsmq.Client
	root  *awsiam.Client
	st    store.Store
	creds *authz.Credentials // the endpoint's
	az    *authz.Authorizer
	// keyID and secret are the access key of the latest user made.
	keyID, secret string
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	return newFixtureOn(t, servertest.OpenSQLite(t, store.Options{Key: bytes.Repeat([]byte{7}, 32)}))
}

// newFixtureOn is the fixture over the store st.
func newFixtureOn(t testing.TB, st store.Store) *fixture {
	t.Helper()
	ctx := context.Background()
	svc := iam.New(st, managed.Builtin(), iam.Options{})
	t.Cleanup(svc.Wait)
	reg := svc.AWSPolicies()
	az := authz.New(st, reg, authz.Options{})
	reg.OnChange(az.InvalidateAll)
	creds := authz.NewCredentials(st, authz.CredentialsOptions{DevAccount: func(ctx context.Context, id string) error { return iam.EnsureAccount(ctx, st, id, "dev "+id) }})
	changes := servertest.Follow(t, st, reg.Apply, az.Apply, creds.Apply)
	rctx, cancel := context.WithCancel(ctx)
	t.Cleanup(cancel)
	if err := reg.Start(rctx); err != nil {
		t.Fatal(err)
	}
	srv := server.New(server.Options{Credentials: creds, Authz: az, Sync: changes.Sync, Dev: true, DefaultAccount: account})
	iamapi.Register(srv, svc, az)
	clk := &clock{t: time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)}
	m := mq.New(st, svc, az, mq.Options{Now: clk.Now, CreateDelay: time.Minute, RebootDelay: time.Minute, DeleteDelay: time.Minute})
	svc.SetRoleInUse(mq.ServicePrincipal, m.RoleInUse)
	mqapi.Register(srv, m)
	ts := servertest.Start(srv)
	t.Cleanup(ts.Close)
	f := &fixture{t: t, url: ts.URL, ts: ts, clock: clk, iam: svc, st: st, creds: creds, az: az}
	f.mq, f.root = f.clients(account, "x")
	return f
}

// clients are SDK clients signing with keyID.
func (f *fixture) clients(keyID, secret string) (*awsmq.Client, *awsiam.Client) {
	cfg := aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(f.url), HTTPClient: f.ts.Client(),
		Credentials: awscreds.NewStaticCredentialsProvider(keyID, secret, ""), Retryer: servertest.Retryer}
	return awsmq.NewFromConfig(cfg), awsiam.NewFromConfig(cfg)
}

// user creates an IAM user with the AWS managed policies and inline
// policy given ("" for none) and returns an Amazon MQ client as it.
func (f *fixture) user(name string, policyARNs []string, inline string) *awsmq.Client {
	f.t.Helper()
	ctx := context.Background()
	if _, err := f.root.CreateUser(ctx, &awsiam.CreateUserInput{UserName: aws.String(name)}); err != nil {
		f.t.Fatal(err)
	}
	for _, p := range policyARNs {
		if _, err := f.root.AttachUserPolicy(ctx, &awsiam.AttachUserPolicyInput{UserName: aws.String(name), PolicyArn: aws.String(p)}); err != nil {
			f.t.Fatal(err)
		}
	}
	if inline != "" {
		if _, err := f.root.PutUserPolicy(ctx, &awsiam.PutUserPolicyInput{UserName: aws.String(name), PolicyName: aws.String("inline"),
			PolicyDocument: aws.String(inline)}); err != nil {
			f.t.Fatal(err)
		}
	}
	k, err := f.root.CreateAccessKey(ctx, &awsiam.CreateAccessKeyInput{UserName: aws.String(name)})
	if err != nil {
		f.t.Fatal(err)
	}
	f.keyID, f.secret = aws.ToString(k.AccessKey.AccessKeyId), aws.ToString(k.AccessKey.SecretAccessKey)
	c, _ := f.clients(f.keyID, f.secret)
	return c
}

// activeMQ is a valid CreateBroker input for an ActiveMQ broker.
func activeMQ(name string) *awsmq.CreateBrokerInput {
	return &awsmq.CreateBrokerInput{BrokerName: aws.String(name), DeploymentMode: mqtypes.DeploymentModeSingleInstance,
		EngineType: mqtypes.EngineTypeActivemq, HostInstanceType: aws.String("mq.t3.micro"), PubliclyAccessible: aws.Bool(false),
		Users: []mqtypes.User{{Username: aws.String("admin"), Password: aws.String("correct-horse-1")}}}
}

// rabbitMQ is a valid CreateBroker input for a private RabbitMQ broker
// that publishes its general log.
func rabbitMQ(name string) *awsmq.CreateBrokerInput {
	return &awsmq.CreateBrokerInput{BrokerName: aws.String(name), DeploymentMode: mqtypes.DeploymentModeSingleInstance,
		EngineType: mqtypes.EngineTypeRabbitmq, HostInstanceType: aws.String("mq.m5.large"), PubliclyAccessible: aws.Bool(false),
		SubnetIds: []string{"subnet-0a1b2c"}, SecurityGroups: []string{"sg-0a1b2c"}, Logs: &mqtypes.Logs{General: aws.Bool(true)},
		Users: []mqtypes.User{{Username: aws.String("admin"), Password: aws.String("correct-horse-1")}}}
}

// errorCode is an SDK error's code ("" for none) and, for Amazon MQ's
// modeled errors, the attribute it names.
func errorCode(err error) (code, attribute string) {
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return "", ""
	}
	var br *mqtypes.BadRequestException
	var nf *mqtypes.NotFoundException
	var cf *mqtypes.ConflictException
	switch {
	case errors.As(err, &br):
		attribute = aws.ToString(br.ErrorAttribute)
	case errors.As(err, &nf):
		attribute = aws.ToString(nf.ErrorAttribute)
	case errors.As(err, &cf):
		attribute = aws.ToString(cf.ErrorAttribute)
	}
	return ae.ErrorCode(), attribute
}
