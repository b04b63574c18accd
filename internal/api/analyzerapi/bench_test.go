package analyzerapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/iamq/iamq/internal/server/servertest"
)

// benchCall measures one operation as the server runs it: a request signed
// with an access key iamq issued (verified, then enforced against the
// user's policy), its body read, the check and the JSON answer; no network
// and no client. The signature is made once; each iteration sends the same
// bytes anew.
func benchCall(b *testing.B, path string, body []byte) {
	ctx := context.Background()
	e := start(b)
	if _, err := e.iam.CreateUser(ctx, &awsiam.CreateUserInput{UserName: aws.String("ci")}); err != nil {
		b.Fatal(err)
	}
	if _, err := e.iam.PutUserPolicy(ctx, &awsiam.PutUserPolicyInput{UserName: aws.String("ci"), PolicyName: aws.String("checks"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"access-analyzer:*","Resource":"*"}]}`)}); err != nil {
		b.Fatal(err)
	}
	k, err := e.iam.CreateAccessKey(ctx, &awsiam.CreateAccessKeyInput{UserName: aws.String("ci")})
	if err != nil {
		b.Fatal(err)
	}
	signed, err := http.NewRequest("POST", "http://iamq.test"+path, bytes.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	signed.Header.Set("Content-Type", "application/json")
	servertest.Sign(b, signed, body, aws.ToString(k.AccessKey.AccessKeyId), aws.ToString(k.AccessKey.SecretAccessKey), "us-east-1", "access-analyzer", time.Now())
	send := func() *httptest.ResponseRecorder {
		r := httptest.NewRequest("POST", path, bytes.NewReader(body))
		r.Header, r.Host = signed.Header.Clone(), signed.URL.Host
		w := httptest.NewRecorder()
		e.srv.ServeHTTP(w, r)
		return w
	}
	if w := send(); w.Code != http.StatusOK {
		b.Fatalf("%s = %d %s", path, w.Code, w.Body)
	}
	b.ReportAllocs()
	for b.Loop() {
		if w := send(); w.Code != http.StatusOK {
			b.Fatalf("%s = %d %s", path, w.Code, w.Body)
		}
	}
}

func readTestdata(b *testing.B, path string) string {
	raw, err := os.ReadFile(filepath.Join("../../analysis/testdata", path))
	if err != nil {
		b.Fatal(err)
	}
	return string(raw)
}

// BenchmarkServerValidatePolicy6KB: ValidatePolicy of a 6 KB identity
// policy (6,137 characters without white space), server time.
func BenchmarkServerValidatePolicy6KB(b *testing.B) {
	body, _ := json.Marshal(map[string]string{"policyType": "IDENTITY_POLICY", "policyDocument": readTestdata(b, "bench/policy-6kb.json")})
	benchCall(b, "/policy/validation", body)
}

// BenchmarkServerCheckNoNewAccessAmazonMQ: CheckNoNewAccess of
// AmazonMQFullAccess v4 against v5 (PASS: v5 took nothing away), server
// time.
func BenchmarkServerCheckNoNewAccessAmazonMQ(b *testing.B) {
	var vs []struct {
		Version  string          `json:"version"`
		Document json.RawMessage `json:"document"`
	}
	if err := json.Unmarshal([]byte(readTestdata(b, "amazonmq/AmazonMQFullAccess.json")), &vs); err != nil {
		b.Fatal(err)
	}
	doc := map[string]string{}
	for _, v := range vs {
		doc[v.Version] = string(v.Document)
	}
	body, _ := json.Marshal(map[string]string{"policyType": "IDENTITY_POLICY", "existingPolicyDocument": doc["v5"], "newPolicyDocument": doc["v4"]})
	benchCall(b, "/policy/check-no-new-access", body)
}
