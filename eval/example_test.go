package eval_test

import (
	"fmt"
	"net/netip"

	"github.com/iamq/iamq/eval"
	"github.com/iamq/iamq/policy"
)

func Example() {
	doc, err := policy.Parse(`{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "ReadBrokers", "Effect": "Allow", "Action": "mq:Describe*",
     "Resource": "arn:aws:mq:us-east-1:111122223333:broker:*",
     "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}},
    {"Sid": "NeverDelete", "Effect": "Deny", "Action": "mq:DeleteBroker", "Resource": "*"}
  ]
}`)
	if err != nil {
		panic(err)
	}
	// Compile once per principal; the Set is safe for concurrent use.
	set, err := eval.Compile(eval.Policies{
		Identity: []eval.Policy{{ID: "arn:aws:iam::111122223333:policy/mq-read", Version: "v1", Document: doc}},
	})
	if err != nil {
		panic(err)
	}
	// A Context is reused from request to request without allocating.
	var ctx eval.Context
	ctx.Add("aws:SourceIp", eval.IP(netip.MustParseAddr("203.0.113.7")))
	req := &eval.Request{
		Principal: eval.Principal{Kind: eval.PrincipalUser, ARN: "arn:aws:iam::111122223333:user/alice", Account: "111122223333"},
		Action:    "mq:DescribeBroker",
		Resource:  "arn:aws:mq:us-east-1:111122223333:broker:orders:b-1234",
		Context:   &ctx,
	}
	fmt.Println(set.Evaluate(req))

	req.Action = "mq:DeleteBroker"
	e := set.Explain(req)
	fmt.Println(e.Decision, e.Statements[0].Sid, e.Statements[0].Start.Line)

	ctx.Reset()
	req.Action = "mq:DescribeBroker"
	e = set.Explain(req)
	fmt.Println(e.Decision, e.Lacking, e.MissingContextKeys)
	// Output:
	// allowed
	// explicitDeny NeverDelete 7
	// implicitDeny [identity] [aws:SourceIp]
}
