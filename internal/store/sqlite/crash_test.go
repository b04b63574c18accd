package sqlite_test

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/internal/store/sqlite"
)

// crashEnv names the database file a re-executed test binary writes to.
const crashEnv = "IAMQ_STORE_CRASH_CHILD"

// crashAccount is the account the crash child writes in.
const crashAccount = "123456789012"

// TestCrashRecovery re-executes the test binary as a child that writes
// changes in a loop and prints each one after its commit returns, kills it
// with SIGKILL at a random moment, 20 times, and checks after each restart
// that every acknowledged change is there and the database is sound.
func TestCrashRecovery(t *testing.T) {
	if path := os.Getenv(crashEnv); path != "" {
		crashChild(path)
		return
	}
	if testing.Short() {
		t.Skip("-short")
	}
	path := filepath.Join(t.TempDir(), "crash.db")
	acked := map[string]bool{}
	for round := range 20 {
		for _, name := range runAndKill(t, path, time.Duration(rand.IntN(100))*time.Millisecond) {
			acked[name] = true
		}
		s, err := sqlite.Open(context.Background(), path, store.Options{Key: testKey})
		if err != nil {
			t.Fatalf("round %d: reopen: %v", round, err)
		}
		if err := s.IntegrityCheck(context.Background()); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		err = s.View(context.Background(), crashAccount, func(tx store.Tx) error {
			for name := range acked {
				if _, err := tx.User(name); err != nil {
					return fmt.Errorf("acknowledged user %s: %w", name, err)
				}
				p, err := tx.AttachedPolicies(store.EntityRef{Kind: store.KindUser, Name: name}, store.ListOptions{})
				if err != nil || len(p.Items) != 1 {
					return fmt.Errorf("acknowledged attachment of %s: %d, %v", name, len(p.Items), err)
				}
			}
			return nil
		})
		s.Close()
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
	}
	if len(acked) < 20 {
		t.Fatalf("only %d changes were acknowledged in 20 rounds; the child hardly ran", len(acked))
	}
	t.Logf("%d acknowledged changes survived 20 kills", len(acked))
}

// runAndKill starts the child, kills it d after its first acknowledgement
// (so that the kill lands while it writes, not while it starts), and returns
// the names it acknowledged.
func runAndKill(t *testing.T, path string, d time.Duration) []string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashRecovery$")
	cmd.Env = append(os.Environ(), crashEnv+"="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	first := make(chan struct{})
	names := make(chan []string)
	go func() {
		var got []string
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if name, ok := strings.CutPrefix(sc.Text(), "ack "); ok {
				if got = append(got, name); len(got) == 1 {
					close(first)
				}
			}
		}
		names <- got
	}()
	select {
	case <-first:
	case <-time.After(30 * time.Second):
		t.Error("the child acknowledged nothing within 30s")
	}
	time.Sleep(d)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	got := <-names
	cmd.Wait()
	return got
}

// crashChild writes forever: a user and an attachment per transaction,
// acknowledged on stdout after the commit returns.
func crashChild(path string) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, path, store.Options{Key: testKey})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if _, err := s.Account(ctx, crashAccount); err != nil {
		if _, err := s.CreateAccount(ctx, store.Account{ID: crashAccount}); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
	}
	prefix := fmt.Sprintf("u%d-", time.Now().UnixNano())
	for i := 0; ; i++ {
		name := fmt.Sprintf("%s%d", prefix, i)
		err := s.Update(ctx, crashAccount, func(tx store.Tx) error {
			if _, err := tx.CreateUser(store.User{Name: name}); err != nil {
				return err
			}
			return tx.AttachPolicy(store.EntityRef{Kind: store.KindUser, Name: name}, "arn:aws:iam::aws:policy/ReadOnlyAccess")
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		fmt.Println("ack " + name) // os.Stdout is unbuffered: the parent sees it at once
	}
}
