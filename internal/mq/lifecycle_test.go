package mq

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/iamq/iamq/internal/authz"
	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/managed"
	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/internal/store/sqlite"
)

// testClock is the injected clock.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// newTestService is the service over a fresh SQLite store with one
// account, on a clock that starts at noon, with one-minute steps.
func newTestService(t *testing.T) (*Service, *testClock) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "iamq.db"), store.Options{Key: bytes.Repeat([]byte{1}, 32)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := iam.EnsureAccount(ctx, st, "123456789012", "test"); err != nil {
		t.Fatal(err)
	}
	svc := iam.New(st, managed.Builtin(), iam.Options{})
	t.Cleanup(svc.Wait)
	clk := &testClock{t: time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)}
	az := authz.New(st, svc.AWSPolicies(), authz.Options{})
	return New(st, svc, az, Options{Now: clk.now, CreateDelay: time.Minute, RebootDelay: time.Minute, DeleteDelay: time.Minute}), clk
}

func activeMQInput(name string) *CreateBrokerInput {
	f := false
	return &CreateBrokerInput{BrokerName: name, DeploymentMode: SingleInstance, EngineType: ActiveMQ, HostInstanceType: "mq.t3.micro",
		PubliclyAccessible: &f, Users: []UserInput{{Username: "admin", Password: "correct-horse-1"}}}
}

// TestLifeCycle walks the states on the clock, with the instants at the
// edges: a state lasts exactly its delay.
func TestLifeCycle(t *testing.T) {
	s, clk := newTestService(t)
	ctx := context.Background()
	_, id, err := s.CreateBroker(ctx, testCaller, activeMQInput("one"))
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name string
		do   func() error
		wait time.Duration
		want State
	}{
		{"just created", nil, 0, StateCreating},
		{"a moment before the delay", nil, time.Minute - time.Nanosecond, StateCreating},
		{"at the delay", nil, time.Nanosecond, StateRunning},
		{"reboot", func() error { return s.RebootBroker(ctx, testCaller, id) }, 0, StateRebooting},
		{"rebooted", nil, time.Minute, StateRunning},
		{"update", func() error {
			_, err := s.UpdateBroker(ctx, testCaller, id, &UpdateBrokerInput{HostInstanceType: "mq.m5.large"})
			return err
		}, 0, StateRunning},
		{"delete", func() error { return s.DeleteBroker(ctx, testCaller, id) }, 0, StateDeleting},
	}
	for _, st := range steps {
		if st.do != nil {
			if err := st.do(); err != nil {
				t.Fatalf("%s: %v", st.name, err)
			}
		}
		clk.add(st.wait)
		b, err := s.DescribeBroker(ctx, testCaller, id)
		if err != nil || b.BrokerState != st.want {
			t.Fatalf("%s: DescribeBroker = %v, %v; want %s", st.name, b, err, st.want)
		}
	}
	if err := s.DeleteBroker(ctx, testCaller, id); !errors.Is(err, ErrBadRequest) {
		t.Errorf("DeleteBroker(while deleting) = %v, want ErrBadRequest", err)
	}
	clk.add(time.Minute)
	if _, err := s.DescribeBroker(ctx, testCaller, id); !errors.Is(err, ErrNotFound) {
		t.Errorf("DescribeBroker(deleted) = %v, want ErrNotFound", err)
	}
}

// TestPendingApplyOnlyAfterTheReboot: an update waits for a reboot that
// begins at or after it, and applies when that reboot ends.
func TestPendingApplyOnlyAfterTheReboot(t *testing.T) {
	s, clk := newTestService(t)
	ctx := context.Background()
	_, id, err := s.CreateBroker(ctx, testCaller, activeMQInput("two"))
	if err != nil {
		t.Fatal(err)
	}
	clk.add(time.Minute)
	if err := s.RebootBroker(ctx, testCaller, id); err != nil {
		t.Fatal(err)
	}
	clk.add(time.Minute)
	// A user made after that reboot is still pending.
	if err := s.CreateUser(ctx, testCaller, id, &UserInput{Username: "late", Password: "correct-horse-1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateBroker(ctx, testCaller, id, &UpdateBrokerInput{EngineVersion: "5.17.6"}); err != nil {
		t.Fatal(err)
	}
	b, _ := s.DescribeBroker(ctx, testCaller, id)
	if b.EngineVersion != "5.18" || b.PendingEngineVersion != "5.17.6" || len(b.Users) != 2 || b.Users[1].PendingChange != ChangeCreate {
		t.Fatalf("before the reboot: version %s pending %s users %+v", b.EngineVersion, b.PendingEngineVersion, b.Users)
	}
	if err := s.RebootBroker(ctx, testCaller, id); err != nil {
		t.Fatal(err)
	}
	b, _ = s.DescribeBroker(ctx, testCaller, id)
	if b.EngineVersion != "5.18" || b.BrokerState != StateRebooting {
		t.Errorf("during the reboot: version %s state %s", b.EngineVersion, b.BrokerState)
	}
	clk.add(time.Minute)
	b, _ = s.DescribeBroker(ctx, testCaller, id)
	if b.EngineVersion != "5.17.6" || b.PendingEngineVersion != "" || b.Users[1].PendingChange != "" {
		t.Errorf("after the reboot: version %s pending %s users %+v", b.EngineVersion, b.PendingEngineVersion, b.Users)
	}
}

// TestRoleInUse lists the brokers by region.
func TestRoleInUse(t *testing.T) {
	s, _ := newTestService(t)
	ctx := context.Background()
	west := &Caller{Principal: testCaller.Principal, Info: authz.RequestInfo{Region: "eu-west-1"}}
	for i, c := range []*Caller{testCaller, west, testCaller} {
		if _, _, err := s.CreateBroker(ctx, c, activeMQInput(fmt.Sprintf("b%d", i))); err != nil {
			t.Fatal(err)
		}
	}
	usage, err := s.RoleInUse(ctx, "123456789012", store.Role{})
	if err != nil || len(usage) != 2 || usage[0].Region != "eu-west-1" || len(usage[0].Resources) != 1 || len(usage[1].Resources) != 2 {
		t.Errorf("RoleInUse = %+v, %v; want 1 broker in eu-west-1 and 2 in us-east-1", usage, err)
	}
}
