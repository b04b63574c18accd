package iamapi

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// benchUser makes the benchmarks' caller: the IAM user "bench", whose
// inline policy allows iam:GetUser, and its access key.
func (a *auditFixture) benchUser() *iamtypes.AccessKey {
	ctx := a.ctx
	must(a.c.CreateUser(ctx, &awsiam.CreateUserInput{UserName: aws.String("bench")}))
	must(a.c.PutUserPolicy(ctx, &awsiam.PutUserPolicyInput{UserName: aws.String("bench"), PolicyName: aws.String("p"),
		PolicyDocument: aws.String(allow("iam:GetUser", ""))}))
	return must(a.c.CreateAccessKey(ctx, &awsiam.CreateAccessKeyInput{UserName: aws.String("bench")})).AccessKey
}

// benchGetUser is the benchmarks' call: the bench user's GetUser of itself.
const benchGetUser = "Action=GetUser&Version=2010-05-08&UserName=bench"

// signedGetUser is benchGetUser as an SDK sends it, signed with key; set
// its Body before each use.
func (a *auditFixture) signedGetUser(tb testing.TB, key *iamtypes.AccessKey) *http.Request {
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(benchGetUser))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	req.Header.Set("User-Agent", "aws-sdk-go-v2/1.36.3 ua/2.1 os/linux lang/go#1.25 md/GOOS#linux md/GOARCH#amd64 api/iam#1.41.1 m/E")
	sum := sha256.Sum256([]byte(benchGetUser))
	creds := aws.Credentials{AccessKeyID: aws.ToString(key.AccessKeyId), SecretAccessKey: aws.ToString(key.SecretAccessKey)}
	if err := v4.NewSigner().SignHTTP(a.ctx, creds, req, hex.EncodeToString(sum[:]), "iam", "us-east-1", a.now.Now()); err != nil {
		tb.Fatal(err)
	}
	return req
}

// BenchmarkAuditedCall is an enforced iam:GetUser by a user whose policy
// allows it, through the SDK and the loopback endpoint, with the decision
// log off and on (the writer's work included: it runs in the process).
// The SDK's share is the same in both.
func BenchmarkAuditedCall(b *testing.B) {
	for _, on := range []bool{false, true} {
		name := map[bool]string{false: "off", true: "on"}[on]
		b.Run(name, func(b *testing.B) {
			a := newAuditFixtureWith(b, false, on)
			ctx := a.ctx
			key := a.benchUser()
			c := a.client(aws.ToString(key.AccessKeyId), aws.ToString(key.SecretAccessKey), "")
			in := &awsiam.GetUserInput{UserName: aws.String("bench")}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.GetUser(ctx, in); err != nil {
					b.Fatal(err)
				}
			}
			if on {
				if err := a.log.Flush(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkAuditedHandler is the server's whole work for one enforced
// iam:GetUser by a user whose policy allows it — SigV4 verification,
// authorization, the operation, the response — with the decision log off
// and on (as 'iamq serve' has it: SQLite, not streamed), called in process
// without the network or an SDK. The log's writer runs in the process
// (Flush at the end waits for it): cpu-ns/op is the process's CPU time per
// call, writer and garbage collector included, which the machine's other
// load inflates far less than the wall-clock ns/op.
func BenchmarkAuditedHandler(b *testing.B) {
	for _, on := range []bool{false, true} {
		name := map[bool]string{false: "off", true: "on"}[on]
		b.Run(name, func(b *testing.B) {
			a := newAuditFixtureStream(b, false, on, false)
			ctx := a.ctx
			req := a.signedGetUser(b, a.benchUser())
			b.ReportAllocs()
			cpu := processCPU()
			for b.Loop() {
				req.Body = io.NopCloser(strings.NewReader(benchGetUser))
				w := httptest.NewRecorder()
				a.handler.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("GetUser: %d %s", w.Code, w.Body)
				}
			}
			if on {
				if err := a.log.Flush(ctx); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64((processCPU()-cpu).Nanoseconds())/float64(b.N), "cpu-ns/op")
		})
	}
}
