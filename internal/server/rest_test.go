package server

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/iamq/iamq/internal/server/servertest"
	"github.com/iamq/iamq/internal/store"
)

// TestREST drives the REST-JSON routing that Amazon MQ's operations plug into.
func TestREST(t *testing.T) {
	f := newFixture(t, Options{})
	f.s.REST(serviceMQ, "DescribeBroker", "GET /v1/brokers/{broker_id}", func(ctx context.Context, c *Call) (int, any, error) {
		switch id := c.HTTP.PathValue("broker_id"); id {
		case "missing":
			return 0, nil, &APIError{Code: "NotFoundException", Message: "Can't find requested broker [missing].", Status: 404, Fault: Sender}
		case "broken":
			return 0, nil, errors.New("internal detail")
		default:
			return http.StatusOK, map[string]string{"brokerId": id, "caller": c.Caller.ARN}, nil
		}
	})
	// The service's own table maps its domain errors (here, as a stand-in,
	// the store's not-found) into its envelope.
	f.s.Errors(serviceMQ, ErrorCode{store.ErrNotFound, codeNoSuchEntity, http.StatusNotFound, Sender})
	f.s.REST(serviceMQ, "CreateBroker", "POST /v1/brokers", func(ctx context.Context, c *Call) (int, any, error) {
		var in struct {
			BrokerName string `json:"brokerName"`
		}
		if err := c.DecodeJSON(&in); err != nil {
			return 0, nil, err
		}
		if in.BrokerName == "" {
			return 0, nil, store.ErrNotFound
		}
		return http.StatusOK, map[string]string{"brokerArn": "arn:aws:mq:us-east-1:" + c.Caller.Account + ":broker:" + in.BrokerName + ":b-1"}, nil
	})
	sign := func(method, path, service string) *http.Request {
		r, _ := http.NewRequest(method, f.srv.URL+path, nil)
		signWith(t, r, rootKeyID, rootSecret, service, f.s.opts.Now())
		return r
	}
	post := func(body string) *http.Request {
		r, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/v1/brokers", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		servertest.Sign(t, r, []byte(body), rootKeyID, rootSecret, "us-east-1", "mq", f.s.opts.Now())
		r.Body = io.NopCloser(strings.NewReader(body))
		return r
	}
	tests := []struct {
		name     string
		req      *http.Request
		status   int
		errType  string
		contains string
	}{
		{"ok", sign("GET", "/v1/brokers/b-1234", "mq"), 200, "", `"brokerId":"b-1234"`},
		{"caller", sign("GET", "/v1/brokers/b-1", "mq"), 200, "", `"caller":"arn:aws:iam::` + testAccount + `:root"`},
		{"not found", sign("GET", "/v1/brokers/missing", "mq"), 404, "NotFoundException", `"message":"Can't find requested broker [missing]."`},
		{"failure", sign("GET", "/v1/brokers/broken", "mq"), 500, "InternalServerErrorException", msgServiceFailure},
		{"domain error", sign("POST", "/v1/brokers", "mq"), 404, "NoSuchEntity", `"message"`},
		{"json body", post(`{"brokerName":"orders"}`), 200, "", `"brokerArn":"arn:aws:mq:us-east-1:` + testAccount + `:broker:orders:b-1"`},
		{"malformed json", post(`{"brokerName":`), 400, "BadRequestException", "The request body is not valid JSON"},
		{"signed for sts", sign("GET", "/v1/brokers/b-1", "sts"), 403, "SignatureDoesNotMatch", "Credential should be scoped to correct service: 'mq'. "},
		{"unsigned", func() *http.Request { r, _ := http.NewRequest("GET", f.srv.URL+"/v1/brokers/b-1", nil); return r }(), 403, "MissingAuthenticationToken", "Request is missing Authentication Token"},
		{"no route", sign("GET", "/v2/nothing", "mq"), 404, "UnknownOperationException", "No operation at GET /v2/nothing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := http.DefaultClient.Do(tt.req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.status || resp.Header.Get("x-amzn-ErrorType") != tt.errType || !strings.Contains(string(body), tt.contains) || !json.Valid(body) {
				t.Fatalf("%s = %d %q %s, want %d %q containing %q", tt.name, resp.StatusCode, resp.Header.Get("x-amzn-ErrorType"), body, tt.status, tt.errType, tt.contains)
			}
		})
	}
}
