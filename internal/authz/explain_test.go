package authz

import (
	"testing"

	"github.com/iamq/iamq/eval"
	"github.com/iamq/iamq/policy"
)

func compileIdentity(t *testing.T, doc string) *eval.Set {
	t.Helper()
	d, err := policy.Parse(doc)
	if err != nil {
		t.Fatal(err)
	}
	s, err := eval.Compile(eval.Policies{Identity: []eval.Policy{{ID: "p", Document: d}}})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestExplanationsCache: an allowed request's explanation is kept when the
// set uses no context key, and made afresh, with the request's own context,
// when it does.
func TestExplanationsCache(t *testing.T) {
	var e explanations
	principal := eval.Principal{Kind: eval.PrincipalUser, ARN: "arn:aws:iam::111122223333:user/a", Account: "111122223333"}
	made := 0
	ctx := func(ip string) func() *eval.Context {
		return func() *eval.Context {
			made++
			c := new(eval.Context)
			if ip != "" {
				c.Add("aws:SourceIp", eval.String(ip))
			}
			return c
		}
	}
	plain := compileIdentity(t, `{"Version":"2012-10-17","Statement":[{"Sid":"S","Effect":"Allow","Action":"iam:GetUser","Resource":"*"}]}`)
	x1 := e.explain(plain, &eval.Request{Principal: principal, Action: "iam:GetUser", Resource: "r"}, ctx(""))
	x2 := e.explain(plain, &eval.Request{Principal: principal, Action: "IAM:getuser", Resource: "r"}, ctx(""))
	if x1 != x2 || made != 1 || x1.Decision != eval.Allowed || len(x1.Statements) != 1 || x1.Statements[0].Sid != "S" {
		t.Errorf("explain twice without conditions: same = %v, contexts made %d, %+v; want one explanation by S, kept", x1 == x2, made, x1)
	}
	if x3 := e.explain(plain, &eval.Request{Principal: principal, Action: "iam:GetUser", Resource: "other"}, ctx("")); x3 == x1 {
		t.Error("another resource got the cached explanation")
	}
	cond := compileIdentity(t, `{"Version":"2012-10-17","Statement":[{"Sid":"Net","Effect":"Allow","Action":"iam:GetUser","Resource":"*",`+
		`"Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}`)
	in := e.explain(cond, &eval.Request{Principal: principal, Action: "iam:GetUser", Resource: "r"}, ctx("10.1.2.3"))
	out := e.explain(cond, &eval.Request{Principal: principal, Action: "iam:GetUser", Resource: "r"}, ctx("192.0.2.1"))
	if in == out || len(in.Statements) != 1 || len(out.Statements) != 0 {
		t.Errorf("explain with a condition: %+v then %+v; want the statement for 10.1.2.3 only, each made afresh", in, out)
	}
}
