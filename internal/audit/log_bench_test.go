package audit_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/iamq/iamq/internal/audit"
	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/internal/store/sqlite"
)

// BenchmarkEncode is the writer's work per record before the store: the
// parameters without secrets, the JSON, the row.
func BenchmarkEncode(b *testing.B) {
	now := time.Now()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, _, err := audit.Encode(realistic(i, now)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAppend is the store's work per record, in batches of 512.
func BenchmarkAppend(b *testing.B) {
	st := openStore(b)
	now := time.Now()
	rows := make([]store.AuditRecord, 512)
	for i := range rows {
		rows[i], _, _ = audit.Encode(realistic(i, now.Add(time.Duration(i)*time.Microsecond)))
	}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		for i := range rows {
			rows[i].ID = fmt.Sprint(n)
			n++
		}
		if err := st.AppendAudit(context.Background(), rows); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/record")
	b.ReportMetric(float64(len(rows[0].Event)), "event-bytes")
}

// realistic is the record of scripts/bench/audit.sh's call: an IAM user's
// GetUser, signed by an SDK, allowed by the user's inline policy.
func realistic(i int, at time.Time) *audit.Record {
	const acct, user = "123456789012", "arn:aws:iam::123456789012:user/bench"
	return &audit.Record{EventTime: at, EventSource: "iam.amazonaws.com", EventName: "GetUser", AWSRegion: "us-east-1",
		SourceIPAddress: "127.0.0.1", UserAgent: "aws-sdk-go-v2/1.36.3 ua/2.1 os/linux lang/go#1.25 md/GOOS#linux md/GOARCH#amd64 api/iam#1.41.1 m/E",
		RequestID: fmt.Sprintf("2c5e8b4e-6b0f-4f3e-9d7a-%012d", i), ReadOnly: true, RecipientAccountID: acct,
		UserIdentity: audit.UserIdentity{Type: audit.IdentityIAMUser, PrincipalID: "AIDAQ3EGRQ4EXAMPLE01", ARN: user, AccountID: acct,
			AccessKeyID: "AKIAQ3EGRQ4EXAMPLE01", UserName: "bench"},
		Input: []byte("Action=GetUser&Version=2010-05-08&UserName=bench"), InputForm: true,
		Authorization: &audit.Authorization{Decision: audit.Allow, Enforced: true, Action: "iam:GetUser", Resource: user,
			Statements: []audit.Statement{{PolicyType: "identity", Policy: "user/bench/p", Sid: "Allow", Index: 0}}}}
}

// BenchmarkWriter is the decision log's whole cost per call but the
// record's making: Record hands the realistic record over, the writer
// encodes it and writes it to SQLite in batches (as 'iamq serve' has it);
// Flush at the end waits for the last batch. cpu-ns/op is the process's CPU
// time per record (getrusage: writer, SQLite and garbage collector
// included), which the machine's other load inflates far less than ns/op.
func BenchmarkWriter(b *testing.B) {
	dir := b.TempDir()
	st, err := sqlite.Open(context.Background(), filepath.Join(dir, "iamq.db"), store.Options{Key: make([]byte, 32)})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	before := dirSize(b, dir)
	lg := audit.New(audit.Options{Store: st})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { lg.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	now := time.Now()
	proto := realistic(0, now)
	requestIDs := make([]string, 4096)
	for i := range requestIDs {
		requestIDs[i] = fmt.Sprintf("2c5e8b4e-6b0f-4f3e-9d7a-%012d", i)
	}
	b.ReportAllocs()
	cpu := processCPU()
	for i := 0; b.Loop(); i++ {
		r := new(audit.Record) // as the server's, part of a call it allocates anyway
		*r = *proto
		r.EventTime = now.Add(time.Duration(i) * time.Microsecond)
		r.RequestID = requestIDs[i%len(requestIDs)]
		// A new request's input, as the server hands it over.
		r.Input = append([]byte(nil), proto.Input...)
		lg.Record(r)
	}
	if err := lg.Flush(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64((processCPU()-cpu).Nanoseconds())/float64(b.N), "cpu-ns/op")
	if lg.Dropped() > 0 {
		b.Fatalf("%d records dropped", lg.Dropped())
	}
	// What the records take in the database and its WAL.
	b.ReportMetric(float64(dirSize(b, dir)-before)/float64(b.N), "disk-B/op")
}

// dirSize is the size of dir's files.
func dirSize(b *testing.B, dir string) int64 {
	entries, err := os.ReadDir(dir)
	if err != nil {
		b.Fatal(err)
	}
	var n int64
	for _, e := range entries {
		if info, err := e.Info(); err == nil {
			n += info.Size()
		}
	}
	return n
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
