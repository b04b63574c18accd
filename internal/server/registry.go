package server

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/iamq/iamq/eval"
	"github.com/iamq/iamq/internal/audit"
	"github.com/iamq/iamq/internal/authz"
)

// Service is an AWS service by its signing name (the credential scope's
// service), which is how Query requests to "/" are dispatched.
type Service string

// QueryService describes a service that speaks the Query protocol at "/"
// at "/": its calls are told apart by their credential scope's service.
// Its wire package adds it with [Server.AddQueryService] before it registers
// its operations.
type QueryService struct {
	Name Service
	// Version is the API version every call must name ("2010-05-08"):
	// another, or none, is InvalidAction, as AWS answers ("Could not find
	// operation NAME for version 2099-01-01").
	Version string
	// Namespace is the XML namespace of its responses, as its service model
	// names it.
	Namespace string
	// Global: calls are signed for us-east-1 (or the endpoint's own region)
	// only, as for a global service; otherwise for any region.
	Global bool
	// Admit, when not nil, may refuse a verified caller before any of the
	// service's operations runs, whatever the policies say.
	Admit func(c *Call) error
}

// AddQueryService adds the Query service d. The first service added names
// the errors of a call that names none it knows.
func (s *Server) AddQueryService(d QueryService) {
	if s.queryOps[d.Name] == nil {
		s.queryOps[d.Name] = map[string]*op{}
	}
	if _, ok := s.query[d.Name]; !ok {
		s.queryOrder = append(s.queryOrder, d.Name)
	}
	s.query[d.Name] = &d
}

// queryService is the Query service name names, or the first added for a
// name none has.
func (s *Server) queryService(name Service) *QueryService {
	if d, ok := s.query[name]; ok {
		return d
	}
	if len(s.queryOrder) > 0 {
		return s.query[s.queryOrder[0]]
	}
	return &QueryService{Name: name}
}

// Call is one API call as an operation sees it.
type Call struct {
	RequestID string
	Service   Service
	Action    string // the operation's name, as the protocol names it
	Region    string // the credential scope's region
	Time      time.Time
	// Caller is who signed the request. It is the zero Caller for the
	// operations registered [Unsigned].
	Caller authz.Principal
	// Form is the Query input; nil for REST-JSON calls.
	Form *Form
	// HTTP is the request, for what the protocol layer does not decode
	// (REST path values with HTTP.PathValue, the source address for
	// condition keys). Its body has been read: use Body.
	HTTP *http.Request
	Body []byte
	// authorization is the call's decision, for the decision log.
	authorization *audit.Authorization
	// record is the call's record in the decision log, filled at its end
	// and handed over: part of the call, whose memory the request has
	// warm, rather than a record of its own.
	record audit.Record
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
	// NoPermission: the operation is not authorized (one AWS never denies,
	// which AWS never denies).
	NoPermission OpFlag = 1 << iota
	// Unsigned: the operation is called without a signature
	// (the federation calls AWS leaves unsigned).
	Unsigned
	// ReadOnly: the operation changes nothing, so the caches need no sync
	// after it (a REST POST that only checks, as Access Analyzer's do).
	// Query operations whose names start with Get, List or Simulate, and
	// REST GETs, are read-only without the flag.
	ReadOnly
)

// Target is what a call is authorized for: the action (SERVICE:NAME), the
// ARN of the resource it acts on ("*" for none), and the operation's own
// condition keys (nil: none).
type Target struct {
	Action   string
	Resource string
	Keys     func(*eval.Context)
	// Grant, when not nil, is a resource-based policy that takes part in
	// the decision and must allow by itself (authz.Request.Trust): an allow
	// that an account setting gives, such as the password policy's
	// AllowUsersToChangePassword.
	Grant *eval.Set
}

// TargetFunc finds a call's [Target]. It runs after authentication and
// before the operation, so it may look up the entity the call names: the
// decision must be taken on the entity really touched (its stored ARN), not
// on the request's spelling of it.
type TargetFunc func(ctx context.Context, c *Call) Target

// Operation is one operation of a service, as its wire package registers it
// with [Server.Register]: its name, its handler (Query for the Query
// protocol, REST and Pattern for REST-JSON), what it is authorized for, and
// its flags.
type Operation struct {
	Service Service
	Name    string
	Query   QueryHandler
	// Pattern is a REST-JSON operation's http.ServeMux pattern with its
	// method ("POST /v1/things", "GET /v1/things/{id}"); path
	// values are read with c.HTTP.PathValue.
	Pattern string
	REST    RESTHandler
	// Target finds the call's target; nil means the action SERVICE:Name on
	// every resource ("*"), so only a policy allowing it everywhere lets the
	// call through.
	Target TargetFunc
	Flags  OpFlag
}

// op is a registered operation.
type op struct {
	service Service
	name    string
	query   QueryHandler
	rest    RESTHandler
	target  TargetFunc
	flags   OpFlag
}

func (o *op) has(f OpFlag) bool { return o.flags&f != 0 }

// readOnly reports whether an operation changes no state, judged by AWS's
// naming (Get…, List…, Simulate…) or the ReadOnly flag.
func (o *op) readOnly() bool {
	return o.has(ReadOnly) || strings.HasPrefix(o.name, "Get") || strings.HasPrefix(o.name, "List") ||
		strings.HasPrefix(o.name, "Simulate")
}

// Register registers o: a Query operation under its Action name (of a
// service added with AddQueryService first), or a REST-JSON operation at its
// Pattern. Adding a service registers its
// operations (and, with [Server.Errors], its error codes) and touches no
// file of this package.
func (s *Server) Register(o Operation) {
	r := &op{service: o.Service, name: o.Name, query: o.Query, rest: o.REST, target: o.Target, flags: o.Flags}
	s.metrics.Register(string(o.Service), o.Name)
	if o.REST != nil {
		s.mux.Handle(o.Pattern, http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) { s.serveREST(w, req, r) }))
		return
	}
	if s.query[o.Service] == nil {
		// Its calls could never be dispatched: a wiring mistake, caught at
		// start rather than as InvalidAction on every call.
		panic("server: Query operation " + o.Name + " of service " + string(o.Service) + " registered before AddQueryService")
	}
	s.unsigned = s.unsigned || r.has(Unsigned)
	s.queryOps[o.Service][o.Name] = r
}

// Query registers a Query-protocol operation of service under its Action
// name, authorized for SERVICE:action on "*" unless flags say otherwise:
//
//	s.Query("svc", "Describe", describe, NoPermission)
func (s *Server) Query(service Service, action string, h QueryHandler, flags ...OpFlag) {
	s.Register(Operation{Service: service, Name: action, Query: h, Flags: flagsOf(flags)})
}

// REST registers a REST-JSON operation of service at pattern (see
// [Operation.Pattern]), authorized for SERVICE:name on "*" unless flags say
// otherwise.
func (s *Server) REST(service Service, name, pattern string, h RESTHandler, flags ...OpFlag) {
	s.Register(Operation{Service: service, Name: name, Pattern: pattern, REST: h, Flags: flagsOf(flags)})
}

func flagsOf(flags []OpFlag) OpFlag {
	var f OpFlag
	for _, x := range flags {
		f |= x
	}
	return f
}
