package main

import (
	"context"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	awscreds "github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/iamq/iamq/internal/store/postgres/pgtest"
)

// runMainEnv makes the test binary run iamq's main instead of the tests: the
// multi-node tests start nodes as processes of their own, which they can
// kill -9.
const runMainEnv = "IAMQ_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// node is an 'iamq serve' process.
type node struct {
	name     string
	endpoint string
	dataDir  string
	cmd      *exec.Cmd
	out      *lockedBuffer
}

// startNode starts 'iamq serve' as a process of its own on a free port with
// env (besides the process's own), and waits for its banner. The node is
// stopped when the test ends.
func startNode(t *testing.T, name string, env map[string]string, args ...string) *node {
	t.Helper()
	n := &node{name: name, dataDir: t.TempDir(), out: &lockedBuffer{}}
	n.cmd = exec.Command(os.Args[0], append([]string{"serve", "--addr", "127.0.0.1:0", "--data-dir", n.dataDir}, args...)...)
	n.cmd.Env = append(os.Environ(), runMainEnv+"=1")
	for k, v := range env {
		n.cmd.Env = append(n.cmd.Env, k+"="+v)
	}
	n.cmd.Stdout, n.cmd.Stderr = n.out, n.out
	if err := n.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- n.cmd.Wait() }()
	t.Cleanup(func() {
		n.cmd.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(30 * time.Second):
			n.cmd.Process.Kill()
		}
		if t.Failed() {
			t.Logf("node %s's output:\n%s", n.name, n.out)
		}
	})
	deadline := time.After(60 * time.Second)
	for {
		if m := endpointRE.FindStringSubmatch(n.out.String()); m != nil {
			n.endpoint = m[1]
			return n
		}
		select {
		case err := <-exited:
			t.Fatalf("node %s exited before serving: %v\n%s", name, err, n.out)
		case <-deadline:
			t.Fatalf("node %s printed no banner within a minute:\n%s", name, n.out)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// clients of one node for one key: IAM and STS, without retries, so that
// every refusal is seen as the node gave it.
type clients struct {
	iam *iam.Client
	sts *sts.Client
}

func (n *node) clients(keyID, secret, token string) clients {
	cfg := aws.Config{
		Region:           "us-east-1",
		Credentials:      awscreds.NewStaticCredentialsProvider(keyID, secret, token),
		BaseEndpoint:     aws.String(n.endpoint),
		RetryMaxAttempts: 1,
	}
	return clients{iam: iam.NewFromConfig(cfg), sts: sts.NewFromConfig(cfg)}
}

// apiCode is an SDK error's AWS code and HTTP status ("" and 0 for none).
func apiCode(err error) (string, int) {
	var ae smithy.APIError
	var re *awshttp.ResponseError
	code, status := "", 0
	if errors.As(err, &ae) {
		code = ae.ErrorCode()
	}
	if errors.As(err, &re) {
		status = re.HTTPStatusCode()
	}
	return code, status
}

// within polls try every 10 ms until it returns true, for at most d, and
// says how long it took.
func within(d time.Duration, try func() bool) (time.Duration, bool) {
	began := time.Now()
	for {
		if try() {
			return time.Since(began), true
		}
		if time.Since(began) > d {
			return time.Since(began), false
		}
		time.Sleep(10 * time.Millisecond)
	}
}

const readOnlyIAM = "arn:aws:iam::aws:policy/IAMReadOnlyAccess"

// TestNodesShareOneStore: three 'iamq serve' processes on one PostgreSQL
// behave as one service. The third starts (each node once added a root key
// of its own, and the root has two); a policy attached through A is
// enforced by B within a second, a detach through B by A; credentials from
// AssumeRole on A work on C.
//
// Without LISTEN/NOTIFY and advisory locks (a PostgreSQL-compatible
// database that lacks them) the same holds: nodes read the change sequence
// every second.
func TestNodesShareOneStore(t *testing.T) {
	for _, tc := range []struct{ name, params string }{
		{"every feature", ""},
		{"without NOTIFY or advisory locks", "&iamq_notify=off&iamq_advisory_locks=off"},
	} {
		t.Run(tc.name, func(t *testing.T) { testNodesShareOneStore(t, pgtest.SchemaURL(t)+tc.params) })
	}
}

func testNodesShareOneStore(t *testing.T, storeURL string) {
	env := map[string]string{"IAMQ_STORE": storeURL, "IAMQ_KEY_FILE": filepath.Join(t.TempDir(), "secret.key")}
	a := startNode(t, "A", env)
	b := startNode(t, "B", env)
	c := startNode(t, "C", env)
	root, err := readCredentials(filepath.Join(a.dataDir, "credentials"), profileName)
	if err != nil || root.ID == "" {
		t.Fatalf("node A's credentials: %+v, %v", root, err)
	}
	for _, n := range []*node{b, c} {
		if k, err := readCredentials(filepath.Join(n.dataDir, "credentials"), profileName); err != nil || k != root {
			t.Errorf("node %s's credentials = %+v, %v; want node A's root key %s", n.name, k, err, root.ID)
		}
	}
	ctx := context.Background()
	rootA := a.clients(root.ID, root.Secret, "")
	if _, err := rootA.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bob")}); err != nil {
		t.Fatal(err)
	}
	key, err := rootA.iam.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("bob")})
	if err != nil {
		t.Fatal(err)
	}
	bob := func(n *node) clients {
		return n.clients(aws.ToString(key.AccessKey.AccessKeyId), aws.ToString(key.AccessKey.SecretAccessKey), "")
	}
	allowed := func(n *node) func() bool {
		return func() bool {
			_, err := bob(n).iam.ListUsers(ctx, &iam.ListUsersInput{})
			return err == nil
		}
	}
	denied := func(n *node) func() bool {
		return func() bool {
			_, err := bob(n).iam.ListUsers(ctx, &iam.ListUsersInput{})
			code, _ := apiCode(err)
			return code == "AccessDenied"
		}
	}
	if !denied(b)() {
		t.Fatal("bob may list users on B before any policy")
	}
	if _, err := rootA.iam.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("bob"), PolicyArn: aws.String(readOnlyIAM)}); err != nil {
		t.Fatal(err)
	}
	if took, ok := within(time.Second, allowed(b)); !ok {
		t.Errorf("a policy attached through A was not enforced by B within a second (%v)", took)
	}
	if _, err := b.clients(root.ID, root.Secret, "").iam.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String("bob"), PolicyArn: aws.String(readOnlyIAM)}); err != nil {
		t.Fatal(err)
	}
	if took, ok := within(time.Second, denied(a)); !ok {
		t.Errorf("a policy detached through B was still enforced by A after a second (%v)", took)
	}

	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + accountOf(t, a, root) + `:root"},"Action":"sts:AssumeRole"}]}`
	assume := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}`
	if _, err := rootA.iam.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("bob"), PolicyName: aws.String("assume"), PolicyDocument: aws.String(assume)}); err != nil {
		t.Fatal(err)
	}
	if _, err := rootA.iam.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("deployer"), AssumeRolePolicyDocument: aws.String(trust)}); err != nil {
		t.Fatal(err)
	}
	role, err := rootA.iam.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("deployer")})
	if err != nil {
		t.Fatal(err)
	}
	session, err := bob(a).sts.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: role.Role.Arn, RoleSessionName: aws.String("ci")})
	if err != nil {
		t.Fatal(err)
	}
	cr := session.Credentials
	who, err := c.clients(aws.ToString(cr.AccessKeyId), aws.ToString(cr.SecretAccessKey), aws.ToString(cr.SessionToken)).sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil || !strings.HasSuffix(aws.ToString(who.Arn), ":assumed-role/deployer/ci") {
		t.Fatalf("node C: GetCallerIdentity with A's session = %v, %v; want the assumed role", who, err)
	}

	// A key deactivated, activated again, then deleted through C: A and B,
	// which both hold it in their credential caches, follow each step
	// within a second (bob has no policy left: a key that verifies is
	// denied, one that does not is refused).
	refused := func(n *node) func() bool {
		return func() bool {
			_, err := bob(n).iam.ListUsers(ctx, &iam.ListUsersInput{})
			code, _ := apiCode(err)
			return code == "InvalidClientTokenId"
		}
	}
	status := func(st iamtypes.StatusType) func() error {
		return func() error {
			_, err := c.clients(root.ID, root.Secret, "").iam.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String("bob"), AccessKeyId: key.AccessKey.AccessKeyId, Status: st})
			return err
		}
	}
	for _, step := range []struct {
		name  string
		write func() error
		want  func(*node) func() bool
	}{
		{"deactivated", status(iamtypes.StatusTypeInactive), refused},
		{"activated", status(iamtypes.StatusTypeActive), denied},
		{"deleted", func() error {
			_, err := c.clients(root.ID, root.Secret, "").iam.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: aws.String("bob"), AccessKeyId: key.AccessKey.AccessKeyId})
			return err
		}, refused},
	} {
		if err := step.write(); err != nil {
			t.Fatal(err)
		}
		for _, n := range []*node{a, b} {
			if took, ok := within(time.Second, step.want(n)); !ok {
				t.Errorf("bob's key %s through C: node %s did not follow within a second (%v)", step.name, n.name, took)
			}
		}
	}
}

// accountOf is the account node n serves as key's root.
func accountOf(t *testing.T, n *node, key rootKey) string {
	t.Helper()
	who, err := n.clients(key.ID, key.Secret, "").sts.GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(who.Account)
}

// TestNodesDevReset: dev mode's reset through one node empties the shared
// store for every node: a user made before it is gone on the others, and
// the root key, made again by the node that reset, works everywhere.
func TestNodesDevReset(t *testing.T) {
	env := map[string]string{"IAMQ_STORE": pgtest.SchemaURL(t), "IAMQ_KEY_FILE": filepath.Join(t.TempDir(), "secret.key"), "IAMQ_DEV": "true"}
	a, b := startNode(t, "A", env), startNode(t, "B", env)
	root, err := readCredentials(filepath.Join(a.dataDir, "credentials"), profileName)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := b.clients(root.ID, root.Secret, "").iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("before")}); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(a.endpoint+"/_iamq/reset", "", nil)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("reset through A = %v, %v", resp, err)
	}
	resp.Body.Close()
	gone := func() bool {
		_, err := b.clients(root.ID, root.Secret, "").iam.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("before")})
		code, _ := apiCode(err)
		return code == "NoSuchEntity"
	}
	if took, ok := within(time.Second, gone); !ok {
		t.Errorf("node B still had the user made before A's reset after %v", took)
	}
}
