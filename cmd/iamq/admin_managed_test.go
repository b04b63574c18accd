package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAdminManagedPublish publishes an Amazon MQ policy update through the
// command: an addition goes through as v3; a removal is refused with the
// counterexample (exit non-zero, nothing published) and goes through with
// --allow-removal --reason; then a catalog is applied, twice.
func TestAdminManagedPublish(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if _, stderr, err := run(t, "", "admin", "account", "create", "--data-dir", data, "--account-id", "123456789012"); err != nil {
		t.Fatalf("account create: %v (%s)", err, stderr)
	}
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	more := write("more.json", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["mq:Describe*","mq:List*","ec2:DescribeNetworkInterfaces","ec2:DescribeSecurityGroups","ec2:DescribeSubnets","ec2:DescribeVpcs","ec2:DescribeVpcEndpoints"],"Resource":"*"}]}`)
	less := write("less.json", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["mq:List*"],"Resource":"*"}]}`)
	out, stderr, err := run(t, "", "admin", "managed", "publish", "--data-dir", data, "--policy", "AmazonMQReadOnlyAccess",
		"--document", more, "--description", "Reads VPC endpoints.", "--date", "2026-12-03")
	if err != nil || !strings.Contains(out, "published AmazonMQReadOnlyAccess v3") {
		t.Fatalf("publish = %q, %v (%s)", out, err, stderr)
	}
	_, _, err = run(t, "", "admin", "managed", "publish", "--data-dir", data, "--policy", "AmazonMQReadOnlyAccess",
		"--document", less, "--description", "Fewer reads.")
	if err == nil || !strings.Contains(err.Error(), "mq:Describe") || !strings.Contains(err.Error(), "--allow-removal") {
		t.Fatalf("publish of a removal = %v, want refused naming an mq:Describe action", err)
	}
	if _, _, err := run(t, "", "admin", "managed", "publish", "--data-dir", data, "--policy", "AmazonMQReadOnlyAccess",
		"--document", less, "--description", "Fewer reads.", "--allow-removal"); err == nil {
		t.Fatal("--allow-removal without --reason succeeded")
	}
	out, _, err = run(t, "", "admin", "managed", "publish", "--data-dir", data, "--policy", "AmazonMQReadOnlyAccess",
		"--document", less, "--description", "Fewer reads.", "--allow-removal", "--reason", "test")
	if err != nil || !strings.Contains(out, "v4") || !strings.Contains(out, "Breaking change") {
		t.Fatalf("publish --allow-removal = %q, %v; want v4, a breaking change", out, err)
	}
	catalog := filepath.Join("..", "..", "internal", "managed", "testdata", "mq-widgets.json")
	out, _, err = run(t, "", "admin", "catalog", "apply", "--data-dir", data, catalog)
	if err != nil || !strings.Contains(out, "published ViewOnlyAccess v46") || !strings.Contains(out, "mq:ListBrokerWidgets") ||
		strings.Contains(out, "DeleteBrokerWidget") {
		t.Fatalf("catalog apply = %q, %v; want ViewOnlyAccess v46 adding mq:ListBrokerWidgets only", out, err)
	}
	out, _, err = run(t, "", "admin", "catalog", "apply", "--data-dir", data, catalog)
	if err != nil || !strings.Contains(out, "nothing new") {
		t.Fatalf("catalog apply again = %q, %v; want nothing new", out, err)
	}
}

// TestAdminManagedSync syncs two snapshots through the command: a dry run
// stores nothing; AmazonMQFullAccess v6 (the data's file form) adds an
// action; AmazonMQReadOnlyAccess v3 (the API's URL-encoded form) removes
// some and is published as breaking; a second sync changes nothing. The
// catalog sync is the catalog apply under the name the issue gives it.
func TestAdminManagedSync(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if _, stderr, err := run(t, "", "admin", "account", "create", "--data-dir", data, "--account-id", "123456789012"); err != nil {
		t.Fatalf("account create: %v (%s)", err, stderr)
	}
	snaps := filepath.Join("..", "..", "internal", "managed", "testdata", "sync")
	full, ro := filepath.Join(snaps, "mq-full-v6.json"), filepath.Join(snaps, "mq-readonly-v3.api.json")
	out, _, err := run(t, "", "admin", "managed", "sync", "--dry-run", "--data-dir", data, full)
	if err != nil || !strings.Contains(out, "would sync AmazonMQFullAccess v6 (follows v5)") || !strings.Contains(out, "nothing stored") {
		t.Fatalf("sync --dry-run = %q, %v", out, err)
	}
	out, _, err = run(t, "", "admin", "managed", "sync", "--data-dir", data, full)
	if err != nil || !strings.Contains(out, "synced AmazonMQFullAccess v6 (follows v5)") || strings.Contains(out, "BREAKING") ||
		!strings.Contains(out, "1593 missing from the snapshot") || !strings.Contains(out, "1573 more left unchanged") {
		t.Fatalf("sync = %q, %v", out, err)
	}
	out, _, err = run(t, "", "admin", "managed", "sync", "--data-dir", data, ro)
	if err != nil || !strings.Contains(out, "synced AmazonMQReadOnlyAccess v3 (follows v2)") || !strings.Contains(out, "BREAKING") ||
		!strings.Contains(out, "mq:Describe") {
		t.Fatalf("sync of a removal = %q, %v; want v3 published as breaking, naming an mq:Describe action", out, err)
	}
	out, _, err = run(t, "", "admin", "managed", "sync", "--data-dir", data, ro)
	if err != nil || !strings.Contains(out, "0 policies changed at AWS, 1 unchanged") {
		t.Fatalf("second sync = %q, %v; want nothing changed", out, err)
	}
	if _, _, err := run(t, "", "admin", "managed", "sync", "--data-dir", data, filepath.Join(snaps, "readonly-removed.json")); err == nil {
		t.Fatal("sync of a file that is no snapshot succeeded")
	}
	out, _, err = run(t, "", "admin", "catalog", "sync", "--data-dir", data, filepath.Join("..", "..", "internal", "managed", "testdata", "mq-widgets.json"))
	if err != nil || !strings.Contains(out, "published ViewOnlyAccess v46") {
		t.Fatalf("catalog sync = %q, %v", out, err)
	}
}
