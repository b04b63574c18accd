package server

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/iamq/iamq/internal/server/servertest"
	"github.com/iamq/iamq/internal/store"
)

func TestDevMode(t *testing.T) {
	const defaultAccount = "123456789012"
	var resets atomic.Int32
	f := newFixture(t, Options{Dev: true, DefaultAccount: defaultAccount, Reset: func(ctx context.Context) error {
		resets.Add(1)
		return nil
	}})
	tests := []struct {
		name, key, secret string
		wantAccount       string
		wantARN           string
	}{
		{"test key is the default root", "test", "test", defaultAccount, "arn:aws:iam::123456789012:root"},
		{"any secret", "test", "anything", defaultAccount, "arn:aws:iam::123456789012:root"},
		{"12 digits name an account", "111122223333", "test", "111122223333", "arn:aws:iam::111122223333:root"},
		{"issued keys are still verified", userKeyID, userSecret, testAccount, "arn:aws:iam::" + testAccount + ":user/engineering/Alice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := f.stsClient(tt.key, tt.secret).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
			if err != nil {
				t.Fatalf("GetCallerIdentity(%s) = %v", tt.key, err)
			}
			if aws.ToString(out.Account) != tt.wantAccount || aws.ToString(out.Arn) != tt.wantARN {
				t.Errorf("GetCallerIdentity(%s) = %s %s, want %s %s", tt.key, aws.ToString(out.Account), aws.ToString(out.Arn), tt.wantAccount, tt.wantARN)
			}
		})
	}
	if !f.st.hasAccount("111122223333") {
		t.Error("dev mode did not create account 111122223333 on first use")
	}
	t.Run("issued key with a wrong secret", func(t *testing.T) {
		_, err := f.stsClient(userKeyID, "wrong").GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != "SignatureDoesNotMatch" {
			t.Fatalf("GetCallerIdentity(issued key, wrong secret) = %v, want SignatureDoesNotMatch", err)
		}
	})
	t.Run("reset", func(t *testing.T) {
		resp, err := http.Post(f.srv.URL+"/_iamq/reset", "", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if _, n := f.st.counts(); resp.StatusCode != http.StatusOK || n != 1 || resets.Load() != 1 {
			t.Fatalf("reset = %d, store resets %d, hook %d", resp.StatusCode, n, resets.Load())
		}
		if f.st.hasAccount("111122223333") {
			t.Error("account 111122223333 survived the reset")
		}
		// The user's key is gone with the store: now it is an unknown key,
		// which dev mode accepts as the default root.
		out, err := f.stsClient(userKeyID, userSecret).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
		if err != nil || aws.ToString(out.Arn) != "arn:aws:iam::123456789012:root" {
			t.Fatalf("after reset GetCallerIdentity(former key) = %v, %v", out, err)
		}
	})
}

func TestResetOnlyInDevMode(t *testing.T) {
	f := newFixture(t, Options{})
	resp, err := http.Post(f.srv.URL+"/_iamq/reset", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if _, n := f.st.counts(); resp.StatusCode == http.StatusOK || n != 0 {
		t.Fatalf("reset outside dev mode = %d, resets %d", resp.StatusCode, n)
	}
	_, err = f.stsClient("test", "test").GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "InvalidClientTokenId" {
		t.Fatalf("GetCallerIdentity(test) outside dev mode = %v, want InvalidClientTokenId", err)
	}
}

// TestKeyCache: keys are looked up once, and a change (an operation that is
// not read-only, or a change published by the store) is seen by the next
// request.
func TestKeyCache(t *testing.T) {
	f := newFixture(t, Options{})
	f.s.Query(serviceIAM, "UpdateAccessKey", func(ctx context.Context, c *Call) (any, error) {
		f.st.setStatus(c.Form.String("AccessKeyId"), store.KeyStatus(c.Form.String("Status")))
		return nil, c.Form.Err()
	})
	client := f.stsClient(userKeyID, userSecret)
	for range 3 {
		if _, err := client.GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{}); err != nil {
			t.Fatal(err)
		}
	}
	if n, _ := f.st.counts(); n != 1 {
		t.Errorf("3 calls looked the key up %d times, want 1", n)
	}
	status, e, _ := servertest.Send(t, f.signed(t, rootKeyID, rootSecret, "us-east-1", "iam",
		"Action=UpdateAccessKey&Version=2010-05-08&AccessKeyId="+userKeyID+"&Status=Inactive", f.s.opts.Now()))
	if status != http.StatusOK {
		t.Fatalf("UpdateAccessKey = %d %+v", status, e)
	}
	_, err := client.GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "InvalidClientTokenId" {
		t.Fatalf("GetCallerIdentity after deactivation = %v, want InvalidClientTokenId", err)
	}

	// A change made elsewhere reaches the cache through the process's
	// follower of the change sequence, which passes it to Apply.
	f.st.setStatus(userKeyID, store.KeyActive)
	f.s.creds.Apply([]store.Change{{Seq: 42, AccountID: testAccount, Kind: store.KindAccessKey, Op: store.OpUpdate, Name: userKeyID}})
	if _, err := client.GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{}); err != nil {
		t.Fatalf("GetCallerIdentity after a change made elsewhere = %v, want the key active again", err)
	}
}

func TestHealthAndMetrics(t *testing.T) {
	f := newFixture(t, Options{})
	if _, err := f.stsClient(rootKeyID, rootSecret).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{}); err != nil {
		t.Fatal(err)
	}
	f.stsClient(rootKeyID, "bad").GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	for path, want := range map[string][]string{
		"/healthz": {"ok"},
		"/metrics": {
			`iamq_requests_total{code="OK",operation="GetCallerIdentity",service="sts"} 1`,
			`iamq_requests_total{code="SignatureDoesNotMatch",operation="-",service="sts"} 1`,
			`iamq_request_duration_seconds_count{operation="GetCallerIdentity",service="sts"} 1`,
			`iamq_request_duration_seconds_bucket{operation="GetCallerIdentity",service="sts",le="+Inf"} 1`,
			"# TYPE iamq_request_duration_seconds histogram",
		},
	} {
		resp, err := http.Get(f.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		for _, w := range want {
			if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), w) {
				t.Errorf("GET %s = %d, missing %q in:\n%s", path, resp.StatusCode, w, body)
			}
		}
	}
}

// TestHealthReportsTheStore: /healthz is 503 with the reason while the
// process cannot serve (its store takes no writes), ok once it can.
func TestHealthReportsTheStore(t *testing.T) {
	var broken atomic.Bool
	broken.Store(true)
	f := newFixture(t, Options{Health: func(context.Context) error {
		if broken.Load() {
			return errors.New("the store (sqlite /data/iamq.db) does not take writes: attempt to write a readonly database")
		}
		return nil
	}})
	get := func() (int, string) {
		resp, err := http.Get(f.srv.URL + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	if status, body := get(); status != http.StatusServiceUnavailable || !strings.Contains(body, "readonly database") {
		t.Errorf("GET /healthz with a read-only store = %d %q, want 503 naming the reason", status, body)
	}
	broken.Store(false)
	if status, body := get(); status != http.StatusOK || body != "ok\n" {
		t.Errorf("GET /healthz = %d %q, want 200 ok", status, body)
	}
}
