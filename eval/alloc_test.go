package eval

import (
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/iamq/iamq/policy"
)

func mustParse(t testing.TB, text string) *policy.Document {
	t.Helper()
	d, err := policy.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestEvaluateAllocs pins the zero-allocation paths: allow, implicit deny and
// explicit deny, with conditions, variables and a reused Context.
func TestEvaluateAllocs(t *testing.T) {
	doc := mustParse(t, `{"Version": "2012-10-17", "Statement": [
	  {"Effect": "Allow", "Action": ["mq:Describe*", "mq:ListBrokers", "s3:GetObject"], "Resource": ["arn:aws:mq:*:*:broker:*", "arn:aws:s3:::home/${aws:username}/*"],
	   "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}, "DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"},
	     "StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}, "ForAnyValue:StringLike": {"aws:TagKeys": ["team", "env*"]},
	     "Bool": {"aws:SecureTransport": "true"}, "ArnLike": {"aws:SourceArn": "arn:aws:sns:*:111122223333:*"}}},
	  {"Effect": "Deny", "Action": "mq:DeleteBroker", "Resource": "*"}]}`)
	boundary := mustParse(t, `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["mq:*", "s3:*"], "Resource": "*"}]}`)
	set, err := Compile(Policies{Identity: []Policy{{ID: "p", Document: doc}}, Boundary: []Policy{{ID: "b", Document: boundary}}})
	if err != nil {
		t.Fatal(err)
	}
	var ctx Context
	req := &Request{
		Principal: Principal{Kind: PrincipalUser, ARN: "arn:aws:iam::111122223333:user/alice", Account: "111122223333", Tags: []Tag{{Key: "team", Value: "blue"}}},
		Resource:  "arn:aws:mq:us-east-1:111122223333:broker:b:b-1",
		Context:   &ctx,
	}
	fill := func() {
		ctx.Reset()
		ctx.Add("aws:SourceIp", IP(netip.MustParseAddr("10.1.2.3")))
		ctx.Add("aws:CurrentTime", Time(time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)))
		ctx.Add("aws:ResourceTag/team", String("blue"))
		ctx.Add("aws:TagKeys", String("team"), String("env-x"))
		ctx.Add("aws:SecureTransport", Bool(true))
		ctx.Add("aws:SourceArn", String("arn:aws:sns:us-east-1:111122223333:t"))
	}
	tests := []struct {
		name, action, resource string
		want                   Decision
	}{
		{"allow", "mq:DescribeBroker", "arn:aws:mq:us-east-1:111122223333:broker:b:b-1", Allowed},
		{"variable in resource", "s3:GetObject", "arn:aws:s3:::home/alice/x", Allowed},
		{"implicit deny", "mq:RebootBroker", "arn:aws:mq:us-east-1:111122223333:broker:b:b-1", ImplicitDeny},
		{"explicit deny", "mq:DeleteBroker", "*", ExplicitDeny},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req.Action, req.Resource = tt.action, tt.resource
			fill()
			if got := set.Evaluate(req); got != tt.want {
				t.Fatalf("Evaluate(%s) = %v, want %v", tt.action, got, tt.want)
			}
			allocs := testing.AllocsPerRun(100, func() {
				fill()
				set.Evaluate(req)
			})
			if allocs != 0 {
				t.Errorf("Evaluate(%s) with a reused Context: %v allocations, want 0", tt.action, allocs)
			}
			var why Reason
			allocs = testing.AllocsPerRun(100, func() {
				fill()
				set.EvaluateReason(req, &why)
			})
			if allocs != 0 {
				t.Errorf("EvaluateReason(%s) with a reused Context: %v allocations, want 0", tt.action, allocs)
			}
			if n := why.Len(); (tt.want == Allowed) != (n == 2) {
				t.Errorf("EvaluateReason(%s) named %d statements (identity and boundary allow), want 2 for an allowed call, else 0", tt.action, n)
			}
		})
	}
}

// TestEvaluateConcurrent decides from many goroutines at once on a fresh set,
// so that the action cache fills concurrently; run with -race.
func TestEvaluateConcurrent(t *testing.T) {
	set := mqUserSet(t)
	actions := []string{"mq:DescribeBroker", "mq:DeleteBroker", "MQ:listbrokers", "logs:GetLogEvents", "iam:CreateUser", "mq:CreateUser"}
	resources := []string{"arn:aws:mq:us-east-1:111122223333:broker:team3-orders:b-1", "arn:aws:mq:us-east-1:111122223333:broker:prod-1:b-2", "*"}
	fresh := mqUserSet(t)
	want := map[[2]string]Decision{}
	for _, a := range actions {
		for _, res := range resources {
			want[[2]string{a, res}] = fresh.Explain(&Request{Principal: alice(), Action: a, Resource: res}).Decision
		}
	}
	done := make(chan error)
	for g := 0; g < 8; g++ {
		go func() {
			var err error
			for i := 0; i < 200; i++ {
				a, res := actions[(g+i)%len(actions)], resources[i%len(resources)]
				if got := set.Evaluate(&Request{Principal: alice(), Action: a, Resource: res}); got != want[[2]string{a, res}] && err == nil {
					err = fmt.Errorf("Evaluate(%s, %s) = %v, want %v", a, res, got, want[[2]string{a, res}])
				}
			}
			done <- err
		}()
	}
	for g := 0; g < 8; g++ {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}
