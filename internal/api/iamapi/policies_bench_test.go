package iamapi

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/iamq/iamq/internal/server/servertest"
	"github.com/iamq/iamq/internal/store"
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
	srv, keyID, secret := newBenchServer(b, fillPolicyBench)
	scenarios := []struct{ name, body string }{
		{"Local/first-page", "Action=ListPolicies&Version=2010-05-08&Scope=Local&MaxItems=100"},
		{"Local/page-8", "Action=ListPolicies&Version=2010-05-08&Scope=Local&MaxItems=100&Marker=" + localMarkerAfter(b, srv, keyID, secret, 700)},
		{"Local/only-attached", "Action=ListPolicies&Version=2010-05-08&Scope=Local&MaxItems=100&OnlyAttached=true"},
		{"All/first-page", "Action=ListPolicies&Version=2010-05-08&MaxItems=100"},
	}
	for _, sc := range scenarios {
		b.Run(sc.name, func(b *testing.B) { benchCall(b, srv, keyID, secret, sc.body, "<member>") })
	}
}

// fillPolicyBench fills the benchmark's account with 1,500 customer managed
// policies, one in ten attached to a user of its own.
func fillPolicyBench(tx store.Tx) error {
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
	return nil
}

// localMarkerAfter returns the marker that resumes Scope=Local after n
// policies, by asking the endpoint for one page of n.
func localMarkerAfter(b *testing.B, srv *servertest.Server, keyID, secret string, n int) string {
	b.Helper()
	body := fmt.Sprintf("Action=ListPolicies&Version=2010-05-08&Scope=Local&MaxItems=%d", n)
	r := signedBenchRequest(b, srv, keyID, secret, body)
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
