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
	"testing"
	"time"

	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/managed"
	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/internal/store/sqlite"
)

// The account of the identity benchmarks: IAM's quota of users, and a tenth
// of that in roles, each user in a group.
const (
	benchUsers  = 5000
	benchRoles  = 500
	benchGroups = 50
)

// BenchmarkIdentitiesHTTP measures identity operations through HTTP on
// loopback (signed and verified requests, the SQLite store, XML) over an
// account of 5,000 users, 50 groups and 500 roles. It reports the p50 and
// p99 latency per call as the client sees it, and the CPU time per call of
// client and server together.
//
//	go test ./internal/server -run '^$' -bench IdentitiesHTTP -benchtime 500x
func BenchmarkIdentitiesHTTP(b *testing.B) {
	srv, keyID, secret := newIdentityBench(b)
	scenarios := []struct{ name, body string }{
		{"ListUsers/first-page", "Action=ListUsers&Version=2010-05-08&MaxItems=100"},
		{"ListUsers/path-prefix", "Action=ListUsers&Version=2010-05-08&MaxItems=100&PathPrefix=/team-07/"},
		{"GetUser", "Action=GetUser&Version=2010-05-08&UserName=user-02500"},
		{"GetRole", "Action=GetRole&Version=2010-05-08&RoleName=role-0250"},
		{"ListGroupsForUser", "Action=ListGroupsForUser&Version=2010-05-08&UserName=user-02500"},
		{"GetAccountAuthorizationDetails/page-of-100", "Action=GetAccountAuthorizationDetails&Version=2010-05-08&MaxItems=100"},
	}
	for _, sc := range scenarios {
		b.Run(sc.name, func(b *testing.B) { benchCall(b, srv, keyID, secret, sc.body) })
	}
}

// benchCall sends one signed request b.N times and reports its latency.
func benchCall(b *testing.B, srv *httptest.Server, keyID, secret, body string) {
	r, err := http.NewRequest(http.MethodPost, srv.URL+"/", strings.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	signIn(&testing.T{}, r, []byte(body), keyID, secret, "us-east-1", "iam", time.Now())
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
		if resp.StatusCode != http.StatusOK || !bytes.Contains(out, []byte("Result>")) {
			b.Fatalf("status %d: %.300s", resp.StatusCode, out)
		}
	}
	b.ReportMetric(float64((processCPU()-cpu0).Microseconds())/1000/float64(len(lat)), "cpu-ms/op")
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}

// newIdentityBench starts an endpoint over a SQLite store holding the
// benchmark's account and a root access key, returned for signing.
func newIdentityBench(b *testing.B) (srv *httptest.Server, keyID, secret string) {
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
		for i := range benchGroups {
			if _, err := tx.CreateGroup(store.Group{Name: fmt.Sprintf("group-%02d", i)}); err != nil {
				return err
			}
		}
		for i := range benchUsers {
			name := fmt.Sprintf("user-%05d", i)
			if _, err := tx.CreateUser(store.User{Name: name, Path: fmt.Sprintf("/team-%02d/", i%benchGroups)}); err != nil {
				return err
			}
			if err := tx.AddUserToGroup(fmt.Sprintf("group-%02d", i%benchGroups), name); err != nil {
				return err
			}
		}
		for i := range benchRoles {
			if _, err := tx.CreateRole(store.Role{Name: fmt.Sprintf("role-%04d", i), AssumeRolePolicy: idTrust}); err != nil {
				return err
			}
		}
		key, err = tx.CreateAccessKey(store.AccessKey{Owner: store.EntityRef{Kind: store.KindAccount}, Status: store.KeyActive})
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	srv = httptest.NewServer(New(Options{Store: st, IAM: iam.New(st, managed.Builtin(), iam.Options{})}))
	b.Cleanup(srv.Close)
	return srv, key.ID, key.Secret
}
