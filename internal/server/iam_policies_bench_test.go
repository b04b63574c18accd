package server

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/managed"
	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/internal/store/sqlite"
)

// benchPolicies is the account size of the ListPolicies benchmark: IAM's
// default quota of customer managed policies per account.
const benchPolicies = 1500

// BenchmarkListPoliciesHTTP measures ListPolicies through HTTP on loopback
// (a signed request, verified; the SQLite store; XML), over an account with
// 1,500 customer managed policies, a page of 100. It reports the p50 and
// p99 latency of one call as seen by the client, and the CPU time per call
// of client and server together.
//
//	go test ./internal/server -run '^$' -bench ListPoliciesHTTP -benchtime 2000x
func BenchmarkListPoliciesHTTP(b *testing.B) {
	srv, keyID, secret := newPolicyBench(b)
	scenarios := []struct{ name, body string }{
		{"Local/first-page", "Action=ListPolicies&Version=2010-05-08&Scope=Local&MaxItems=100"},
		{"Local/page-8", "Action=ListPolicies&Version=2010-05-08&Scope=Local&MaxItems=100&Marker=" + localMarkerAfter(b, srv, keyID, secret, 700)},
		{"Local/only-attached", "Action=ListPolicies&Version=2010-05-08&Scope=Local&MaxItems=100&OnlyAttached=true"},
		{"All/first-page", "Action=ListPolicies&Version=2010-05-08&MaxItems=100"},
	}
	for _, sc := range scenarios {
		b.Run(sc.name, func(b *testing.B) {
			t := &testing.T{}
			r, err := http.NewRequest(http.MethodPost, srv.URL+"/", strings.NewReader(sc.body))
			if err != nil {
				b.Fatal(err)
			}
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
			signIn(t, r, []byte(sc.body), keyID, secret, "us-east-1", "iam", time.Now())
			body := []byte(sc.body)
			client := srv.Client()
			lat := make([]time.Duration, 0, b.N)
			cpu0 := processCPU()
			b.ReportAllocs()
			for b.Loop() {
				r.Body = io.NopCloser(bytes.NewReader(body))
				began := time.Now()
				resp, err := client.Do(r)
				if err != nil {
					b.Fatal(err)
				}
				out, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				lat = append(lat, time.Since(began))
				if resp.StatusCode != http.StatusOK || !bytes.Contains(out, []byte("<member>")) {
					b.Fatalf("status %d: %.300s", resp.StatusCode, out)
				}
			}
			// CPU time per call (client and server, one process) does not
			// grow with the machine's other load as wall time does.
			b.ReportMetric(float64((processCPU()-cpu0).Microseconds())/1000/float64(len(lat)), "cpu-ms/op")
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}

// newPolicyBench starts an endpoint over a SQLite store whose account holds
// 1,500 customer managed policies (one in ten attached to a user) and a root
// access key, returned for signing.
func newPolicyBench(b *testing.B) (srv *httptest.Server, keyID, secret string) {
	b.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "iamq.db"), store.Options{Key: bytes.Repeat([]byte{7}, 32)})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	if _, err := st.CreateAccount(ctx, store.Account{ID: idAccount}); err != nil {
		b.Fatal(err)
	}
	var key store.AccessKey
	err = st.Update(ctx, idAccount, func(tx store.Tx) error {
		for i := range benchPolicies {
			p, err := tx.CreatePolicy(store.Policy{Name: fmt.Sprintf("policy-%04d", i), Path: "/bench/"}, polDocSDK)
			if err != nil {
				return err
			}
			if i%10 == 0 {
				name := fmt.Sprintf("user-%04d", i)
				if _, err := tx.CreateUser(store.User{Name: name}); err != nil {
					return err
				}
				if err := tx.AttachPolicy(store.EntityRef{Kind: store.KindUser, Name: name}, store.PolicyARN(idAccount, p.Path, p.Name)); err != nil {
					return err
				}
			}
		}
		key, err = tx.CreateAccessKey(store.AccessKey{Owner: store.EntityRef{Kind: store.KindAccount}, Status: store.KeyActive})
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	s := New(Options{Store: st, IAM: iam.New(st, managed.Builtin(), iam.Options{})})
	srv = httptest.NewServer(s)
	b.Cleanup(srv.Close)
	return srv, key.ID, key.Secret
}

// localMarkerAfter returns the marker that resumes Scope=Local after n
// policies, by asking the endpoint for one page of n.
func localMarkerAfter(b *testing.B, srv *httptest.Server, keyID, secret string, n int) string {
	b.Helper()
	body := fmt.Sprintf("Action=ListPolicies&Version=2010-05-08&Scope=Local&MaxItems=%d", n)
	r, err := http.NewRequest(http.MethodPost, srv.URL+"/", strings.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	signIn(&testing.T{}, r, []byte(body), keyID, secret, "us-east-1", "iam", time.Now())
	r.Body = io.NopCloser(strings.NewReader(body))
	resp, err := srv.Client().Do(r)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	_, rest, ok := bytes.Cut(out, []byte("<Marker>"))
	marker, _, ok2 := bytes.Cut(rest, []byte("</Marker>"))
	if !ok || !ok2 {
		b.Fatalf("no marker in %.300s", out)
	}
	return string(marker)
}

// processCPU returns the user and system CPU time the process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
