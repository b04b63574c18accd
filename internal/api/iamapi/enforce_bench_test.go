package iamapi

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/iamq/iamq/internal/server/servertest"
)

// BenchmarkEnforcedGetUser measures the whole handler for one iam:GetUser
// signed by an IAM user whose inline policy allows it: verification,
// enforcement (a cached compiled set), the store read and the XML, without
// the network.
func BenchmarkEnforcedGetUser(b *testing.B) {
	t := &testing.T{}
	f := newEnforceFixture(t)
	_, id := f.user("bench")
	f.putUserPolicy("bench", "p", allow("iam:GetUser", ""))
	k := must(f.c.CreateAccessKey(f.ctx, &awsiam.CreateAccessKeyInput{UserName: aws.String("bench")})).AccessKey
	_ = id
	const body = "Action=GetUser&Version=2010-05-08"
	r, err := http.NewRequest(http.MethodPost, f.srv.URL+"/", nil)
	if err != nil {
		b.Fatal(err)
	}
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	servertest.Sign(t, r, []byte(body), aws.ToString(k.AccessKeyId), aws.ToString(k.SecretAccessKey), "us-east-1", "iam", f.now.Now())
	r.RemoteAddr = "127.0.0.1:40000"
	s := f.srv.Handler
	b.ReportAllocs()
	for b.Loop() {
		r.Body = io.NopCloser(bytes.NewReader([]byte(body)))
		r.ContentLength = int64(len(body))
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
}
