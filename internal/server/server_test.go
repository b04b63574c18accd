package server

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awscreds "github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/iamq/iamq/internal/authz"
	"github.com/iamq/iamq/internal/server/servertest"
	"github.com/iamq/iamq/internal/store"
)

const (
	testAccount = "210987654321"
	rootKeyID   = "AKIAROOTEXAMPLE00001"
	rootSecret  = "rootSecretKeyForTestsOnly0000000000000000"
	userKeyID   = "AKIAUSEREXAMPLE00001"
	userSecret  = "userSecretKeyForTestsOnly0000000000000000"
	userName    = "Alice"
	userID      = "AIDAALICEEXAMPLE00001"
	stsBody     = "Action=GetCallerIdentity&Version=2011-06-15"
)

// fixture is a running endpoint over a fake store holding the root key and
// a user's key of testAccount.
type fixture struct {
	srv  *servertest.Server
	s    *Server
	st   *fakeStore
	logs *syncBuffer
}

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func newFixture(t *testing.T, o Options) *fixture {
	t.Helper()
	st := newFakeStore()
	st.addKey(store.AccessKey{AccountID: testAccount, ID: rootKeyID, Secret: rootSecret, Owner: store.EntityRef{Kind: store.KindAccount}})
	st.addKey(store.AccessKey{AccountID: testAccount, ID: userKeyID, Secret: userSecret, Owner: store.EntityRef{Kind: store.KindUser, Name: userName}, OwnerID: userID})
	st.addUser(store.User{AccountID: testAccount, Name: userName, ID: userID, Path: "/engineering/"})
	logs := &syncBuffer{}
	o.Credentials = authz.NewCredentials(st, authz.CredentialsOptions{DevAccount: func(ctx context.Context, id string) error {
		_, err := st.CreateAccount(ctx, store.Account{ID: id, Name: "dev " + id})
		if errors.Is(err, store.ErrAlreadyExists) {
			return nil
		}
		return err
	}})
	if hook := o.Reset; o.Dev {
		// As iamq serve wires it: the store is emptied, then the freshly
		// started state is made again (the test's hook).
		o.Reset = func(ctx context.Context) error {
			if err := st.Reset(ctx); err != nil || hook == nil {
				return err
			}
			return hook(ctx)
		}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	s := New(o)
	addTestServices(s)
	s.Query(serviceSTS, "GetCallerIdentity", echoCaller, NoPermission)
	srv := servertest.Start(s)
	t.Cleanup(srv.Close)
	return &fixture{srv: srv, s: s, st: st, logs: logs}
}

// stsClient is an aws-sdk-go-v2 STS client pointed at the fixture.
func (f *fixture) stsClient(keyID, secret string) *sts.Client {
	return sts.NewFromConfig(aws.Config{
		Region:       "us-east-1",
		Credentials:  awscreds.NewStaticCredentialsProvider(keyID, secret, ""),
		BaseEndpoint: aws.String(f.srv.URL),
		HTTPClient:   f.srv.Client(),
		Retryer:      servertest.Retryer,
	})
}

func TestGetCallerIdentitySDK(t *testing.T) {
	f := newFixture(t, Options{})
	tests := []struct {
		name, key, secret string
		wantARN, wantUser string
	}{
		{"root", rootKeyID, rootSecret, "arn:aws:iam::" + testAccount + ":root", testAccount},
		{"user", userKeyID, userSecret, "arn:aws:iam::" + testAccount + ":user/engineering/Alice", userID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := f.stsClient(tt.key, tt.secret).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
			if err != nil {
				t.Fatalf("GetCallerIdentity(%s) = %v", tt.name, err)
			}
			if aws.ToString(out.Account) != testAccount || aws.ToString(out.Arn) != tt.wantARN || aws.ToString(out.UserId) != tt.wantUser {
				t.Errorf("GetCallerIdentity(%s) = %s %s %s, want %s %s %s", tt.name, aws.ToString(out.Account),
					aws.ToString(out.Arn), aws.ToString(out.UserId), testAccount, tt.wantARN, tt.wantUser)
			}
		})
	}
}

func TestGetCallerIdentitySDKRefused(t *testing.T) {
	f := newFixture(t, Options{})
	_, err := f.stsClient(rootKeyID, "wrong"+rootSecret).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "SignatureDoesNotMatch" || !strings.HasPrefix(ae.ErrorMessage(), "The request signature we calculated") {
		t.Fatalf("GetCallerIdentity(wrong secret) = %v, want SignatureDoesNotMatch", err)
	}
	_, err = f.stsClient("AKIANOTISSUED0000000", rootSecret).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if !errors.As(err, &ae) || ae.ErrorCode() != "InvalidClientTokenId" || ae.ErrorMessage() != "The security token included in the request is invalid." {
		t.Fatalf("GetCallerIdentity(unknown key) = %v, want InvalidClientTokenId", err)
	}
}

func TestPresignedGetCallerIdentity(t *testing.T) {
	f := newFixture(t, Options{})
	req, err := sts.NewPresignClient(f.stsClient(userKeyID, userSecret)).PresignGetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	hr, _ := http.NewRequest(req.Method, req.URL, nil)
	for k, v := range req.SignedHeader {
		hr.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(hr)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var got struct {
		Result struct {
			Arn, UserId, Account string
		} `xml:"GetCallerIdentityResult"`
		RequestID string `xml:"ResponseMetadata>RequestId"`
	}
	if err := xml.Unmarshal(body, &got); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("presigned GET = %d %s (%v)", resp.StatusCode, body, err)
	}
	if got.Result.Arn != "arn:aws:iam::"+testAccount+":user/engineering/Alice" || got.Result.UserId != userID ||
		got.RequestID == "" || got.RequestID != resp.Header.Get("x-amzn-RequestId") {
		t.Errorf("presigned GET = %+v, header id %q", got, resp.Header.Get("x-amzn-RequestId"))
	}
}

// signAt is the instant tampered requests are signed at and the server's
// clock reads, unless a case moves it.
var signAt = time.Date(2024, 1, 1, 0, 30, 0, 0, time.UTC)

// signed returns a form POST to the fixture's "/" signed by the SDK's signer.
func (f *fixture) signed(t *testing.T, keyID, secret, region, service, body string, at time.Time) *http.Request {
	t.Helper()
	r, err := http.NewRequest(http.MethodPost, f.srv.URL+"/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	servertest.Sign(t, r, []byte(body), keyID, secret, region, service, at)
	r.Body = io.NopCloser(strings.NewReader(body))
	return r
}

// signWith signs a bodiless request for us-east-1 with the SDK's signer.
func signWith(t *testing.T, r *http.Request, keyID, secret, service string, at time.Time) {
	t.Helper()
	servertest.Sign(t, r, nil, keyID, secret, "us-east-1", service, at)
}

// TestQueryOnGET: the Query protocol's parameters may come in the query
// string of a header-signed GET.
func TestQueryOnGET(t *testing.T) {
	f := newFixture(t, Options{Now: func() time.Time { return signAt }})
	r, _ := http.NewRequest(http.MethodGet, f.srv.URL+"/?Version=2011-06-15&Action=GetCallerIdentity", nil)
	signWith(t, r, userKeyID, userSecret, "sts", signAt)
	status, e, body := servertest.Send(t, r)
	if status != http.StatusOK || !strings.Contains(string(body), "<Arn>arn:aws:iam::"+testAccount+":user/engineering/Alice</Arn>") {
		t.Fatalf("GET GetCallerIdentity = %d %+v %s", status, e, body)
	}
}

// TestMetricsLabelsBounded: a credential scope naming any service does not
// become a label value.
func TestMetricsLabelsBounded(t *testing.T) {
	f := newFixture(t, Options{Now: func() time.Time { return signAt }})
	servertest.Send(t, f.signed(t, rootKeyID, rootSecret, "us-east-1", "made-up-service-1", stsBody, signAt))
	resp, err := http.Get(f.srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if strings.Contains(string(body), "made-up-service") || !strings.Contains(string(body), `iamq_requests_total{code="SignatureDoesNotMatch",operation="-",service="-"} 1`) {
		t.Errorf("metrics after a request scoped to a made-up service:\n%s", body)
	}
}

// TestRequestBodyLimit: a body over MaxBody is refused with 413 whether its
// length is declared or chunked; one within it is read whole either way.
func TestRequestBodyLimit(t *testing.T) {
	f := newFixture(t, Options{Now: func() time.Time { return signAt }, MaxBody: int64(len(stsBody) + 10)})
	long := stsBody + "&Padding=" + strings.Repeat("x", 20)
	tests := []struct {
		name    string
		body    string
		chunked bool
		status  int
		code    string
	}{
		{"declared, within", stsBody, false, http.StatusOK, ""},
		{"chunked, within", stsBody, true, http.StatusOK, ""},
		{"declared, over", long, false, http.StatusRequestEntityTooLarge, "RequestEntityTooLarge"},
		{"chunked, over", long, true, http.StatusRequestEntityTooLarge, "RequestEntityTooLarge"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := http.NewRequest(http.MethodPost, f.srv.URL+"/", nil)
			if err != nil {
				t.Fatal(err)
			}
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
			servertest.Sign(t, r, []byte(tc.body), rootKeyID, rootSecret, "us-east-1", "sts", signAt)
			r.Body = io.NopCloser(strings.NewReader(tc.body))
			r.ContentLength = int64(len(tc.body))
			if tc.chunked {
				r.ContentLength = -1 // net/http sends it chunked
			}
			status, e, body := servertest.Send(t, r)
			if status != tc.status || e.Error.Code != tc.code {
				t.Fatalf("status %d, code %q, want %d %q: %s", status, e.Error.Code, tc.status, tc.code, body)
			}
		})
	}
}

// The services of the core's tests, shaped as IAM's, STS's and Amazon MQ's
// (whose wire packages are internal/api's).
const (
	serviceIAM Service = "iam"
	serviceSTS Service = "sts"
	serviceMQ  Service = "mq"
)

// addTestServices adds the Query services IAM and STS as their wire packages
// describe them.
func addTestServices(s *Server) {
	s.AddQueryService(QueryService{Name: serviceIAM, Version: "2010-05-08", Namespace: "https://iam.amazonaws.com/doc/2010-05-08/", Global: true})
	s.AddQueryService(QueryService{Name: serviceSTS, Version: "2011-06-15", Namespace: "https://sts.amazonaws.com/doc/2011-06-15/"})
}

// echoCaller is the protocol tests' operation, registered under STS's
// GetCallerIdentity as the SDKs call it: it answers who signed, as
// GetCallerIdentityResult does. (STS's own is internal/api/stsapi's.)
func echoCaller(ctx context.Context, c *Call) (any, error) { return callerXML(c.Caller), nil }

type callerXML authz.Principal

// AppendXML appends <Arn>, <UserId> and <Account>.
func (p callerXML) AppendXML(b []byte) []byte {
	b = AppendXMLElement(b, "Arn", p.ARN)
	b = AppendXMLElement(b, "UserId", p.UserID)
	return AppendXMLElement(b, "Account", p.Account)
}
