package server

import (
	"testing"

	"github.com/iamq/iamq/eval"
	"github.com/iamq/iamq/policy"
)

// TestReasonCacheShares: the log's authorization of an allowed call is the
// last one made of the same statements when the call's action and resource
// are the same (so the call allocates none and the log's writer compares
// addresses), a new one otherwise, and every one says what allowed it.
func TestReasonCacheShares(t *testing.T) {
	doc, err := policy.Parse(`{"Version": "2012-10-17", "Statement": [{"Sid": "s", "Effect": "Allow", "Action": "iam:Get*", "Resource": "*"},
		{"Sid": "t", "Effect": "Allow", "Action": "iam:List*", "Resource": "*"}]}`)
	if err != nil {
		t.Fatal(err)
	}
	set, err := eval.Compile(eval.Policies{Identity: []eval.Policy{{ID: "arn:aws:iam::111122223333:policy/p", Document: doc}}})
	if err != nil {
		t.Fatal(err)
	}
	var why eval.Reason
	req := &eval.Request{Principal: eval.Principal{Kind: eval.PrincipalUser, ARN: "arn:aws:iam::111122223333:user/u", Account: "111122223333"},
		Action: "iam:GetUser", Resource: "arn:aws:iam::111122223333:user/u"}
	if set.EvaluateReason(req, &why) != eval.Allowed {
		t.Fatal("the policy does not allow iam:GetUser")
	}
	var rc reasonCache
	a := rc.authorization(&why, "iam:GetUser", "arn:aws:iam::111122223333:user/u")
	if b := rc.authorization(&why, "iam:GetUser", "arn:aws:iam::111122223333:user/u"); b != a {
		t.Errorf("the same call again: a new authorization, want the last one shared")
	}
	other := rc.authorization(&why, "iam:GetUser", "arn:aws:iam::111122223333:user/v")
	if other == a || other.Resource != "arn:aws:iam::111122223333:user/v" || len(other.Statements) != 1 || &other.Statements[0] != &a.Statements[0] {
		t.Errorf("another resource: %+v, want a new authorization of the same statements", other)
	}
	if s := a.Statements; len(s) != 1 || s[0].Sid != "s" || s[0].Policy != "arn:aws:iam::111122223333:policy/p" || a.Action != "iam:GetUser" {
		t.Errorf("authorization %+v: want iam:GetUser allowed by the policy's statement s", a)
	}
	// Another Reason met in between: each keeps its own statements.
	var list eval.Reason
	req.Action, req.Resource = "iam:ListUsers", "*"
	if set.EvaluateReason(req, &list) != eval.Allowed {
		t.Fatal("the policy does not allow iam:ListUsers")
	}
	for range 2 {
		if l := rc.authorization(&list, "iam:ListUsers", "*"); len(l.Statements) != 1 || l.Statements[0].Sid != "t" {
			t.Errorf("iam:ListUsers: %+v, want it allowed by statement t", l)
		}
		if b := rc.authorization(&why, "iam:GetUser", "arn:aws:iam::111122223333:user/v"); b != other {
			t.Errorf("iam:GetUser again after iam:ListUsers: %+v, want the last one shared", b)
		}
	}
	var none eval.Reason
	if x, y := rc.authorization(&none, "iam:GetUser", "*"), rc.authorization(&none, "iam:GetUser", "*"); x == y || x.Statements != nil {
		t.Errorf("no statements named: %+v shared or with statements, want a new one each time without", x)
	}
}
