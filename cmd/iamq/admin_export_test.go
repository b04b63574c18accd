package main

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// adminSeed is a small account: a user in a group, a role in an instance
// profile, a customer managed policy attached to the group and an AWS
// managed one attached to the role.
const adminSeed = `{
  "UserDetailList": [{"Path": "/", "UserName": "alice", "GroupList": ["devs"],
    "UserPolicyList": [{"PolicyName": "own", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]}}],
    "AttachedManagedPolicies": [], "Tags": [{"Key": "team", "Value": "mq"}]}],
  "GroupDetailList": [{"Path": "/", "GroupName": "devs", "GroupPolicyList": [],
    "AttachedManagedPolicies": [{"PolicyName": "reader", "PolicyArn": "arn:aws:iam::999999999999:policy/reader"}]}],
  "RoleDetailList": [{"Path": "/", "RoleName": "web",
    "AssumeRolePolicyDocument": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}",
    "InstanceProfileList": [{"Path": "/", "InstanceProfileName": "web-ip", "Roles": []}],
    "RolePolicyList": [], "AttachedManagedPolicies": [{"PolicyName": "AmazonMQReadOnlyAccess", "PolicyArn": "arn:aws:iam::aws:policy/AmazonMQReadOnlyAccess"}],
    "Tags": []}],
  "Policies": [{"PolicyName": "reader", "Arn": "arn:aws:iam::999999999999:policy/reader", "Path": "/", "DefaultVersionId": "v1",
    "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": true,
      "Document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}}]}]
}`

func TestAdminImportExport(t *testing.T) {
	dir := t.TempDir()
	seed := filepath.Join(dir, "seed.json")
	if err := os.WriteFile(seed, []byte(adminSeed), 0o600); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "data")
	out, stderr, err := run(t, "", "admin", "import", "--data-dir", data, "--account-id", "123456789012", seed)
	if err != nil {
		t.Fatalf("admin import = %v (%s)", err, stderr)
	}
	if !strings.Contains(out, "1 users, 1 groups, 1 roles, 1 instance profiles, 1 policies, 1 inline policies, 2 attachments") {
		t.Errorf("admin import said %q", out)
	}
	// A second import refuses the taken names and changes nothing.
	if _, _, err := run(t, "", "admin", "import", "--data-dir", data, "--account-id", "123456789012", seed); err == nil {
		t.Error("admin import of the same file again succeeded")
	}
	out, stderr, err = run(t, "", "admin", "export", "--data-dir", data, "--account-id", "123456789012")
	if err != nil {
		t.Fatalf("admin export = %v (%s)", err, stderr)
	}
	var d struct {
		UserDetailList []struct{ UserName, Arn string }
		RoleDetailList []struct {
			InstanceProfileList []struct{ InstanceProfileName string }
		}
		Policies []struct{ PolicyName, Arn string }
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatalf("admin export wrote no JSON: %v\n%s", err, out)
	}
	if len(d.UserDetailList) != 1 || d.UserDetailList[0].Arn != "arn:aws:iam::123456789012:user/alice" ||
		len(d.RoleDetailList) != 1 || len(d.RoleDetailList[0].InstanceProfileList) != 1 || len(d.Policies) != 2 {
		t.Errorf("admin export = %+v", d)
	}
	for _, p := range d.Policies {
		if p.PolicyName == "reader" && p.Arn != "arn:aws:iam::123456789012:policy/reader" {
			t.Errorf("customer policy ARN = %s, want it in the importing account", p.Arn)
		}
	}
	if _, _, err := run(t, "", "admin", "import", "--data-dir", data); err == nil {
		t.Error("admin import without FILE succeeded")
	}
}

func TestSeedAccount(t *testing.T) {
	dir := t.TempDir()
	seed := filepath.Join(dir, "seed.json")
	if err := os.WriteFile(seed, []byte(adminSeed), 0o600); err != nil {
		t.Fatal(err)
	}
	m := &Main{Stdout: io.Discard, Stderr: io.Discard, Getenv: func(string) string { return "" }}
	cfg := &serveConfig{dataDir: filepath.Join(dir, "data"), accountID: "123456789012"}
	ctx := context.Background()
	st, svc, account, err := m.openIAM(ctx, cfg, true)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if applied, err := m.seedAccount(ctx, svc, account, seed); err != nil || !applied {
		t.Fatalf("seedAccount(empty account) = %v, %v; want applied", applied, err)
	}
	// A restart finds the account in use and leaves it as it is.
	if applied, err := m.seedAccount(ctx, svc, account, seed); err != nil || applied {
		t.Fatalf("seedAccount(seeded account) = %v, %v; want not applied", applied, err)
	}
	if _, err := m.seedAccount(ctx, svc, account, filepath.Join(dir, "missing.json")); err == nil {
		t.Error("seedAccount(missing file) succeeded")
	}
}
