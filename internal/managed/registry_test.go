package managed

import (
	"context"
	"errors"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/internal/store/sqlite"
)

const (
	mqReadOnly = "arn:aws:iam::aws:policy/AmazonMQReadOnlyAccess"
	// describeOnly is a new version of AmazonMQReadOnlyAccess for the tests.
	describeOnly = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"mq:DescribeBroker","Resource":"*"}]}`
)

func openStore(t testing.TB) store.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "iamq.db"), store.Options{Key: make([]byte, 32)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestRegistryPublish(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	reg := NewRegistry(Builtin(), st, RegistryOptions{})
	var changes atomic.Int32
	reg.OnChange(func() { changes.Add(1) })

	if v, _, err := reg.DefaultVersion(ctx, mqReadOnly); err != nil || v != "v2" {
		t.Fatalf("DefaultVersion before publishing = %s, %v; want v2", v, err)
	}
	v3, err := reg.Publish(ctx, mqReadOnly, describeOnly, true)
	if err != nil || v3.ID != "v3" || !v3.Published() {
		t.Fatalf("Publish = %+v, %v; want published v3", v3, err)
	}
	if changes.Load() == 0 {
		t.Error("Publish told no OnChange listener")
	}
	v, doc, err := reg.DefaultVersion(ctx, mqReadOnly)
	if err != nil || v != "v3" || doc != describeOnly {
		t.Fatalf("DefaultVersion after publishing = %s, %q, %v; want v3 and the published document", v, doc, err)
	}
	if _, err := reg.Publish(ctx, mqReadOnly, describeOnly, false); err != nil {
		t.Fatal(err)
	}
	p, ok := reg.Lookup(mqReadOnly)
	if !ok {
		t.Fatal("Lookup after publishing: not found")
	}
	if p.DefaultVersion != "v3" || p.VersionCount != 4 || len(p.Versions) != 4 || !p.UpdateDate.Equal(v3.CreateDate) {
		t.Fatalf("Lookup = default %s, count %d, %d versions, updated %v; want v3, 4, 4, %v",
			p.DefaultVersion, p.VersionCount, len(p.Versions), p.UpdateDate, v3.CreateDate)
	}
	if doc, err := reg.Document(p, "v1"); err != nil || doc == describeOnly {
		t.Errorf("Document(v1) = %.40q, %v; want the embedded v1", doc, err)
	}
	// The library itself is unchanged: the registry lays a copy over it.
	if lp, _ := reg.lib.Lookup(mqReadOnly); lp.DefaultVersion != "v2" || len(lp.Versions) != 2 {
		t.Errorf("library policy changed: default %s, %d versions", lp.DefaultVersion, len(lp.Versions))
	}
	all, err := reg.Policies()
	if err != nil || len(all) != 1594 {
		t.Fatalf("Policies() = %d, %v; want 1594", len(all), err)
	}
	for _, q := range all {
		if q.ARN() == mqReadOnly && q != p {
			t.Error("Policies() lists the library's policy, not the published one")
		}
	}
}

func TestRegistryPublishRefusals(t *testing.T) {
	reg := NewRegistry(Builtin(), openStore(t), RegistryOptions{})
	tests := []struct {
		name, arn, doc string
		want           error
	}{
		{"unknown policy", "arn:aws:iam::aws:policy/NoSuchPolicy", describeOnly, store.ErrNotFound},
		{"not JSON", mqReadOnly, "{", ErrInvalidDocument},
		{"no actions", mqReadOnly, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Resource":"*"}]}`, ErrInvalidDocument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := reg.Publish(context.Background(), tt.arn, tt.doc, true); !errors.Is(err, tt.want) {
				t.Fatalf("Publish = %v, want %v", err, tt.want)
			}
			if v, _, _ := reg.DefaultVersion(context.Background(), mqReadOnly); v != "v2" {
				t.Fatalf("after a refused publish the default is %s, want v2", v)
			}
		})
	}
}

// TestRegistryFollowsOtherNodes: a registry started on the same store (as a
// second node would be) takes in what another published, and says so.
func TestRegistryFollowsOtherNodes(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st := openStore(t)
	lib := Builtin()
	publisher := NewRegistry(lib, st, RegistryOptions{})
	follower := NewRegistry(lib, st, RegistryOptions{})
	told := make(chan struct{}, 10)
	follower.OnChange(func() { told <- struct{}{} })
	if err := follower.Start(ctx); err != nil {
		t.Fatal(err)
	}
	// The node's one follower of the change sequence keeps it in step.
	changes := store.NewFollower(st)
	changes.Subscribe(follower.Apply)
	if err := changes.Start(ctx, nil); err != nil {
		t.Fatal(err)
	}
	<-told // Start's own load
	if _, err := publisher.Publish(ctx, mqReadOnly, describeOnly, true); err != nil {
		t.Fatal(err)
	}
	select {
	case <-told:
	case <-time.After(5 * time.Second):
		t.Fatal("the follower did not take in the published version within 5 s")
	}
	if v, doc, err := follower.DefaultVersion(ctx, mqReadOnly); err != nil || v != "v3" || doc != describeOnly {
		t.Fatalf("follower DefaultVersion = %s, %v; want v3", v, err)
	}
}
