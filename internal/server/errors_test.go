package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/iamq/iamq/eval"
	"github.com/iamq/iamq/internal/server/requestid"
	"github.com/iamq/iamq/internal/server/servertest"
	"github.com/iamq/iamq/internal/store"
)

// The codes of the service the tests register, as IAM names them.
const (
	codeInvalidInput   Code = "InvalidInput"
	codeNoSuchEntity   Code = "NoSuchEntity"
	codeEntityExists   Code = "EntityAlreadyExists"
	codeLimitExceeded  Code = "LimitExceeded"
	codeDeleteConflict Code = "DeleteConflict"
)

func TestErrorTable(t *testing.T) {
	tests := []struct {
		name    string
		err     error
		code    Code
		status  int
		fault   Fault
		message string
	}{
		{"not found", fmt.Errorf("%w: The user with name Bob cannot be found.", store.ErrNotFound), codeNoSuchEntity, 404, Sender, "The user with name Bob cannot be found."},
		{"exists", fmt.Errorf("%w: User with name Bob already exists.", store.ErrAlreadyExists), codeEntityExists, 409, Sender, "User with name Bob already exists."},
		{"limit", &store.LimitError{Quota: store.QuotaPoliciesPerUser, Limit: 10, Message: "Cannot exceed quota for PoliciesPerUser: 10"}, codeLimitExceeded, 409, Sender, "Cannot exceed quota for PoliciesPerUser: 10"},
		{"delete conflict", &store.DeleteConflictError{Message: "Cannot delete entity, must detach all policies first."}, codeDeleteConflict, 409, Sender, "Cannot delete entity, must detach all policies first."},
		{"wrapped twice", fmt.Errorf("iam: attaching: %w", fmt.Errorf("%w: Policy arn:aws:iam::1:policy/x does not exist.", store.ErrNotFound)), codeNoSuchEntity, 404, Sender, "Policy arn:aws:iam::1:policy/x does not exist."},
		{"api error", Errorf(codeInvalidInput, "bad path"), codeInvalidInput, 400, Sender, "bad path"},
		{"unknown", errors.New("disk full at /var/lib/secret"), CodeServiceFailure, 500, Receiver, msgServiceFailure},
	}
	// The store's errors as a service registers them; another service that
	// did not register them sees a ServiceFailure.
	s := New(Options{})
	s.Errors("svc",
		ErrorCode{store.ErrNotFound, codeNoSuchEntity, 404, Sender},
		ErrorCode{store.ErrAlreadyExists, codeEntityExists, 409, Sender},
		ErrorCode{store.ErrLimitExceeded, codeLimitExceeded, 409, Sender},
		ErrorCode{store.ErrDeleteConflict, codeDeleteConflict, 409, Sender})
	if e, known := s.toAPIError("other", store.ErrNotFound); known || e.Code != CodeServiceFailure {
		t.Errorf("toAPIError(other, ErrNotFound) = %+v, %v; want a ServiceFailure: other did not register it", e, known)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, known := s.toAPIError("svc", tt.err)
			if e.Code != tt.code || e.Status != tt.status || e.Fault != tt.fault || e.Message != tt.message || known != (tt.code != CodeServiceFailure) {
				t.Errorf("toAPIError(%v) = %+v %v, want %s %d %s %q", tt.err, e, known, tt.code, tt.status, tt.fault, tt.message)
			}
		})
	}
}

// TestOperationErrors drives the protocol layer through test operations:
// validation, unknown action, unknown failures (logged, not returned), and
// the Authorize hook.
func TestOperationErrors(t *testing.T) {
	denied := errors.New("denied")
	f := newFixture(t, Options{Authorize: func(ctx context.Context, c *Call) error {
		if c.Action == "CreateUser" && c.Caller.Kind != eval.PrincipalRoot {
			return &APIError{Code: CodeAccessDenied, Message: "User: " + c.Caller.ARN + " is not authorized to perform: iam:CreateUser", Status: 403, Fault: Sender}
		}
		if c.Action == "DeleteUser" {
			return denied
		}
		return nil
	}})
	f.s.Query(serviceIAM, "CreateUser", func(ctx context.Context, c *Call) (any, error) {
		name := c.Form.String("UserName")
		c.Form.Members("Tags")
		for _, tag := range c.Form.Members("Tags") {
			tag.String("Key")
		}
		if err := c.Form.Err(); err != nil {
			return nil, err
		}
		return struct {
			User struct{ UserName string } `xml:"User"`
		}{User: struct{ UserName string }{name}}, nil
	})
	f.s.Query(serviceIAM, "ListUsers", func(ctx context.Context, c *Call) (any, error) {
		return nil, errors.New("database detail that must not leak")
	})
	f.s.Query(serviceIAM, "DeleteUser", func(ctx context.Context, c *Call) (any, error) { return nil, nil })
	iam := func(key, secret, body string) *http.Request {
		return f.signed(t, key, secret, "us-east-1", "iam", body, f.s.opts.Now())
	}
	tests := []struct {
		name    string
		req     *http.Request
		status  int
		code    string
		message string
	}{
		{"ok", iam(rootKeyID, rootSecret, "Action=CreateUser&Version=2010-05-08&UserName=Bob"), 200, "", ""},
		{"missing parameter", iam(rootKeyID, rootSecret, "Action=CreateUser&Version=2010-05-08"), 400, "ValidationError",
			"1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null"},
		{"missing parameters", iam(rootKeyID, rootSecret, "Action=CreateUser&Version=2010-05-08&Tags.member.1.Value=v"), 400, "ValidationError",
			"2 validation errors detected: Value null at 'userName' failed to satisfy constraint: Member must not be null; Value null at 'tags.member.1.key' failed to satisfy constraint: Member must not be null"},
		{"unknown action", iam(rootKeyID, rootSecret, "Action=CreateUsers&Version=2010-05-08"), 400, "InvalidAction", "Could not find operation CreateUsers for version 2010-05-08"},
		{"missing action", iam(rootKeyID, rootSecret, "Version=2010-05-08"), 400, "MissingAction", "Missing Action"},
		{"sts action at iam", iam(rootKeyID, rootSecret, "Action=GetCallerIdentity&Version=2010-05-08"), 400, "InvalidAction", "Could not find operation GetCallerIdentity"},
		{"service failure", iam(rootKeyID, rootSecret, "Action=ListUsers&Version=2010-05-08"), 500, "ServiceFailure", msgServiceFailure},
		{"authorize denies", iam(userKeyID, userSecret, "Action=CreateUser&Version=2010-05-08&UserName=Bob"), 403, "AccessDenied",
			"User: arn:aws:iam::" + testAccount + ":user/engineering/Alice is not authorized to perform: iam:CreateUser"},
		{"authorize fails", iam(rootKeyID, rootSecret, "Action=DeleteUser&Version=2010-05-08&UserName=Bob"), 500, "ServiceFailure", msgServiceFailure},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, e, body := servertest.Send(t, tt.req)
			if status != tt.status || e.Error.Code != tt.code || !strings.HasPrefix(e.Error.Message, tt.message) {
				t.Fatalf("%s: got %d %s, want %d %s %q", tt.name, status, body, tt.status, tt.code, tt.message)
			}
			if tt.status == 200 && !strings.Contains(string(body), `<CreateUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><CreateUserResult><User><UserName>Bob</UserName></User></CreateUserResult><ResponseMetadata><RequestId>`) {
				t.Errorf("CreateUser body = %s", body)
			}
		})
	}
	if logs := f.logs.String(); !strings.Contains(logs, "database detail that must not leak") || !strings.Contains(logs, "service failure") {
		t.Errorf("the failure's detail was not logged: %s", logs)
	}
}

func TestErrorEnvelope(t *testing.T) {
	b := appendQueryError(nil, "https://sts.amazonaws.com/doc/2011-06-15/", Errorf(CodeValidationError, `a < b & "c"`), "rid-1")
	want := `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>ValidationError</Code>` +
		`<Message>a &lt; b &amp; &quot;c&quot;</Message></Error><RequestId>rid-1</RequestId></ErrorResponse>`
	if string(b) != want {
		t.Errorf("appendQueryError = %s, want %s", b, want)
	}
}

// TestFailureLoggedWithRequestID: the detail of a ServiceFailure is logged
// with the request id the client got, and only there.
func TestFailureLoggedWithRequestID(t *testing.T) {
	f := newFixture(t, Options{})
	f.s.Query(serviceSTS, "Explode", func(ctx context.Context, c *Call) (any, error) {
		if requestid.FromContext(ctx) != c.RequestID {
			return nil, fmt.Errorf("context request id %q, call's %q", requestid.FromContext(ctx), c.RequestID)
		}
		return nil, errors.New("the disk is on fire")
	})
	status, e, body := servertest.Send(t, f.signed(t, rootKeyID, rootSecret, "us-east-1", "sts", "Action=Explode&Version=2011-06-15", f.s.opts.Now()))
	if status != 500 || e.Error.Code != "ServiceFailure" || e.Error.Type != "Receiver" || strings.Contains(string(body), "fire") {
		t.Fatalf("Explode = %d %s", status, body)
	}
	logs := f.logs.String()
	if !strings.Contains(logs, "the disk is on fire") || !strings.Contains(logs, "request_id="+e.RequestID) {
		t.Errorf("log lacks the detail or request_id=%s:\n%s", e.RequestID, logs)
	}
}

// TestQueryOperationNeedsItsService: an operation of a Query service that was
// never added could not be dispatched; registering it is refused at once.
func TestQueryOperationNeedsItsService(t *testing.T) {
	s := New(Options{})
	defer func() {
		if recover() == nil {
			t.Error("Query of a service never added did not panic")
		}
	}()
	s.Query("nosuch", "Describe", func(context.Context, *Call) (any, error) { return nil, nil })
}
