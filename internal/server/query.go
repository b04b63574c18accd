package server

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/iamq/iamq/internal/server/metrics"
	"github.com/iamq/iamq/internal/server/requestid"
	"github.com/iamq/iamq/internal/sigv4"
)

// serveQuery serves the Query protocol at "/": the Query services, told
// apart by the credential scope's service.
func (s *Server) serveQuery(w http.ResponseWriter, r *http.Request) {
	began := time.Now()
	c := &Call{RequestID: s.opts.IDs(), Service: s.queryService("").Name, Time: s.opts.Now(), HTTP: r}
	ctx := requestid.WithID(r.Context(), c.RequestID)
	var o *op
	var result any
	var err error
	if r.Method == http.MethodGet || r.Method == http.MethodPost {
		o, result, err = s.runQuery(ctx, c)
	} else {
		// Neither read nor run: HEAD, PUT, DELETE… name no Query call.
		w.Header().Set("Allow", "GET, POST")
		err = errMethodNotAllowed(r.Method)
	}
	name := metrics.Unknown
	if o != nil {
		name = o.name
	}
	bp := s.buffer()
	defer s.release(bp)
	code := Code(metrics.CodeOK)
	status := http.StatusOK
	if err == nil {
		*bp, err = appendQueryResult((*bp)[:0], s.queryService(c.Service).Namespace, c.Action, c.RequestID, result)
	}
	var e *APIError
	if err != nil {
		e = s.apiError(ctx, c, err)
		s.logRefusal(ctx, c, err, e)
		code, status = e.Code, e.Status
		*bp = appendQueryError((*bp)[:0], s.queryService(c.Service).Namespace, e, c.RequestID)
	}
	writeXML(w, status, c.RequestID, *bp)
	s.record(c, o, err, e)
	d := time.Since(began)
	svc := c.Service
	if s.queryOps[svc] == nil {
		svc = metrics.Unknown // the scope names it, unverified: keep it out of the labels
	}
	s.metrics.Observe(string(svc), name, string(code), d)
	s.logCall(ctx, c, code, d)
}

// runQuery authenticates, finds the operation and runs it. What the
// headers alone refuse is refused before the body is read, and the body is
// read within the budget of bytes in flight.
func (s *Server) runQuery(ctx context.Context, c *Call) (*op, any, error) {
	r := c.HTTP
	scope, signed := sigv4.ScopeOf(r)
	if signed {
		c.Service = Service(scope.Service) // the error namespace, should verification fail
	}
	var a preauth
	var err error
	limit := s.opts.MaxBody
	if signed || !s.unsigned {
		if a, err = s.authenticateHeaders(ctx, r); err != nil {
			return nil, nil, err
		}
	} else {
		limit = min(limit, maxUnsignedBody) // read only to find an unsigned operation
	}
	body, err := s.readBody(ctx, r, limit)
	if err != nil {
		return nil, nil, err
	}
	defer s.budget.Release(body.held)
	c.Body = body.b
	raw := r.URL.RawQuery
	if len(body.b) > 0 {
		raw = string(body.b)
	}
	if c.Form, err = ParseForm(raw); err != nil {
		return nil, nil, err
	}
	c.Action = c.Form.Get("Action")
	if !signed && s.unsigned {
		if o := s.unsignedOp(c.Action); o != nil {
			c.Service = o.service
			if o, err = s.queryOp(o.service, c); err != nil {
				return nil, nil, err
			}
			res, err := s.call(ctx, o, c)
			return o, res, err
		}
		if a, err = s.authenticateHeaders(ctx, r); err != nil {
			return nil, nil, err // the refusal of a request without a signature
		}
	}
	caller, scope, err := s.authenticateBody(r, &a, body.sum)
	if err != nil {
		return nil, nil, err
	}
	c.Caller, c.Region, c.Service = caller, scope.Region, Service(scope.Service)
	if c.Region == s.opts.Region {
		c.Region = s.opts.Region // one string for every call: the decision log compares them
	}
	if caller.Key != nil {
		s.creds.RecordUse(caller.Key.ID, c.Time, string(c.Service), c.Region)
	}
	d, ok := s.query[c.Service]
	if !ok {
		return nil, nil, sigv4.WrongService(string(s.queryService("").Name))
	}
	if c.Action == "" {
		return nil, nil, Errorf(CodeMissingAction, "Missing Action")
	}
	if d.Admit != nil {
		if err := d.Admit(c); err != nil {
			return nil, nil, err
		}
	}
	o, err := s.queryOp(c.Service, c)
	if err != nil {
		return nil, nil, err
	}
	res, err := s.call(ctx, o, c)
	return o, res, err
}

// unsignedOp is the operation registered Unsigned under action, or nil.
func (s *Server) unsignedOp(action string) *op {
	for _, name := range s.queryOrder {
		if o := s.queryOps[name][action]; o != nil && o.has(Unsigned) {
			return o
		}
	}
	return nil
}

// noVersion is how the Query services name a missing Version in their
// refusal.
const noVersion = "NO_VERSION_SPECIFIED"

// queryOp finds the call's operation among service's. An action the service
// does not have, or a Version other than the service's (missing included),
// is the Query services' InvalidAction: "Could not find operation NAME for
// version 2099-01-01" — an operation exists only in a version of the API.
func (s *Server) queryOp(service Service, c *Call) (*op, error) {
	o := s.queryOps[service][c.Action]
	version := c.Form.Get("Version")
	if want := s.query[service].Version; version != want {
		o = nil
	}
	if o == nil {
		if version == "" {
			version = noVersion
		}
		return nil, Errorf(CodeInvalidAction, fmt.Sprintf("Could not find operation %s for version %s", c.Action, version))
	}
	c.Action = o.name // the same text, one string for every call: the decision log compares them
	return o, nil
}

// errMethodNotAllowed refuses a method other than GET and POST on the Query
// endpoint, before anything of the request is read: 405 with Allow, in the
// Query protocol's envelope, with the code AWS's endpoints give a method a
// resource does not take.
func errMethodNotAllowed(method string) *APIError {
	return &APIError{Code: CodeMethodNotAllowed, Message: "The HTTP method " + method + " is not allowed on the Query endpoint; use GET or POST.",
		Status: http.StatusMethodNotAllowed, Fault: Sender}
}

// call authorizes and runs a Query operation.
func (s *Server) call(ctx context.Context, o *op, c *Call) (any, error) {
	if err := s.authorize(ctx, o, c); err != nil {
		return nil, err
	}
	res, err := o.query(ctx, c)
	if err == nil && !o.readOnly() {
		s.afterWrite(ctx)
	}
	return res, err
}

// authorize runs the Authorize hook, or enforces the caller's policies
// with Authz, unless the operation needs no permission.
func (s *Server) authorize(ctx context.Context, o *op, c *Call) error {
	switch {
	case o.has(NoPermission):
		return nil
	case s.opts.Authorize != nil:
		return s.opts.Authorize(ctx, c)
	case s.opts.Authz != nil:
		return s.enforce(ctx, o, c)
	}
	return nil
}

// apiError maps err through the error table and logs what the client does
// not see: the detail of a failure no row describes.
func (s *Server) apiError(ctx context.Context, c *Call, err error) *APIError {
	e, known := s.toAPIError(c.Service, err)
	if !known {
		s.log.LogAttrs(ctx, slog.LevelError, "service failure", slog.String("service", string(c.Service)), slog.String("action", c.Action), slog.Any("err", err))
	}
	return e
}

// logCall logs one call at debug level.
func (s *Server) logCall(ctx context.Context, c *Call, code Code, d time.Duration) {
	if !s.log.Enabled(ctx, slog.LevelDebug) {
		return
	}
	s.log.LogAttrs(ctx, slog.LevelDebug, "call", slog.String("service", string(c.Service)), slog.String("action", c.Action),
		slog.String("caller", c.Caller.ARN), slog.String("code", string(code)), slog.Duration("duration", d))
}

// maxPooledBuffer is the largest response buffer kept for reuse: one big
// response (GetAccountAuthorizationDetails) must not pin its memory forever.
const maxPooledBuffer = 64 << 10

func (s *Server) release(bp *[]byte) {
	if cap(*bp) <= maxPooledBuffer {
		s.bufs.Put(bp)
	}
}

func (s *Server) buffer() *[]byte {
	if bp, ok := s.bufs.Get().(*[]byte); ok {
		return bp
	}
	b := make([]byte, 0, 1024)
	return &b
}
