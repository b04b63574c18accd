package iamapi

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/iamq/iamq/internal/server/servertest"
)

// TestQueryVersion: a Query call naming a Version other than its service's,
// or none, runs nothing and is refused as AWS refuses it.
func TestQueryVersion(t *testing.T) {
	f := newIDFixture(t)
	tests := []struct {
		name, service, form string
		status              int
		code, message       string
	}{
		{"IAM's version", "iam", "Action=CreateUser&UserName=v1&Version=2010-05-08", http.StatusOK, "", ""},
		{"a future version", "iam", "Action=CreateUser&UserName=v2&Version=2099-01-01", http.StatusBadRequest,
			"InvalidAction", "Could not find operation CreateUser for version 2099-01-01"},
		{"STS's version on IAM", "iam", "Action=CreateUser&UserName=v3&Version=2011-06-15", http.StatusBadRequest,
			"InvalidAction", "Could not find operation CreateUser for version 2011-06-15"},
		{"no version", "iam", "Action=CreateUser&UserName=v4", http.StatusBadRequest,
			"InvalidAction", "Could not find operation CreateUser for version NO_VERSION_SPECIFIED"},
		{"STS's version", "sts", "Action=GetCallerIdentity&Version=2011-06-15", http.StatusOK, "", ""},
		{"IAM's version on STS", "sts", "Action=GetCallerIdentity&Version=2010-05-08", http.StatusBadRequest,
			"InvalidAction", "Could not find operation GetCallerIdentity for version 2010-05-08"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := http.NewRequest(http.MethodPost, f.srv.URL+"/", strings.NewReader(tt.form))
			if err != nil {
				t.Fatal(err)
			}
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
			if tt.service != "" {
				servertest.Sign(t, r, []byte(tt.form), idAccount, "anything", "us-east-1", tt.service, time.Now())
			}
			status, e, body := servertest.Send(t, r)
			if status != tt.status || e.Error.Code != tt.code || e.Error.Message != tt.message {
				t.Fatalf("POST %s = %d %s %q, want %d %s %q: %s", tt.form, status, e.Error.Code, e.Error.Message, tt.status, tt.code, tt.message, body)
			}
		})
	}
	users := must(f.c.ListUsers(context.Background(), &awsiam.ListUsersInput{}))
	if len(users.Users) != 1 || aws.ToString(users.Users[0].UserName) != "v1" {
		t.Errorf("users after the calls: %d, want only v1", len(users.Users))
	}
}

// TestQueryMethods: the Query endpoint runs calls on GET and POST only;
// another method is refused with 405 before its request is read.
func TestQueryMethods(t *testing.T) {
	f := newIDFixture(t)
	const form = "Action=CreateUser&UserName=m&Version=2010-05-08"
	for _, method := range []string{http.MethodPut, http.MethodDelete, http.MethodPatch, http.MethodHead, "PROPFIND"} {
		t.Run(method, func(t *testing.T) {
			r, err := http.NewRequest(method, f.srv.URL+"/?"+form, strings.NewReader(form))
			if err != nil {
				t.Fatal(err)
			}
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
			servertest.Sign(t, r, []byte(form), idAccount, "anything", "us-east-1", "iam", time.Now())
			resp, err := http.DefaultClient.Do(r)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "GET, POST" {
				t.Fatalf("%s / = %d, Allow %q; want 405, GET, POST", method, resp.StatusCode, resp.Header.Get("Allow"))
			}
		})
	}
	users := must(f.c.ListUsers(context.Background(), &awsiam.ListUsersInput{}))
	if len(users.Users) != 0 {
		t.Errorf("%d users made by methods other than GET and POST", len(users.Users))
	}
	_, e, _ := servertest.Send(t, mustRequest(t, http.MethodPut, f.srv.URL+"/"))
	if e.Error.Code != "MethodNotAllowed" {
		t.Errorf("PUT / = %+v, want the Query error envelope with MethodNotAllowed", e)
	}
}

func mustRequest(t *testing.T, method, url string) *http.Request {
	t.Helper()
	r, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
