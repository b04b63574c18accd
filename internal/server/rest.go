package server

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/iamq/iamq/internal/server/metrics"
	"github.com/iamq/iamq/internal/server/requestid"
	"github.com/iamq/iamq/internal/sigv4"
)

// serveREST serves one REST-JSON operation (the protocol of the services at their own paths): errors are
// {"message": …} with the code in x-amzn-ErrorType.
func (s *Server) serveREST(w http.ResponseWriter, r *http.Request, o *op) {
	began := time.Now()
	c := &Call{RequestID: s.opts.IDs(), Service: o.service, Action: o.name, Time: s.opts.Now(), HTTP: r}
	ctx := requestid.WithID(r.Context(), c.RequestID)
	status, out, err := s.runREST(ctx, r, o, c)
	code := Code(metrics.CodeOK)
	var e *APIError
	if err != nil {
		var known bool
		e, known = s.toAPIError(c.Service, err)
		if !known {
			e = s.apiError(ctx, c, err)
			e.Code = CodeInternalServerError
		}
		s.logRefusal(ctx, c, err, e)
		code, status, out = e.Code, e.Status, restError{Message: e.Message, ErrorAttribute: e.Attribute}
		if e.Body != nil {
			out = e.Body
		}
		w.Header().Set("X-Amzn-Errortype", string(e.Code))
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-Requestid", c.RequestID)
	w.WriteHeader(status)
	if out != nil {
		if err := json.NewEncoder(w).Encode(out); err != nil {
			s.log.WarnContext(ctx, "writing a response", "err", err)
		}
	}
	s.record(c, o, err, e)
	d := time.Since(began)
	s.metrics.Observe(string(c.Service), o.name, string(code), d)
	s.logCall(ctx, c, code, d)
}

func (s *Server) runREST(ctx context.Context, r *http.Request, o *op, c *Call) (int, any, error) {
	// As on the Query endpoint: the headers are checked before the body is
	// read, and the body is read within the budget of bytes in flight.
	a, err := s.authenticateHeaders(ctx, r)
	if err != nil {
		return 0, nil, err
	}
	body, err := s.readBody(ctx, r, s.opts.MaxBody)
	if err != nil {
		return 0, nil, err
	}
	defer s.budget.Release(body.held)
	c.Body = body.b
	caller, scope, err := s.authenticateBody(r, &a, body.sum)
	if err != nil {
		return 0, nil, err
	}
	if Service(scope.Service) != o.service {
		return 0, nil, sigv4.WrongService(string(o.service))
	}
	c.Caller, c.Region = caller, scope.Region
	if caller.Key != nil {
		s.creds.RecordUse(caller.Key.ID, c.Time, string(c.Service), c.Region)
	}
	if err := s.authorize(ctx, o, c); err != nil {
		return 0, nil, err
	}
	status, out, err := o.rest(ctx, c)
	if err == nil && r.Method != http.MethodGet && !o.has(ReadOnly) {
		// A POST that changes nothing (Access Analyzer's checks) needs no
		// sync.
		s.afterWrite(ctx)
	}
	return status, out, err
}

// CodeBadRequest is REST-JSON's refusal of a malformed input
// (BadRequestException).
const CodeBadRequest Code = "BadRequestException"

// DecodeJSON decodes the call's JSON body into v; an empty body leaves v as
// it is. A malformed body is a BadRequestException.
func (c *Call) DecodeJSON(v any) error {
	if len(c.Body) == 0 {
		return nil
	}
	if err := json.Unmarshal(c.Body, v); err != nil {
		return Errorf(CodeBadRequest, "The request body is not valid JSON for this operation: "+err.Error())
	}
	return nil
}

// restError is the REST-JSON error body.
type restError struct {
	ErrorAttribute string `json:"errorAttribute,omitempty"`
	Message        string `json:"message"`
}

// serveNotFound answers a path no operation serves.
func (s *Server) serveNotFound(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-Errortype", string(CodeNotFound))
	w.WriteHeader(http.StatusNotFound)
	json.NewEncoder(w).Encode(restError{Message: "No operation at " + r.Method + " " + r.URL.Path})
	s.metrics.Observe(metrics.Unknown, metrics.Unknown, string(CodeNotFound), 0)
}
