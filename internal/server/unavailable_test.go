package server

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/iamq/iamq/internal/server/servertest"
)

var errStoreDown = errors.New("dial tcp 127.0.0.1:5432: connect: connection refused")

// TestStoreUnavailable: while the store cannot be reached, a call is
// answered 503 ServiceUnavailable — which the SDKs retry — both when the
// caches cannot catch up before the call (Options.Current) and when the
// operation's own store access fails (Options.Unavailable); an error of
// another kind stays a 500 ServiceFailure.
func TestStoreUnavailable(t *testing.T) {
	var behind atomic.Bool
	opErr := errStoreDown
	f := newFixture(t, Options{
		Current: func(context.Context) error {
			if behind.Load() {
				return errStoreDown
			}
			return nil
		},
		Unavailable: func(err error) bool { return errors.Is(err, errStoreDown) },
	})
	f.s.Query(serviceSTS, "Explode", func(context.Context, *Call) (any, error) { return nil, opErr }, NoPermission)
	explode := func() (int, servertest.QueryError) {
		status, e, _ := servertest.Send(t, f.signed(t, rootKeyID, rootSecret, "us-east-1", "sts", "Action=Explode&Version=2011-06-15", f.s.opts.Now()))
		return status, e
	}
	client := f.stsClient(rootKeyID, rootSecret)
	ctx := context.Background()

	behind.Store(true)
	_, err := client.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	wantCode(t, "GetCallerIdentity while the caches are behind", err, "ServiceUnavailable", http.StatusServiceUnavailable)
	behind.Store(false)
	if _, err := client.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
		t.Fatalf("GetCallerIdentity once caught up = %v", err)
	}

	if status, e := explode(); status != http.StatusServiceUnavailable || e.Error.Code != "ServiceUnavailable" || e.Error.Type != "Receiver" {
		t.Errorf("a call whose store access fails to connect = %d %+v, want 503 ServiceUnavailable", status, e)
	}
	opErr = errors.New("disk full")
	if status, e := explode(); status != http.StatusInternalServerError || e.Error.Code != "ServiceFailure" {
		t.Errorf("a call failing otherwise = %d %+v, want 500 ServiceFailure", status, e)
	}
}

func wantCode(t *testing.T, what string, err error, code string, status int) {
	t.Helper()
	var ae smithy.APIError
	var re *awshttp.ResponseError
	if !errors.As(err, &ae) || ae.ErrorCode() != code || !errors.As(err, &re) || re.HTTPStatusCode() != status {
		t.Errorf("%s = %v, want %d %s", what, err, status, code)
	}
}
