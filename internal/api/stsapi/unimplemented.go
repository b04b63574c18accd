package stsapi

import (
	"context"
	"fmt"
	"net/http"

	"github.com/iamq/iamq/internal/server"
)

// codeNotImplemented answers an operation of STS's model that iamq does not
// serve. AWS never answers it; it is iamq's, so that a client learns the
// truth instead of a misleading refusal. Status 501 is not retried by the
// SDKs (they retry 500, 502, 503 and 504).
const codeNotImplemented server.Code = "NotImplemented"

// unimplemented are the operations of STS's service model (sts 2011-06-15,
// as aws-sdk-go-v2 service/sts v1.52.0 ships it) that iamq does not serve,
// with their flags.
var unimplemented = []struct {
	name  string
	flags []server.OpFlag
}{
	{"AssumeRoot", []server.OpFlag{server.NoPermission}},
	{"GetDelegatedAccessToken", []server.OpFlag{server.NoPermission}},
	{"GetWebIdentityToken", []server.OpFlag{server.NoPermission}},
}

// registerUnimplemented registers the operations iamq does not serve,
// answering NotImplemented without authorizing anything (nothing is read or
// changed).
func registerUnimplemented(srv *server.Server) {
	for _, u := range unimplemented {
		err := &server.APIError{Code: codeNotImplemented, Status: http.StatusNotImplemented, Fault: server.Receiver,
			Message: fmt.Sprintf("iamq does not implement the STS operation %s yet.", u.name)}
		srv.Query(Service, u.name, func(context.Context, *server.Call) (any, error) { return nil, err }, u.flags...)
	}
}
