package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awscreds "github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/iamq/iamq/internal/api/stsapi"
	"github.com/iamq/iamq/internal/authz"
	"github.com/iamq/iamq/internal/server"
)

// lockedBuffer is an output stream the server's goroutine writes to while a
// test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

var endpointRE = regexp.MustCompile(`at (http://127\.0\.0\.1:\d+)`)

// serving is an 'iamq serve' running in the test.
type serving struct {
	endpoint string
	out      *lockedBuffer
	stop     func() error
}

// startServe runs 'iamq serve' on a free port over dataDir (none when "")
// and waits for its banner.
func startServe(t *testing.T, dataDir string, env map[string]string, args ...string) *serving {
	t.Helper()
	out, errOut := &lockedBuffer{}, &lockedBuffer{}
	m := &Main{Stdin: strings.NewReader(""), Stdout: out, Stderr: errOut, Getenv: func(k string) string { return env[k] }}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	base := []string{"serve", "--addr", "127.0.0.1:0"}
	if dataDir != "" { // "" for --ephemeral
		base = append(base, "--data-dir", dataDir)
	}
	go func() { done <- m.Run(ctx, append(base, args...)) }()
	s := &serving{out: out}
	var once sync.Once
	var stopErr error
	s.stop = func() error {
		once.Do(func() { cancel(); stopErr = <-done })
		return stopErr
	}
	t.Cleanup(func() { s.stop() })
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if m := endpointRE.FindStringSubmatch(out.String()); m != nil {
			s.endpoint = m[1]
			return s
		}
		select {
		case err := <-done:
			t.Fatalf("iamq serve exited: %v\n%s%s", err, out, errOut)
		case <-time.After(10 * time.Millisecond):
		}
	}
	t.Fatalf("iamq serve printed no endpoint:\n%s%s", out, errOut)
	return nil
}

// callerIdentity calls sts:GetCallerIdentity with the SDK.
func callerIdentity(t *testing.T, endpoint, keyID, secret string) (*sts.GetCallerIdentityOutput, error) {
	t.Helper()
	client := sts.NewFromConfig(aws.Config{
		Region:           "us-east-1",
		Credentials:      awscreds.NewStaticCredentialsProvider(keyID, secret, ""),
		BaseEndpoint:     aws.String(endpoint),
		RetryMaxAttempts: 1,
	})
	return client.GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
}

var accountRE = regexp.MustCompile(`default account (\d{12})`)

func TestServeFirstStartAndRestart(t *testing.T) {
	dir := t.TempDir()
	s := startServe(t, dir, nil)
	credsPath := filepath.Join(dir, "credentials")
	if !strings.Contains(s.out.String(), "export AWS_SHARED_CREDENTIALS_FILE="+credsPath+" AWS_PROFILE=iamq") ||
		!strings.Contains(s.out.String(), "aws --endpoint-url "+s.endpoint+" sts get-caller-identity") {
		t.Errorf("banner lacks the two lines a user needs:\n%s", s.out)
	}
	m := accountRE.FindStringSubmatch(s.out.String())
	if m == nil {
		t.Fatalf("banner names no account:\n%s", s.out)
	}
	account := m[1]
	fi, err := os.Stat(credsPath)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("credentials file: %v, mode %v, want 0600", err, fi.Mode())
	}
	key, err := readCredentials(credsPath, profileName)
	if err != nil || !strings.HasPrefix(key.ID, "AKIA") {
		t.Fatalf("readCredentials = %+v, %v", key, err)
	}
	out, err := callerIdentity(t, s.endpoint, key.ID, key.Secret)
	if err != nil || aws.ToString(out.Account) != account || aws.ToString(out.Arn) != "arn:aws:iam::"+account+":root" {
		t.Fatalf("GetCallerIdentity = %v, %v, want the root of %s", out, err, account)
	}
	if err := s.stop(); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	if _, err := http.Get(s.endpoint + "/healthz"); err == nil {
		t.Error("the server still answers after shutdown")
	}

	s = startServe(t, dir, nil)
	if !strings.Contains(s.out.String(), "default account "+account) {
		t.Errorf("restart changed the default account:\n%s", s.out)
	}
	again, _ := readCredentials(credsPath, profileName)
	if again != key {
		t.Errorf("restart rewrote the key: %+v, was %+v", again, key)
	}
	if _, err := callerIdentity(t, s.endpoint, key.ID, key.Secret); err != nil {
		t.Fatalf("GetCallerIdentity after restart = %v", err)
	}
}

func TestServeDev(t *testing.T) {
	dir := t.TempDir()
	s := startServe(t, dir, map[string]string{"IAMQ_DEV": "true"})
	if !strings.Contains(s.out.String(), "DEV MODE IS ON") || !strings.Contains(s.out.String(), "default account 123456789012") {
		t.Errorf("dev banner:\n%s", s.out)
	}
	out, err := callerIdentity(t, s.endpoint, "test", "test")
	if err != nil || aws.ToString(out.Arn) != "arn:aws:iam::123456789012:root" {
		t.Fatalf("GetCallerIdentity(test) = %v, %v", out, err)
	}
	out, err = callerIdentity(t, s.endpoint, "111122223333", "x")
	if err != nil || aws.ToString(out.Account) != "111122223333" {
		t.Fatalf("GetCallerIdentity(111122223333) = %v, %v", out, err)
	}
	key, _ := readCredentials(filepath.Join(dir, "credentials"), profileName)
	if _, err := callerIdentity(t, s.endpoint, key.ID, "wrong"); err == nil {
		t.Error("an issued key with a wrong secret was accepted in dev mode")
	}
	resp, err := http.Post(s.endpoint+"/_iamq/reset", "", nil)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("reset = %v, %v", resp, err)
	}
	resp.Body.Close()
	// The printed credentials survive the reset: the root key is recreated.
	if _, err := callerIdentity(t, s.endpoint, key.ID, "wrong"); err == nil {
		t.Error("after reset, the root key is unknown (accepted unsigned) instead of recreated")
	}
	if out, err := callerIdentity(t, s.endpoint, key.ID, key.Secret); err != nil || aws.ToString(out.Account) != "123456789012" {
		t.Fatalf("after reset GetCallerIdentity(root key) = %v, %v", out, err)
	}
	// The reset emptied the decision log: of the calls before it, account
	// 111122223333's is gone; the calls after it are there.
	if err := s.stop(); err != nil {
		t.Fatalf("serve stopped with %v", err)
	}
	logged, stderr, err := run(t, "", "log", "--data-dir", dir, "--json")
	if err != nil {
		t.Fatalf("iamq log = %v\n%s", err, stderr)
	}
	if strings.Contains(logged, "111122223333") || strings.Count(logged, `"eventName":"GetCallerIdentity"`) != 2 {
		t.Errorf("after reset the log holds, want only the two calls made after it:\n%s", logged)
	}
}

func TestServeRootKeyFlags(t *testing.T) {
	const id, secret = "AKIACIEXAMPLE0000001", "ciSecretAccessKeyExample000000000000000"
	s := startServe(t, t.TempDir(), map[string]string{"IAMQ_ACCOUNT_ID": "444455556666"},
		"--root-access-key-id", id, "--root-secret-access-key", secret)
	out, err := callerIdentity(t, s.endpoint, id, secret)
	if err != nil || aws.ToString(out.Arn) != "arn:aws:iam::444455556666:root" {
		t.Fatalf("GetCallerIdentity(flag key) = %v, %v", out, err)
	}
}

func TestAdminAccountCreate(t *testing.T) {
	dir := t.TempDir()
	stdout, stderr, err := run(t, "", "admin", "account", "create", "--account-id", "222233334444", "--data-dir", dir)
	if err != nil {
		t.Fatalf("admin account create = %v\n%s", err, stderr)
	}
	path := filepath.Join(dir, "credentials-222233334444")
	if !strings.Contains(stdout, "AWS_PROFILE=iamq-222233334444") {
		t.Errorf("admin account create printed:\n%s", stdout)
	}
	key, err := readCredentials(path, "iamq-222233334444")
	if err != nil || key.ID == "" {
		t.Fatalf("readCredentials(%s) = %+v, %v", path, key, err)
	}
	if _, _, err := run(t, "", "admin", "account", "create", "--account-id", "222233334444", "--data-dir", dir); err == nil {
		t.Error("creating the same account twice succeeded")
	}
	list, _, err := run(t, "", "admin", "account", "list", "--data-dir", dir)
	if err != nil || !strings.Contains(list, "222233334444") {
		t.Errorf("admin account list = %q, %v", list, err)
	}
	s := startServe(t, dir, nil)
	out, err := callerIdentity(t, s.endpoint, key.ID, key.Secret)
	if err != nil || aws.ToString(out.Account) != "222233334444" {
		t.Fatalf("GetCallerIdentity(new account's root) = %v, %v", out, err)
	}
}

func TestServeUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"bad log format", []string{"serve", "--log-format", "xml"}},
		{"half a root key", []string{"serve", "--root-access-key-id", "AKIA"}},
		{"extra argument", []string{"serve", "now"}},
		{"admin without command", []string{"admin"}},
		{"unknown flag", []string{"serve", "--nope"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, err := run(t, "", tt.args...); exitCode(new(bytes.Buffer), err) != 2 {
				t.Errorf("Run(%q) = %v, want a usage error", tt.args, err)
			}
		})
	}
}

func TestCredentialsFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "credentials")
	if k, err := readCredentials(path, "iamq"); err != nil || k != (rootKey{}) {
		t.Fatalf("readCredentials(missing) = %+v, %v", k, err)
	}
	want := rootKey{ID: "AKIAEXAMPLE", Secret: "s/e+cret"}
	if err := writeCredentials(path, "iamq", want, "123456789012", "us-east-1"); err != nil {
		t.Fatal(err)
	}
	if k, err := readCredentials(path, "iamq"); err != nil || k != want {
		t.Errorf("readCredentials = %+v, %v, want %+v", k, err, want)
	}
	if k, _ := readCredentials(path, "other"); k != (rootKey{}) {
		t.Errorf("readCredentials(other profile) = %+v", k)
	}
	os.WriteFile(path, []byte("[iamq]\naws_access_key_id = AKIA\n"), 0o600)
	if _, err := readCredentials(path, "iamq"); err == nil {
		t.Error("readCredentials(half a key) succeeded")
	}
}

// TestGracefulShutdown: cancelling serve's context (SIGTERM) lets a request
// in flight finish before serveUntilDone returns.
func TestGracefulShutdown(t *testing.T) {
	ctx := context.Background()
	cfg := &serveConfig{dataDir: t.TempDir(), region: "us-east-1", dev: true}
	st, _, err := openStore(ctx, cfg, newLogger(io.Discard, "text", slog.LevelInfo))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	account, _, err := bootstrap(ctx, st, cfg)
	if err != nil {
		t.Fatal(err)
	}
	creds := authz.NewCredentials(st, authz.CredentialsOptions{})
	srv := server.New(server.Options{Credentials: creds, Dev: true, DefaultAccount: account})
	entered, release := make(chan struct{}), make(chan struct{})
	srv.AddQueryService(server.QueryService{Name: stsapi.Service, Version: "2011-06-15"})
	srv.Query(stsapi.Service, "Slow", func(ctx context.Context, c *server.Call) (any, error) {
		close(entered)
		<-release
		return nil, nil
	}, server.NoPermission)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sctx, stop := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() {
		served <- serveUntilDone(sctx, srv, creds, ln, 0, newLogger(io.Discard, "text", slog.LevelInfo))
	}()

	status := make(chan int, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodPost, "http://"+ln.Addr().String()+"/", strings.NewReader("Action=Slow&Version=2011-06-15"))
		// Dev mode: a key iamq did not issue needs no valid signature.
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=00")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			status <- 0
			return
		}
		resp.Body.Close()
		status <- resp.StatusCode
	}()
	<-entered
	stop() // SIGTERM
	select {
	case err := <-served:
		t.Fatalf("serveUntilDone returned %v with a request in flight", err)
	case <-time.After(100 * time.Millisecond):
	}
	close(release)
	if got := <-status; got != http.StatusOK {
		t.Errorf("the request in flight got %d, want 200", got)
	}
	if err := <-served; err != nil {
		t.Errorf("serveUntilDone = %v", err)
	}
}

func TestTuneGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	for _, tc := range []struct {
		gogc string
		want int
	}{{"", gcPercent}, {"50", 100}, {"off", 100}} {
		debug.SetGCPercent(100)
		tuneGC(func(name string) string {
			if name == "GOGC" {
				return tc.gogc
			}
			return ""
		})
		if got := debug.SetGCPercent(100); got != tc.want {
			t.Errorf("GOGC=%q: GC percent %d, want %d", tc.gogc, got, tc.want)
		}
	}
}
