package analyzerapi

import (
	"context"
	"net/http"
	"time"

	"github.com/iamq/iamq/internal/analysis"
	"github.com/iamq/iamq/internal/audit"
	"github.com/iamq/iamq/internal/authz"
	"github.com/iamq/iamq/internal/managed"
	"github.com/iamq/iamq/internal/server"
)

// Service is Access Analyzer's signing name.
const Service server.Service = "access-analyzer"

// Access Analyzer's error codes (accessanalyzer service model).
const (
	codeValidation       server.Code = "ValidationException"
	codeInvalidParameter server.Code = "InvalidParameterException"
	codeAccessDenied     server.Code = "AccessDeniedException"
)

// errorCodes answer authz's denial with the service's own code.
var errorCodes = []server.ErrorCode{
	{Err: authz.ErrAccessDenied, Code: codeAccessDenied, Status: http.StatusForbidden, Fault: server.Sender},
}

// operation is one Access Analyzer operation: its name (the action is
// access-analyzer:<name>), its route and its handler.
type operation struct {
	name    string
	pattern string
	run     func(a *api, ctx context.Context, c *server.Call) (any, error)
	write   bool // changes state (the others are read-only)
}

// operations lists every operation iamq serves, the one table that
// registration, enforcement and the README's list are checked against.
func operations() []operation {
	return []operation{
		{"ValidatePolicy", "POST /policy/validation", (*api).validatePolicy, false},
		{"CheckNoNewAccess", "POST /policy/check-no-new-access", (*api).checkNoNewAccess, false},
		{"CheckAccessNotGranted", "POST /policy/check-access-not-granted", (*api).checkAccessNotGranted, false},
		{"CheckNoPublicAccess", "POST /policy/check-no-public-access", (*api).checkNoPublicAccess, false},
		{"StartPolicyGeneration", "PUT /policy/generation", (*api).startGeneration, true},
		{"GetGeneratedPolicy", "GET /policy/generation/{jobId}", (*api).getGeneratedPolicy, false},
		{"ListPolicyGenerations", "GET /policy/generation", (*api).listPolicyGenerations, false},
		{"CancelPolicyGeneration", "PUT /policy/generation/{jobId}", (*api).cancelPolicyGeneration, true},
	}
}

// Options configure the operations. The zero value checks against the
// embedded service catalog.
type Options struct {
	// Validate configures ValidatePolicy's checks (the catalog).
	Validate analysis.ValidateOptions
	// Compare configures CheckNoNewAccess's analysis.
	Compare analysis.Options
	// Comparisons is how many CheckNoNewAccess comparisons may run at once
	// (0: one), and CompareTimeout how long a call waits for its turn and
	// then for its answer (0: 5 s); see budget.go.
	Comparisons    int
	CompareTimeout time.Duration
	// Policies, when set, is the AWS managed policies' registry, whose live
	// service catalog (with the updates 'iamq admin catalog apply' made on
	// any node) every call reads instead of Validate's and Compare's.
	Policies *managed.Registry
	// Log is the decision log policy generation reads, and keeps its jobs
	// in; nil (the log off) refuses StartPolicyGeneration.
	Log *audit.Log
}

// validateOptions and compareOptions are the options of one call: the
// live catalog when there is one.
func (a *api) validateOptions() analysis.ValidateOptions {
	o := a.opts.Validate
	if a.opts.Policies != nil {
		o.Catalog = a.opts.Policies.Catalog()
	}
	return o
}

func (a *api) compareOptions() analysis.Options {
	o := a.opts.Compare
	if a.opts.Policies != nil {
		o.Catalog = a.opts.Policies.Catalog()
	}
	return o
}

// api serves the operations.
type api struct {
	opts    Options
	compare *budget
}

// Register registers Access Analyzer's policy-check operations and error
// codes with srv.
func Register(srv *server.Server, opts Options) {
	opts.Validate, opts.Compare = analysis.Prepare(opts.Validate, opts.Compare)
	a := &api{opts: opts, compare: newBudget(opts.Comparisons, opts.CompareTimeout)}
	srv.Errors(Service, errorCodes...)
	for _, o := range operations() {
		run, action := o.run, string(Service)+":"+o.name
		flags := server.ReadOnly
		if o.write {
			flags = 0
		}
		srv.Register(server.Operation{Service: Service, Name: o.name, Pattern: o.pattern, Flags: flags,
			REST: func(ctx context.Context, c *server.Call) (int, any, error) {
				out, err := run(a, ctx, c)
				if err != nil {
					return 0, nil, err
				}
				return http.StatusOK, out, nil
			},
			Target: func(ctx context.Context, c *server.Call) server.Target {
				return server.Target{Action: action, Resource: "*"}
			}})
	}
}

// validationError is a ValidationException: a field missing, of the wrong
// form, or out of its bounds. The message names the field, and the body
// carries the model's reason and fieldList, as Access Analyzer's do.
func validationError(field, message string) error {
	e := server.Errorf(codeValidation, field+": "+message)
	e.Body = validationBody{Message: e.Message, Reason: "fieldValidationFailed",
		FieldList: []validationField{{Name: field, Message: message}}}
	return e
}

// validationBody is ValidationException's shape in the accessanalyzer
// model: message, reason (ValidationExceptionReason) and fieldList.
type validationBody struct {
	Message   string            `json:"message"`
	Reason    string            `json:"reason"`
	FieldList []validationField `json:"fieldList"`
}

// validationField is one ValidationExceptionField.
type validationField struct {
	Name    string `json:"name"`
	Message string `json:"message"`
}

// invalidParameter is an InvalidParameterException: a policy document that
// is not a policy the check can read.
func invalidParameter(message string) error {
	return server.Errorf(codeInvalidParameter, message)
}

// OperationNames lists the operations Register serves.
func OperationNames() []string {
	var names []string
	for _, o := range operations() {
		names = append(names, o.name)
	}
	return names
}
