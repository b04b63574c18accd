package iam

import (
	"errors"
	"testing"

	"github.com/iamq/iamq/eval"
)

func TestSimulate(t *testing.T) {
	set, err := CompileInputs([]string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"mq:Describe*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"${aws:username}"}}}]}`},
		[]string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"mq:*","Resource":"*"}]}`}, "")
	if err != nil {
		t.Fatal(err)
	}
	p := eval.Principal{Kind: eval.PrincipalUser, Account: "111122223333", ARN: "arn:aws:iam::111122223333:user/alice", Tags: []eval.Tag{{Key: "team", Value: "alice"}}}
	in := SimulateInput{Set: set, Principal: p, Actions: []string{"mq:DescribeBroker", "mq:DeleteBroker"}, Resources: []string{"a", "b"}, List: ListInput{MaxItems: 3}}
	tests := []struct {
		name   string
		marker string
		want   []eval.Decision
		next   string
	}{
		{"first page", "", []eval.Decision{eval.Allowed, eval.Allowed, eval.ImplicitDeny}, "3"},
		{"second page", "3", []eval.Decision{eval.ImplicitDeny}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in.List.Marker = tt.marker
			page, err := Simulate(in)
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Items) != len(tt.want) || page.Marker != tt.next || page.IsTruncated != (tt.next != "") {
				t.Fatalf("Simulate(%s) = %d items, marker %q, want %d, %q", tt.name, len(page.Items), page.Marker, len(tt.want), tt.next)
			}
			for i, r := range page.Items {
				if r.Decision != tt.want[i] {
					t.Errorf("Simulate(%s)[%d] %s on %s = %v, want %v", tt.name, i, r.Action, r.Resource, r.Decision, tt.want[i])
				}
				if r.Boundary == nil || !*r.Boundary {
					t.Errorf("Simulate(%s)[%d]: boundary detail %v, want allowed", tt.name, i, r.Boundary)
				}
			}
		})
	}
	first, _ := Simulate(SimulateInput{Set: set, Principal: p, Actions: []string{"mq:DescribeBroker"}})
	// The identity statement and the boundary's, each with its place.
	if m := first.Items[0].Matched; len(m) != 2 || m[0].SourcePolicyID != "PolicyInputList.1" || m[0].SourcePolicyType != "none" || m[0].Start.Column != 38 ||
		m[1].SourcePolicyID != "PermissionsBoundaryPolicyInputList.1" {
		t.Errorf("MatchedStatements = %+v", m)
	}
	bad := []struct {
		name string
		in   SimulateInput
		want error
	}{
		{"no actions", SimulateInput{Set: set, Principal: p}, ErrValidation},
		{"bad marker", SimulateInput{Set: set, Principal: p, Actions: []string{"a:b"}, List: ListInput{Marker: "9"}}, ErrInvalidInput},
		{"bad scenario", SimulateInput{Set: set, Principal: p, Actions: []string{"a:b"}, ResourceHandlingOption: "EC2-Classic"}, ErrInvalidInput},
		{"bad context value", SimulateInput{Set: set, Principal: p, Actions: []string{"a:b"}, Context: []ContextEntry{{Key: "k", Type: "numeric", Values: []string{"x"}}}}, ErrInvalidInput},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Simulate(tt.in); !errors.Is(err, tt.want) {
				t.Errorf("Simulate(%s) = %v, want %v", tt.name, err, tt.want)
			}
		})
	}
	if _, err := CompileInputs([]string{`{"Statement":`}, nil, ""); !errors.Is(err, ErrMalformedPolicy) {
		t.Errorf("CompileInputs(malformed) = %v, want ErrMalformedPolicy", err)
	}
}
