package iamapi

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/iamq/iamq/internal/server/servertest"
)

// BenchmarkCallsBetweenCredentialWrites measures a loop of signed
// iam:GetUser calls by an IAM user, interleaved with writes of a credential
// that cannot change what the user may do (UpdateSSHPublicKey by the
// account's root, toggling the user's SSH key): one op is one write and
// calls=N calls, through the whole handler without the network. A write
// that dropped the caches would make the next call read the key, the user
// and its policies again and compile them.
func BenchmarkCallsBetweenCredentialWrites(b *testing.B) {
	for _, calls := range []int{1, 10} {
		b.Run("calls="+strconv.Itoa(calls), func(b *testing.B) { benchCallsBetweenWrites(b, calls) })
	}
}

func benchCallsBetweenWrites(b *testing.B, calls int) {
	t := &testing.T{}
	f := newEnforceFixture(t)
	f.user("bench")
	f.putUserPolicy("bench", "p", allow("iam:GetUser", ""))
	k := must(f.c.CreateAccessKey(f.ctx, &awsiam.CreateAccessKeyInput{UserName: aws.String("bench")})).AccessKey
	ssh := must(f.c.UploadSSHPublicKey(f.ctx, &awsiam.UploadSSHPublicKeyInput{UserName: aws.String("bench"), SSHPublicKeyBody: aws.String(credFile(t, "rsa2048.pub"))}))
	sshID := aws.ToString(ssh.SSHPublicKey.SSHPublicKeyId)
	request := func(body, keyID, secret string) func() *http.Request {
		r, err := http.NewRequest(http.MethodPost, f.srv.URL+"/", nil)
		if err != nil {
			b.Fatal(err)
		}
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
		servertest.Sign(t, r, []byte(body), keyID, secret, "us-east-1", "iam", f.now.Now())
		r.RemoteAddr = "127.0.0.1:40000"
		return func() *http.Request {
			r.Body = io.NopCloser(bytes.NewReader([]byte(body)))
			r.ContentLength = int64(len(body))
			return r
		}
	}
	get := request("Action=GetUser&Version=2010-05-08", aws.ToString(k.AccessKeyId), aws.ToString(k.SecretAccessKey))
	toggle := []func() *http.Request{
		request("Action=UpdateSSHPublicKey&Version=2010-05-08&UserName=bench&SSHPublicKeyId="+sshID+"&Status=Inactive", idAccount, "anything"),
		request("Action=UpdateSSHPublicKey&Version=2010-05-08&UserName=bench&SSHPublicKeyId="+sshID+"&Status=Active", idAccount, "anything"),
	}
	s := f.srv.Handler
	serve := func(r *http.Request) {
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		serve(toggle[i%2]())
		i++
		for range calls {
			serve(get())
		}
	}
}
