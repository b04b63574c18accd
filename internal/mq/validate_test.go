package mq

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/iamq/iamq/internal/authz"
)

// createCase is one CreateBroker input of testdata/create-broker.json and
// the attribute its refusal names ("" for an accepted input).
type createCase struct {
	Name      string          `json:"name"`
	Attribute string          `json:"attribute"`
	Input     json.RawMessage `json:"input"`
}

func loadCreateCases(tb testing.TB) []createCase {
	tb.Helper()
	b, err := os.ReadFile("testdata/create-broker.json")
	if err != nil {
		tb.Fatal(err)
	}
	var cases []createCase
	if err := json.Unmarshal(b, &cases); err != nil {
		tb.Fatal(err)
	}
	return cases
}

var testCaller = &Caller{Principal: authz.Root("123456789012"), Info: authz.RequestInfo{Region: "us-east-1"}}

// TestNewBroker checks the corpus: accepted inputs make a broker, refused
// ones a BadRequestException naming the attribute.
func TestNewBroker(t *testing.T) {
	s := New(nil, nil, nil, Options{})
	now := time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)
	for _, tt := range loadCreateCases(t) {
		t.Run(tt.Name, func(t *testing.T) {
			var in CreateBrokerInput
			if err := json.Unmarshal(tt.Input, &in); err != nil {
				t.Fatal(err)
			}
			b, _, err := s.newBroker(context.Background(), testCaller, &in, now)
			var e *Error
			switch {
			case tt.Attribute == "" && err != nil:
				t.Errorf("newBroker(%s) = %v, want a broker", tt.Name, err)
			case tt.Attribute == "":
				checkBroker(t, b)
			case !errors.As(err, &e) || !errors.Is(err, ErrBadRequest) || e.Attribute != tt.Attribute:
				t.Errorf("newBroker(%s) = %v, want BadRequest naming %s", tt.Name, err, tt.Attribute)
			}
		})
	}
}

// checkBroker holds for every broker newBroker makes.
func checkBroker(t *testing.T, b *broker) {
	t.Helper()
	it, ok := lookupInstance(b.HostInstanceType)
	switch {
	case checkBrokerName(b.Name) != nil:
		t.Errorf("broker name %q", b.Name)
	case !ok || it.engines[b.EngineType] == nil:
		t.Errorf("instance %s for %s", b.HostInstanceType, b.EngineType)
	case !slices.Contains(deploymentModes(b.EngineType, it.name), b.DeploymentMode):
		t.Errorf("deployment %s on %s", b.DeploymentMode, it.name)
	case !slices.Contains(storageTypes(b.EngineType, it.name), b.StorageType):
		t.Errorf("storage %s on %s", b.StorageType, it.name)
	case b.LDAP != nil && b.LDAP.ServiceAccountPassword != "":
		t.Error("the LDAP service account's password is kept")
	}
	if _, err := pickVersion(b.EngineType, it, b.EngineVersion); err != nil {
		t.Errorf("version %s: %v", b.EngineVersion, err)
	}
}

// FuzzCreateBrokerInput: any JSON body either makes a broker that keeps
// every rule or is refused as a BadRequestException, never anything else.
func FuzzCreateBrokerInput(f *testing.F) {
	for _, c := range loadCreateCases(f) {
		f.Add([]byte(c.Input))
	}
	s := New(nil, nil, nil, Options{})
	now := time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, body []byte) {
		var in CreateBrokerInput
		if json.Unmarshal(body, &in) != nil {
			return
		}
		b, users, err := s.newBroker(context.Background(), testCaller, &in, now)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, ErrBadRequest) || e.Attribute == "" {
				t.Fatalf("newBroker(%s) = %v, want a BadRequest naming an attribute", body, err)
			}
			return
		}
		checkBroker(t, b)
		for _, u := range users {
			if checkUser(b.EngineType, &UserInput{Username: u.Username, Password: "correct-horse-1"}, true) != nil {
				t.Errorf("user %q was accepted", u.Username)
			}
		}
	})
}

// TestCheckPassword is the model's rule for broker passwords.
func TestCheckPassword(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"correct-horse-1", true},
		{"abcdabcdabcd", true},
		{"abcabcabcabc", false}, // 3 unique characters
		{"short-1", false},
		{"no,commas-here", false},
		{"no:colons-here", false},
		{"no=equals-here", false},
		{string(make([]byte, 251)), false},
	}
	for _, tt := range tests {
		if err := checkPassword(tt.in); (err == nil) != tt.ok {
			t.Errorf("checkPassword(%q) = %v, want ok %v", tt.in, err, tt.ok)
		}
	}
}
