package main

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/iamq/iamq/internal/managed"
	"github.com/iamq/iamq/internal/store/postgres/pgtest"
)

// TestNodesPublish: two 'iamq serve' processes share PostgreSQL; a user on
// both holds AmazonMQReadOnlyAccess. A publisher (the registry 'iamq admin
// managed publish' runs, without its settling wait) publishes v3, which
// adds iam:ListUsers; both nodes enforce it within a second, with no
// re-attach, and a catalog update applied the same way reaches both.
func TestNodesPublish(t *testing.T) {
	storeURL := pgtest.SchemaURL(t)
	keyFile := filepath.Join(t.TempDir(), "secret.key")
	env := map[string]string{"IAMQ_STORE": storeURL, "IAMQ_KEY_FILE": keyFile}
	a := startNode(t, "A", env)
	b := startNode(t, "B", env)
	root, err := readCredentials(filepath.Join(a.dataDir, "credentials"), profileName)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	rootA := a.clients(root.ID, root.Secret, "")
	if _, err := rootA.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("carol")}); err != nil {
		t.Fatal(err)
	}
	key, err := rootA.iam.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("carol")})
	if err != nil {
		t.Fatal(err)
	}
	mqRO := "arn:aws:iam::aws:policy/AmazonMQReadOnlyAccess"
	if _, err := rootA.iam.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("carol"), PolicyArn: aws.String(mqRO)}); err != nil {
		t.Fatal(err)
	}
	lists := func(n *node) func() bool {
		return func() bool {
			_, err := n.clients(aws.ToString(key.AccessKey.AccessKeyId), aws.ToString(key.AccessKey.SecretAccessKey), "").
				iam.ListUsers(ctx, &iam.ListUsersInput{})
			return err == nil
		}
	}
	if _, ok := within(time.Second, func() bool { return !lists(a)() && !lists(b)() }); !ok {
		t.Fatal("carol may list users before the publish")
	}

	cfg := &serveConfig{storeURL: storeURL, keyFile: keyFile}
	st, _, err := openStore(ctx, cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	reg := managed.NewRegistry(managed.Builtin(), st, managed.RegistryOptions{})
	doc := `{"Version":"2012-10-17","Statement":[{"Action":["mq:Describe*","mq:List*","ec2:DescribeNetworkInterfaces",` +
		`"ec2:DescribeSecurityGroups","ec2:DescribeSubnets","ec2:DescribeVpcs","iam:ListUsers"],"Effect":"Allow","Resource":"*"}]}`
	pub, err := reg.PublishUpdate(ctx, managed.Update{Policy: "AmazonMQReadOnlyAccess", Document: doc, Description: "Lists users."})
	if err != nil || pub.Version.ID != "v3" {
		t.Fatalf("PublishUpdate = %+v, %v; want v3", pub.Version, err)
	}
	for _, n := range []*node{b, a} {
		if took, ok := within(time.Second, lists(n)); !ok {
			t.Errorf("node %s did not enforce the published v3 within a second (%v)", n.name, took)
		} else {
			t.Logf("node %s enforced v3 after %v", n.name, took)
		}
	}
	got, err := b.clients(root.ID, root.Secret, "").iam.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(mqRO)})
	if err != nil || aws.ToString(got.Policy.DefaultVersionId) != "v3" {
		t.Fatalf("GetPolicy on B = %v, %v; want default v3", got, err)
	}
	file, err := os.ReadFile(filepath.Join("..", "..", "internal", "managed", "testdata", "mq-widgets.json"))
	if err != nil {
		t.Fatal(err)
	}
	if res, err := reg.ApplyCatalog(ctx, file); err != nil || !res.Applied {
		t.Fatalf("ApplyCatalog = %+v, %v", res, err)
	}
	vo := "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"
	if took, ok := within(time.Second, func() bool {
		got, err := b.clients(root.ID, root.Secret, "").iam.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(vo)})
		return err == nil && aws.ToString(got.Policy.DefaultVersionId) == "v46"
	}); !ok {
		t.Errorf("node B did not serve ViewOnlyAccess v46 within a second of the catalog update (%v)", took)
	}
}
