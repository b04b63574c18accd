package mqapi

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/eval"
	"github.com/iamq/iamq/internal/authz"
	"github.com/iamq/iamq/internal/mq"
	"github.com/iamq/iamq/internal/server"
)

// Service is Amazon MQ's signing name.
const Service server.Service = "mq"

// Amazon MQ's error codes (the service model's error shapes), and the one
// its front door answers a denied caller with: AccessDeniedException,
// "User: ARN is not authorized to perform: mq:ListBrokers …", as quoted in
// ansible-collections/community.aws#1831 from a real `aws mq
// list-brokers`.
const (
	codeBadRequest   server.Code = "BadRequestException"
	codeNotFound     server.Code = "NotFoundException"
	codeConflict     server.Code = "ConflictException"
	codeForbidden    server.Code = "ForbiddenException"
	codeAccessDenied server.Code = "AccessDeniedException"
)

// errorCodes maps package mq's kinds of refusal to their codes and status.
var errorCodes = []struct {
	kind   error
	code   server.Code
	status int
}{
	{mq.ErrBadRequest, codeBadRequest, http.StatusBadRequest},
	{mq.ErrNotFound, codeNotFound, http.StatusNotFound},
	{mq.ErrConflict, codeConflict, http.StatusConflict},
	{mq.ErrForbidden, codeForbidden, http.StatusForbidden},
}

// api serves the operations over the domain.
type api struct {
	mq *mq.Service
}

// operation is one Amazon MQ operation: its name (the action is
// mq:NAME), route, handler and what it acts on.
type operation struct {
	name, pattern string
	run           func(a *api, ctx context.Context, c *server.Call, mc *mq.Caller) (int, any, error)
	target        targetFunc // nil: "*"
}

// targetFunc returns the resource ARN and condition keys of a call.
type targetFunc func(a *api, ctx context.Context, c *server.Call) (string, func(*eval.Context))

// Register registers Amazon MQ's operations and error codes with srv.
func Register(srv *server.Server, svc *mq.Service) {
	a := &api{mq: svc}
	srv.Errors(Service, server.ErrorCode{Err: authz.ErrAccessDenied, Code: codeAccessDenied, Status: http.StatusForbidden, Fault: server.Sender})
	for _, set := range [][]operation{brokerOps(), userOps(), configOps(), tagOps(), engineOps()} {
		for _, o := range set {
			run, target, action := o.run, o.target, "mq:"+o.name
			srv.Register(server.Operation{Service: Service, Name: o.name, Pattern: o.pattern,
				REST: func(ctx context.Context, c *server.Call) (int, any, error) {
					mc := &mq.Caller{Principal: c.Caller, Info: c.RequestInfo()}
					status, out, err := run(a, ctx, c, mc)
					return status, out, wire(err)
				},
				Target: func(ctx context.Context, c *server.Call) server.Target {
					t := server.Target{Action: action, Resource: "*"}
					if target != nil {
						t.Resource, t.Keys = target(a, ctx, c)
					}
					return t
				}})
		}
	}
}

// wire turns a refusal of package mq into its error shape.
func wire(err error) error {
	var e *mq.Error
	if err == nil || !errors.As(err, &e) {
		return err
	}
	for _, r := range errorCodes {
		if errors.Is(err, r.kind) {
			return &server.APIError{Code: r.code, Message: e.Message, Status: r.status, Fault: server.Sender, Attribute: e.Attribute}
		}
	}
	return err
}

// badRequest is a refusal of the wire's own (a malformed query value).
func badRequest(attribute, message string) error {
	return &server.APIError{Code: codeBadRequest, Message: message, Status: http.StatusBadRequest, Fault: server.Sender, Attribute: attribute}
}

// decode reads the JSON body into v.
func decode(c *server.Call, v any) error {
	if err := c.DecodeJSON(v); err != nil {
		var e *server.APIError
		if errors.As(err, &e) {
			e.Attribute = "body"
		}
		return err
	}
	return nil
}

// pageQuery reads maxResults and nextToken.
func pageQuery(c *server.Call) (int, string, error) {
	q := c.HTTP.URL.Query()
	n := 0
	if s := q.Get("maxResults"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || len(s) > 4 || n < 1 || n > mq.MaxMaxResults {
			return 0, "", badRequest("maxResults", "maxResults must be an integer from 1 to 100.")
		}
	}
	return n, q.Get("nextToken"), nil
}

// resourceTags adds aws:ResourceTag/KEY for a resource's tags.
func resourceTags(tags map[string]string) func(*eval.Context) {
	if len(tags) == 0 {
		return nil
	}
	return func(ec *eval.Context) {
		for k, v := range tags {
			ec.Add("aws:ResourceTag/"+k, eval.String(v))
		}
	}
}

// requestTags adds aws:RequestTag/KEY and aws:TagKeys for tags a request
// sets (nil: none given).
func requestTags(tags map[string]string) func(*eval.Context) {
	if tags == nil {
		return nil
	}
	return func(ec *eval.Context) {
		keys := make([]eval.Value, 0, len(tags))
		for k, v := range tags {
			ec.Add("aws:RequestTag/"+k, eval.String(v))
			keys = append(keys, eval.String(k))
		}
		ec.Add("aws:TagKeys", keys...)
	}
}

// both runs two key functions.
func both(f, g func(*eval.Context)) func(*eval.Context) {
	switch {
	case f == nil:
		return g
	case g == nil:
		return f
	}
	return func(ec *eval.Context) { f(ec); g(ec) }
}

// brokerTarget authorizes a call on the broker in the path: its stored ARN
// and tags. For a broker that does not exist the ARN names the id with a
// wildcard name; a caller allowed there learns NotFoundException.
func brokerTarget(a *api, ctx context.Context, c *server.Call) (string, func(*eval.Context)) {
	id := c.HTTP.PathValue("brokerId")
	if brokerARN, tags, ok := a.mq.BrokerTags(ctx, c.Caller.Account, c.Region, id); ok {
		return brokerARN, resourceTags(tags)
	}
	return arn.MQBroker(c.Region, c.Caller.Account, "*", id).String(), nil
}

// configTarget authorizes a call on the configuration in the path.
func configTarget(a *api, ctx context.Context, c *server.Call) (string, func(*eval.Context)) {
	id := c.HTTP.PathValue("configurationId")
	if cfgARN, tags, ok := a.mq.ConfigurationTags(ctx, c.Caller.Account, c.Region, id); ok {
		return cfgARN, resourceTags(tags)
	}
	return arn.MQConfiguration(c.Region, c.Caller.Account, id).String(), nil
}
