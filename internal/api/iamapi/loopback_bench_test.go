package iamapi

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/managed"
	"github.com/iamq/iamq/internal/server"
	"github.com/iamq/iamq/internal/server/servertest"
	"github.com/iamq/iamq/internal/store"
)

// The HTTP benchmarks share one harness: an endpoint on loopback over a
// SQLite store (newBenchServer), requests signed once with the account's
// root key (signedBenchRequest), and one way to time and report a call
// (benchCall).

// newBenchServer starts an endpoint over a SQLite store holding one account,
// filled by fill, and a root access key, returned for signing.
func newBenchServer(b *testing.B, fill func(tx store.Tx) error) (srv *servertest.Server, keyID, secret string) {
	b.Helper()
	ctx := context.Background()
	st := servertest.OpenSQLite(b, store.Options{Key: bytes.Repeat([]byte{7}, 32)})
	if _, err := st.CreateAccount(ctx, store.Account{ID: idAccount}); err != nil {
		b.Fatal(err)
	}
	var key store.AccessKey
	err := st.Update(ctx, idAccount, func(tx store.Tx) error {
		if err := fill(tx); err != nil {
			return err
		}
		var err error
		key, err = tx.CreateAccessKey(store.AccessKey{Owner: store.EntityRef{Kind: store.KindAccount}, Status: store.KeyActive})
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	srv = servertest.Start(newServer(st, server.Options{}, iam.New(st, managed.Builtin(), iam.Options{}), nil))
	b.Cleanup(srv.Close)
	return srv, key.ID, key.Secret
}

// signedBenchRequest returns a Query API request of body to srv, signed now
// with keyID and secret. Its Body must be reset before each send.
func signedBenchRequest(b *testing.B, srv *servertest.Server, keyID, secret, body string) *http.Request {
	b.Helper()
	r, err := http.NewRequest(http.MethodPost, srv.URL+"/", strings.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	servertest.Sign(&testing.T{}, r, []byte(body), keyID, secret, "us-east-1", "iam", time.Now())
	return r
}

// benchCall sends one signed request b.N times, fails unless every answer
// is 200 and contains want, and reports its p50 and p99 latency and the CPU
// time per call.
func benchCall(b *testing.B, srv *servertest.Server, keyID, secret, body, want string) {
	r := signedBenchRequest(b, srv, keyID, secret, body)
	client := srv.Client()
	lat := make([]time.Duration, 0, b.N)
	cpu0 := processCPU()
	b.ReportAllocs()
	for b.Loop() {
		r.Body = io.NopCloser(strings.NewReader(body))
		began := time.Now()
		resp, err := client.Do(r)
		if err != nil {
			b.Fatal(err)
		}
		out, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		lat = append(lat, time.Since(began))
		if resp.StatusCode != http.StatusOK || !bytes.Contains(out, []byte(want)) {
			b.Fatalf("status %d: %.300s", resp.StatusCode, out)
		}
	}
	// CPU time per call (client and server, one process) does not grow
	// with the machine's other load as wall time does.
	b.ReportMetric(float64((processCPU()-cpu0).Microseconds())/1000/float64(len(lat)), "cpu-ms/op")
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}

// processCPU returns the user and system CPU time the process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
