package server

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
)

// connectionRetryer is the test clients' retryer: API errors are never
// retried, so a test sees each refusal as the server gave it, but the
// connection errors that the SDK itself retries by default are. Go's HTTP
// client can close a keep-alive connection while a large response is still
// being read, when the server answered before the client's writer finished
// with the request body (aws/aws-sdk-go-v2#1825, #2737); the SDK retries
// "use of closed network connection" for that reason.
func connectionRetryer() aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = 3
		o.Retryables = []retry.IsErrorRetryable{retry.RetryableConnectionError{}}
	})
}
