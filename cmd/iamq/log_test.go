package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awscreds "github.com/aws/aws-sdk-go-v2/credentials"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/iamq/iamq/internal/store"
)

func iamClient(endpoint, id, secret string) *awsiam.Client {
	return awsiam.NewFromConfig(aws.Config{Region: "us-east-1", Credentials: awscreds.NewStaticCredentialsProvider(id, secret, ""),
		BaseEndpoint: aws.String(endpoint), RetryMaxAttempts: 1})
}

// TestServeSoftEnforcementAndLog runs 'iamq serve --dev --enforce=soft'
// with the log streamed to a file: a user without policies creates a user
// (let through), the server stops gracefully, and both the stream and
// 'iamq log' hold every call, the user's as WouldDeny.
func TestServeSoftEnforcementAndLog(t *testing.T) {
	dir := t.TempDir()
	stream := filepath.Join(t.TempDir(), "audit.jsonl")
	s := startServe(t, dir, map[string]string{"IAMQ_DEV": "true"}, "--enforce=soft", "--audit-stream", stream)
	if !strings.Contains(s.out.String(), "SOFT ENFORCEMENT IS ON") {
		t.Errorf("the banner does not say soft enforcement is on:\n%s", s.out)
	}
	ctx := context.Background()
	root := iamClient(s.endpoint, "test", "test")
	if _, err := root.CreateUser(ctx, &awsiam.CreateUserInput{UserName: aws.String("app")}); err != nil {
		t.Fatal(err)
	}
	k, err := root.CreateAccessKey(ctx, &awsiam.CreateAccessKeyInput{UserName: aws.String("app")})
	if err != nil {
		t.Fatal(err)
	}
	app := iamClient(s.endpoint, aws.ToString(k.AccessKey.AccessKeyId), aws.ToString(k.AccessKey.SecretAccessKey))
	if _, err := app.CreateUser(ctx, &awsiam.CreateUserInput{UserName: aws.String("made-by-app")}); err != nil {
		t.Fatalf("CreateUser by a user without policies under --enforce=soft = %v, want it let through", err)
	}
	if err := s.stop(); err != nil {
		t.Fatalf("serve stopped with %v", err)
	}
	data, err := os.ReadFile(stream)
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(data, []byte("\n")); n != 3 {
		t.Errorf("the stream holds %d records for 3 calls:\n%s", n, data)
	}
	if bytes.Contains(data, []byte(aws.ToString(k.AccessKey.SecretAccessKey))) {
		t.Error("the stream holds the secret access key")
	}
	out, stderr, err := run(t, "", "log", "--data-dir", dir, "--decision", "WouldDeny")
	if err != nil {
		t.Fatalf("iamq log = %v\n%s", err, stderr)
	}
	if lines := strings.Split(strings.TrimSpace(out), "\n"); len(lines) != 1 ||
		!strings.Contains(lines[0], "WouldDeny arn:aws:iam::123456789012:user/app iam:CreateUser arn:aws:iam::123456789012:user/made-by-app") ||
		!strings.Contains(lines[0], "because no identity-based policy allows") {
		t.Errorf("iamq log --decision WouldDeny printed:\n%s", out)
	}
	out, _, err = run(t, "", "log", "--data-dir", dir, "--json", "--principal", "arn:aws:iam::123456789012:root")
	if err != nil || strings.Count(out, `"eventName"`) != 2 {
		t.Errorf("iamq log --json --principal root = %v:\n%s", err, out)
	}
}

func TestLogUsage(t *testing.T) {
	for _, args := range [][]string{
		{"serve", "--enforce=soft"},
		{"serve", "--enforce=maybe"},
		{"serve", "--dev", "--enforce=soft", "--audit=false"},
		{"serve", "--audit-retention", "-1h"},
		{"log", "--decision", "Maybe"},
		{"log", "--since", "yesterday"},
		{"log", "--limit", "0"},
		{"log", "extra"},
	} {
		if _, _, err := run(t, "", args...); exitCode(new(bytes.Buffer), err) != 2 {
			t.Errorf("Run(%q) = %v, want a usage error", args, err)
		}
	}
}

// TestLogFollow: 'iamq log -f' prints what is there, then each record
// written later, once, including records written in the same nanosecond
// as the last one printed.
func TestLogFollow(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cfg := &serveConfig{dataDir: t.TempDir()}
	st, _, err := openStore(ctx, cfg, newLogger(io.Discard, "text", slog.LevelWarn))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	at := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	rec := func(id string) store.AuditRecord {
		return store.AuditRecord{ID: id, Time: at, Account: "111122223333", Principal: "arn:aws:iam::111122223333:user/a",
			Action: "iam:GetUser", Decision: "Allow", Event: []byte(`{"eventName":"GetUser"}`)}
	}
	if err := st.AppendAudit(ctx, []store.AuditRecord{rec("1")}); err != nil {
		t.Fatal(err)
	}
	out := &lockedBuffer{}
	lf := &logFlags{q: store.AuditQuery{Since: at.Add(-time.Hour), Limit: 100}, follow: true, poll: 10 * time.Millisecond}
	done := make(chan error, 1)
	go func() { done <- lf.print(ctx, st, out) }()
	waitLines := func(n int) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			if strings.Count(out.String(), "\n") >= n {
				return
			}
		}
		t.Fatalf("iamq log -f printed:\n%s\nwant %d lines", out, n)
	}
	waitLines(1)
	if err := st.AppendAudit(ctx, []store.AuditRecord{rec("2"), rec("3")}); err != nil {
		t.Fatal(err)
	}
	waitLines(3)
	time.Sleep(50 * time.Millisecond) // a few more polls: nothing printed twice
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(out.String(), "\n"); n != 3 {
		t.Errorf("iamq log -f printed %d lines, want 3:\n%s", n, out)
	}
}
