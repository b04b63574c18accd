package audit_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/iamq/iamq/internal/audit"
	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/internal/store/sqlite"
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

// lockedBuffer is a stream the test reads after the log stops.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func record(i int, at time.Time) *audit.Record {
	return &audit.Record{EventTime: at, EventSource: "iam.amazonaws.com", EventName: "CreateUser", AWSRegion: "us-east-1",
		RequestID: fmt.Sprintf("req-%d", i), EventID: fmt.Sprintf("ev-%05d", i),
		UserIdentity: audit.UserIdentity{Type: audit.IdentityIAMUser, ARN: "arn:aws:iam::111122223333:user/dev/alice", AccountID: "111122223333"},
		Input:        []byte("Action=CreateUser&UserName=u" + fmt.Sprint(i) + "&Password=hunter2"), InputForm: true,
		Authorization: &audit.Authorization{Decision: audit.Allow, Enforced: true, Action: "iam:CreateUser",
			Resource: "arn:aws:iam::111122223333:user/u"}}
}

// TestShutdownFlushes hands the log records from many goroutines, with a
// batch interval far longer than the test, and stops it: every record is
// in the store and in the stream, once, without its secret.
func TestShutdownFlushes(t *testing.T) {
	st := openStore(t)
	var stream lockedBuffer
	now := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	l := audit.New(audit.Options{Store: st, Stream: &stream, Interval: time.Hour, Batch: 100, Buffer: 64, Now: func() time.Time { return now }, Logger: slog.New(slog.NewTextHandler(t.Output(), nil))})
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { l.Run(ctx); close(done) }()
	const n = 1000
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := g; i < n; i += 8 {
				l.Record(record(i, now.Add(time.Duration(i)*time.Millisecond)))
			}
		}()
	}
	wg.Wait()
	stop()
	<-done
	if l.Written() != n || l.Dropped() != 0 {
		t.Errorf("Written, Dropped = %d, %d, want %d, 0", l.Written(), l.Dropped(), n)
	}
	got, err := st.AuditRecords(context.Background(), store.AuditQuery{Limit: store.MaxAuditLimit})
	if err != nil || len(got) != n {
		t.Fatalf("AuditRecords = %d records, %v, want %d", len(got), err, n)
	}
	r := got[0]
	if r.Entity != "arn:aws:iam::111122223333:user/alice" || r.Action != "iam:CreateUser" || r.Decision != string(audit.OutcomeAllow) || r.Service != "iam" {
		t.Errorf("stored record = %+v", r)
	}
	lines := 0
	sc := bufio.NewScanner(&stream.b)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var rec map[string]any
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("stream line %d is not JSON: %v", lines, err)
		}
		lines++
	}
	if lines != n {
		t.Errorf("stream has %d lines, want %d", lines, n)
	}
	if bytes.Contains(stream.b.Bytes(), []byte("hunter2")) {
		t.Errorf("the stream holds a password")
	}
	l.Record(record(n, now))
	if l.Dropped() != 1 {
		t.Errorf("a record after Run returned: Dropped = %d, want 1", l.Dropped())
	}
}

// TestRetention prunes the records older than the retention when Run
// starts.
func TestRetention(t *testing.T) {
	st := openStore(t)
	now := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	ctx := context.Background()
	for i, age := range []time.Duration{48 * time.Hour, 25 * time.Hour, time.Hour} {
		row, _, err := audit.Encode(record(i, now.Add(-age)))
		if err != nil {
			t.Fatal(err)
		}
		if err := st.AppendAudit(ctx, []store.AuditRecord{row}); err != nil {
			t.Fatal(err)
		}
	}
	l := audit.New(audit.Options{Store: st, Retention: 24 * time.Hour, Now: func() time.Time { return now }})
	rctx, stop := context.WithCancel(ctx)
	stop()
	l.Run(rctx)
	got, _ := st.AuditRecords(ctx, store.AuditQuery{})
	var ids []string
	for _, r := range got {
		ids = append(ids, r.ID)
	}
	if len(got) != 1 || got[0].ID != "ev-00002" {
		t.Errorf("after retention of a day: %v, want only ev-00002", ids)
	}
}

func TestEntity(t *testing.T) {
	for in, want := range map[string]string{
		"arn:aws:iam::111122223333:user/dev/alice":           "arn:aws:iam::111122223333:user/alice",
		"arn:aws:iam::111122223333:user/alice":               "arn:aws:iam::111122223333:user/alice",
		"arn:aws:sts::111122223333:assumed-role/app/session": "arn:aws:iam::111122223333:role/app",
		"arn:aws:iam::111122223333:role/service-role/app":    "arn:aws:iam::111122223333:role/app",
		"arn:aws:iam::111122223333:root":                     "arn:aws:iam::111122223333:root",
		"":                                                   "",
	} {
		if got := audit.Entity(in); got != want {
			t.Errorf("Entity(%s) = %s, want %s", in, got, want)
		}
	}
}
