package main

import (
	"bytes"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// servedDir starts and stops 'iamq serve' on a new data directory and
// returns it with its default account.
func servedDir(t *testing.T) (dir, account string) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "iamq-data")
	s := startServe(t, dir, nil)
	m := accountRE.FindStringSubmatch(s.out.String())
	if m == nil {
		t.Fatalf("banner names no account:\n%s", s.out)
	}
	if err := s.stop(); err != nil {
		t.Fatal(err)
	}
	return dir, m[1]
}

// runErr runs the command line and returns what main would print of its
// error, with the exit code.
func runErr(t *testing.T, args ...string) (string, int) {
	t.Helper()
	_, stderr, err := run(t, "", args...)
	var printed bytes.Buffer
	code := exitCode(&printed, err)
	return stderr + printed.String(), code
}

// TestNothingCreatedByTypos: read commands create no data directory and no
// account; serve refuses an --account-id other than the default account of
// an existing data directory, and leaves its credentials file alone.
func TestNothingCreatedByTypos(t *testing.T) {
	typo := filepath.Join(t.TempDir(), "typo")
	for _, args := range [][]string{
		{"admin", "export", "--data-dir", typo},
		{"admin", "account", "list", "--data-dir", typo},
	} {
		msg, code := runErr(t, args...)
		if code == 0 || !strings.Contains(msg, "--data-dir "+typo+": no such directory") {
			t.Errorf("Run(%q) = exit %d, %q; want an error naming the missing directory", args, code, msg)
		}
		if _, err := os.Stat(typo); err == nil {
			t.Fatalf("Run(%q) created %s", args, typo)
		}
	}

	dir, account := servedDir(t)
	msg, code := runErr(t, "admin", "export", "--data-dir", dir, "--account-id", "424242424242")
	if code == 0 || !strings.Contains(msg, "account 424242424242 does not exist") {
		t.Errorf("admin export of an unknown account = exit %d, %q", code, msg)
	}
	if list, _, _ := run(t, "", "admin", "account", "list", "--data-dir", dir); strings.Contains(list, "424242424242") {
		t.Errorf("admin export created the account:\n%s", list)
	}
	if out, _, err := run(t, "", "admin", "export", "--data-dir", dir); err != nil || !strings.Contains(out, "UserDetailList") {
		t.Errorf("admin export of the default account = %v", err)
	}

	credsPath := filepath.Join(dir, "credentials")
	before, _ := os.ReadFile(credsPath)
	msg, code = runErr(t, "serve", "--addr", "127.0.0.1:0", "--data-dir", dir, "--account-id", "111122223333")
	if code == 0 || !strings.Contains(msg, "already has the default account "+account) || !strings.Contains(msg, "--new-account") {
		t.Errorf("serve --account-id on another account's data directory = exit %d, %q", code, msg)
	}
	if after, _ := os.ReadFile(credsPath); !bytes.Equal(before, after) {
		t.Errorf("the refused serve rewrote the credentials file")
	}
	if list, _, _ := run(t, "", "admin", "account", "list", "--data-dir", dir); strings.Contains(list, "111122223333") {
		t.Errorf("the refused serve created the account:\n%s", list)
	}
	s := startServe(t, dir, nil, "--account-id", "111122223333", "--new-account")
	if !strings.Contains(s.out.String(), "default account 111122223333") {
		t.Errorf("serve --new-account banner:\n%s", s.out)
	}
	// The default account itself is always accepted.
	s.stop()
	startServe(t, dir, nil, "--account-id", account)
}

// TestServeBusyPort: a port in use fails before anything is created, and
// the message names --addr.
func TestServeBusyPort(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	dir := filepath.Join(t.TempDir(), "iamq-data")
	msg, code := runErr(t, "serve", "--addr", ln.Addr().String(), "--data-dir", dir)
	if code == 0 || !strings.Contains(msg, "--addr "+ln.Addr().String()) {
		t.Errorf("serve on a busy port = exit %d, %q", code, msg)
	}
	if _, err := os.Stat(dir); err == nil {
		t.Errorf("serve on a busy port created %s", dir)
	}
}

// readOnly makes path unwritable for this process, or skips the test: as
// root, with the immutable attribute.
func readOnly(t *testing.T, path string) {
	t.Helper()
	if os.Getuid() != 0 {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, fi.Mode().Perm()&0o555); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(path, fi.Mode().Perm()) })
		return
	}
	if out, err := exec.Command("chattr", "+i", path).CombinedOutput(); err != nil {
		t.Skipf("cannot make %s read-only as root: chattr: %v %s", path, err, out)
	}
	t.Cleanup(func() { exec.Command("chattr", "-i", path).Run() })
}

// TestServeReadOnly: serve refuses to start on a database or a data
// directory it cannot write, naming the path.
func TestServeReadOnly(t *testing.T) {
	t.Run("database", func(t *testing.T) {
		dir, _ := servedDir(t)
		db := filepath.Join(dir, "iamq.db")
		readOnly(t, db)
		msg, code := runErr(t, "serve", "--addr", "127.0.0.1:0", "--data-dir", dir)
		if code == 0 || !strings.Contains(msg, "the database "+db+" is read-only") {
			t.Errorf("serve on a read-only database = exit %d, %q", code, msg)
		}
	})
	t.Run("directory", func(t *testing.T) {
		dir, _ := servedDir(t)
		readOnly(t, dir)
		msg, code := runErr(t, "serve", "--addr", "127.0.0.1:0", "--data-dir", dir)
		if code == 0 || !strings.Contains(msg, "the data directory "+dir+" is not writable") {
			t.Errorf("serve on a read-only data directory = exit %d, %q", code, msg)
		}
	})
}

var (
	ephemeralDirRE = regexp.MustCompile(`everything is kept in (\S+), removed on exit`)
	ephemeralKeyRE = regexp.MustCompile(`AWS_ACCESS_KEY_ID=(\S+) AWS_SECRET_ACCESS_KEY=(\S+) `)
)

// TestServeEphemeral: --ephemeral keeps everything in a temporary directory
// removed on exit and prints the root's key.
func TestServeEphemeral(t *testing.T) {
	t.Chdir(t.TempDir()) // nothing may land in ./iamq-data
	s := startServe(t, "", nil, "--dev", "--ephemeral")
	out := s.out.String()
	dm, km := ephemeralDirRE.FindStringSubmatch(out), ephemeralKeyRE.FindStringSubmatch(out)
	if dm == nil || km == nil {
		t.Fatalf("ephemeral banner lacks the directory or the key:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(dm[1], "iamq.db")); err != nil {
		t.Errorf("the ephemeral database: %v", err)
	}
	res, err := callerIdentity(t, s.endpoint, km[1], km[2])
	if err != nil || aws.ToString(res.Arn) != "arn:aws:iam::123456789012:root" {
		t.Fatalf("GetCallerIdentity(printed key) = %v, %v", res, err)
	}
	if err := s.stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dm[1]); !os.IsNotExist(err) {
		t.Errorf("after exit, %s: %v; want it removed", dm[1], err)
	}
	if _, err := os.Stat("iamq-data"); err == nil {
		t.Error("--ephemeral created ./iamq-data")
	}
	msg, code := runErr(t, "serve", "--ephemeral", "--data-dir", "x")
	if code != 2 || !strings.Contains(msg, "--ephemeral keeps its data in a temporary directory") {
		t.Errorf("serve --ephemeral --data-dir = exit %d, %q", code, msg)
	}
}
