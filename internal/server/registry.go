package server

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/iamq/iamq/internal/sts"
)

// Service is an AWS service by its signing name (the credential scope's
// service), which is how Query requests to "/" are dispatched.
type Service string

// The services iamq serves.
const (
	ServiceIAM Service = "iam"
	ServiceSTS Service = "sts"
	ServiceMQ  Service = "mq"
)

// Call is one API call as an operation sees it.
type Call struct {
	RequestID string
	Service   Service
	Action    string // the operation's name, e.g. "CreateUser"
	Region    string // the credential scope's region
	Time      time.Time
	// Caller is who signed the request. It is the zero Caller for the
	// operations registered [Unsigned].
	Caller sts.Caller
	// Form is the Query input; nil for REST-JSON calls.
	Form *Form
	// HTTP is the request, for what the protocol layer does not decode
	// (REST path values with HTTP.PathValue, the source address for
	// condition keys). Its body has been read: use Body.
	HTTP *http.Request
	Body []byte
}

// QueryHandler runs one Query-protocol operation. The value it returns is
// encoded as the <ActionResult> element: a struct with encoding/xml tags, or
// an [XMLAppender]; nil writes no Result element. Errors go through the one
// error table.
type QueryHandler func(ctx context.Context, c *Call) (any, error)

// RESTHandler runs one REST-JSON operation and returns the HTTP status and
// the value to encode as the JSON body (nil: none).
type RESTHandler func(ctx context.Context, c *Call) (status int, out any, err error)

// OpFlag modifies how an operation is called.
type OpFlag int

// The flags of an operation.
const (
	// NoPermission: the operation is not authorized (sts:GetCallerIdentity,
	// which AWS never denies).
	NoPermission OpFlag = 1 << iota
	// Unsigned: the operation is called without a signature
	// (AssumeRoleWithWebIdentity, AssumeRoleWithSAML).
	Unsigned
	// ReadOnly: the operation changes nothing, so cached credentials stay
	// valid after it. Names starting with Get, List or Simulate are
	// read-only without the flag.
	ReadOnly
)

// op is a registered operation.
type op struct {
	service Service
	name    string
	query   QueryHandler
	rest    RESTHandler
	flags   OpFlag
}

func (o *op) has(f OpFlag) bool { return o.flags&f != 0 }

// readOnly reports whether an operation changes no state, judged by AWS's
// naming (Get…, List…, Simulate…) or the ReadOnly flag.
func (o *op) readOnly() bool {
	return o.has(ReadOnly) || strings.HasPrefix(o.name, "Get") || strings.HasPrefix(o.name, "List") ||
		strings.HasPrefix(o.name, "Simulate")
}

// Query registers a Query-protocol operation of service under its Action
// name. Registering is one line per operation:
//
//	s.Query(ServiceIAM, "CreateUser", s.createUser)
func (s *Server) Query(service Service, action string, h QueryHandler, flags ...OpFlag) {
	o := &op{service: service, name: action, query: h}
	for _, f := range flags {
		o.flags |= f
	}
	s.unsigned = s.unsigned || o.has(Unsigned)
	if s.queryOps[service] == nil {
		s.queryOps[service] = map[string]*op{}
	}
	s.queryOps[service][action] = o
	s.metrics.register(service, action)
}

// QueryVersion sets the API version of a Query service ("2010-05-08" for
// IAM): a request naming another Version, or none, is refused with
// InvalidAction as AWS refuses it. A service without one takes any.
func (s *Server) QueryVersion(service Service, version string) {
	s.versions[service] = version
}

// REST registers a REST-JSON operation of service at pattern, an
// http.ServeMux pattern with a method ("POST /v1/brokers",
// "GET /v1/brokers/{broker_id}"); path values are read with
// c.HTTP.PathValue.
func (s *Server) REST(service Service, name, pattern string, h RESTHandler, flags ...OpFlag) {
	o := &op{service: service, name: name, rest: h}
	for _, f := range flags {
		o.flags |= f
	}
	s.metrics.register(service, name)
	s.mux.Handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.serveREST(w, r, o) }))
}
