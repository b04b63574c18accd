package server_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awscreds "github.com/aws/aws-sdk-go-v2/credentials"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/iamq/iamq/eval"
	"github.com/iamq/iamq/internal/api/iamapi"
	"github.com/iamq/iamq/internal/authz"
	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/managed"
	"github.com/iamq/iamq/internal/server"
	"github.com/iamq/iamq/internal/server/servertest"
	"github.com/iamq/iamq/internal/store"
)

// This file plugs a small REST-JSON service, "notes", into the HTTP core
// through its public registration API alone, as Amazon MQ and Access
// Analyzer plug in (issue 15): its operations, their targets and its error
// codes. Nothing of it is in the core's files.

const notesAccount = "444455556666"

// notes is the fake service's domain: notes with a team tag, and a lock that
// makes an IAM change (a Deny on the caller) as a service's domain may.
type notes struct {
	iam  *iam.Service
	team map[string]string // note id → its team tag
}

var errNoSuchNote = errors.New("notes: no such note")

func (n *notes) get(id string) (string, error) {
	team, ok := n.team[id]
	if !ok {
		return "", errNoSuchNote
	}
	return team, nil
}

// lock denies the caller every notes action from now on.
func (n *notes) lock(ctx context.Context, account, user string) error {
	return n.iam.PutInlinePolicy(ctx, account, iam.EntityRef{Kind: iam.KindUser, Name: user}, "locked",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"notes:*","Resource":"*"}]}`)
}

// registerNotes is the fake service's wire package.
func registerNotes(srv *server.Server, n *notes) {
	const svc server.Service = "notes"
	srv.Errors(svc,
		server.ErrorCode{Err: errNoSuchNote, Code: "ResourceNotFoundException", Status: http.StatusNotFound, Fault: server.Sender},
		server.ErrorCode{Err: authz.ErrAccessDenied, Code: "AccessDeniedException", Status: http.StatusForbidden, Fault: server.Sender})
	srv.Register(server.Operation{Service: svc, Name: "GetNote", Pattern: "GET /v1/notes/{id}",
		REST: func(ctx context.Context, c *server.Call) (int, any, error) {
			team, err := n.get(c.HTTP.PathValue("id"))
			if err != nil {
				return 0, nil, err
			}
			return http.StatusOK, map[string]string{"id": c.HTTP.PathValue("id"), "team": team}, nil
		},
		Target: func(ctx context.Context, c *server.Call) server.Target {
			id := c.HTTP.PathValue("id")
			t := server.Target{Action: "notes:GetNote", Resource: "arn:aws:notes:us-east-1:" + c.Caller.Account + ":note/" + id}
			if team, err := n.get(id); err == nil {
				t.Keys = func(ec *eval.Context) { ec.Add("aws:ResourceTag/team", eval.String(team)) }
			}
			return t
		}})
	srv.Register(server.Operation{Service: svc, Name: "LockMe", Pattern: "POST /v1/lock",
		REST: func(ctx context.Context, c *server.Call) (int, any, error) {
			return http.StatusOK, map[string]bool{"locked": true}, n.lock(ctx, c.Caller.Account, c.Caller.Name)
		}})
}

func TestFakeRESTService(t *testing.T) {
	ctx := context.Background()
	st := servertest.OpenSQLite(t, store.Options{Key: bytes.Repeat([]byte{3}, 32)})
	lib := managed.Builtin()
	az := authz.New(st, lib, authz.Options{})
	changes := servertest.Follow(t, st, az.Apply)
	svc := iam.New(st, lib, iam.Options{})
	creds := authz.NewCredentials(st, authz.CredentialsOptions{DevAccount: func(ctx context.Context, id string) error { return iam.EnsureAccount(ctx, st, id, "dev "+id) }})
	changes.Subscribe(creds.Apply)
	srv := server.New(server.Options{Credentials: creds, Authz: az, Sync: changes.Sync, Dev: true, DefaultAccount: notesAccount})
	iamapi.Register(srv, svc, az)
	registerNotes(srv, &notes{iam: svc, team: map[string]string{"1": "blue", "2": "red"}})
	ts := servertest.Start(srv)
	t.Cleanup(ts.Close)

	// alice may read her team's notes and lock herself out.
	root := awsiam.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(ts.URL), HTTPClient: ts.Client(),
		Credentials: awscreds.NewStaticCredentialsProvider(notesAccount, "x", ""), Retryer: servertest.Retryer})
	if _, err := root.CreateUser(ctx, &awsiam.CreateUserInput{UserName: aws.String("alice")}); err != nil {
		t.Fatal(err)
	}
	k, err := root.CreateAccessKey(ctx, &awsiam.CreateAccessKeyInput{UserName: aws.String("alice")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = root.PutUserPolicy(ctx, &awsiam.PutUserPolicyInput{UserName: aws.String("alice"), PolicyName: aws.String("notes"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[
			{"Effect":"Allow","Action":"notes:GetNote","Resource":"arn:aws:notes:*:*:note/*","Condition":{"StringEquals":{"aws:ResourceTag/team":"blue"}}},
			{"Effect":"Allow","Action":"notes:LockMe","Resource":"*"}]}`)})
	if err != nil {
		t.Fatal(err)
	}
	keyID, secret := aws.ToString(k.AccessKey.AccessKeyId), aws.ToString(k.AccessKey.SecretAccessKey)
	call := func(method, path string, signed bool) (int, string, string) {
		t.Helper()
		r, err := http.NewRequest(method, ts.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		if signed {
			servertest.Sign(t, r, nil, keyID, secret, "us-east-1", "notes", time.Now())
		}
		resp, err := ts.Client().Do(r)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("X-Amzn-Errortype"), string(body)
	}
	tests := []struct {
		name, method, path string
		signed             bool
		status             int
		errType, contains  string
	}{
		{"unsigned", "GET", "/v1/notes/1", false, 403, "MissingAuthenticationToken", "message"},
		{"allowed by the tag condition", "GET", "/v1/notes/1", true, 200, "", `"team":"blue"`},
		{"denied by the tag condition", "GET", "/v1/notes/2", true, 403, "AccessDeniedException",
			"not authorized to perform: notes:GetNote on resource: arn:aws:notes:us-east-1:" + notesAccount + ":note/2"},
		{"not found in its own envelope", "GET", "/v1/notes/9", true, 403, "AccessDeniedException", "note/9"},
		{"a write through its domain", "POST", "/v1/lock", true, 200, "", `"locked":true`},
		{"enforced on the very next request", "GET", "/v1/notes/1", true, 403, "AccessDeniedException", "explicit deny"},
	}
	for _, tt := range tests {
		status, errType, body := call(tt.method, tt.path, tt.signed)
		if status != tt.status || errType != tt.errType || !strings.Contains(body, tt.contains) {
			t.Errorf("%s: %s %s = %d %q %s, want %d %q containing %q", tt.name, tt.method, tt.path, status, errType, body, tt.status, tt.errType, tt.contains)
		}
	}
	// The service's own not-found, for a caller allowed to ask.
	if _, err := root.PutUserPolicy(ctx, &awsiam.PutUserPolicyInput{UserName: aws.String("alice"), PolicyName: aws.String("locked"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"notes:GetNote","Resource":"*"}]}`)}); err != nil {
		t.Fatal(err)
	}
	if status, errType, body := call("GET", "/v1/notes/9", true); status != 404 || errType != "ResourceNotFoundException" || !strings.Contains(body, `"message"`) {
		t.Errorf("GET /v1/notes/9 = %d %q %s, want 404 ResourceNotFoundException", status, errType, body)
	}
}
