package bench

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/iamq/iamq/policy"
)

// doc is one IAM policy document of a workload.
type doc struct {
	id   string
	kind string // "identity" or "boundary"
	doc  *policy.Document
}

// ctxEntry is one context key of a request, engine-neutral.
type ctxEntry struct {
	key    string
	typ    string // string, ip, date, bool, strings
	values []string
}

// request is one request of a workload, engine-neutral.
type request struct {
	name     string
	action   string
	resource string
	context  []ctxEntry
}

// workload is a set of policies and the requests decided against them; the
// first request is the one timed.
type workload struct {
	name     string
	docs     []doc
	requests []request
	// cycle, when set, is a list of actions the timed loop goes through.
	cycle []string
}

const account = "111122223333"

func parse(tb testing.TB, text string) *policy.Document {
	tb.Helper()
	d, err := policy.Parse(text)
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

func managed(tb testing.TB, name string) *policy.Document {
	b, err := os.ReadFile(filepath.Join("..", "eval", "testdata", "managed", name))
	if err != nil {
		tb.Fatal(err)
	}
	return parse(tb, string(b))
}

// customerPolicies are the nine customer policies of eval's benchmark.
func customerPolicies(tb testing.TB) []doc {
	var out []doc
	for i := 0; i < 9; i++ {
		text := fmt.Sprintf(`{"Version": "2012-10-17", "Statement": [
  {"Sid": "Brokers%[1]d", "Effect": "Allow", "Action": ["mq:Describe*", "mq:List*"], "Resource": ["arn:aws:mq:us-east-1:111122223333:broker:team%[1]d-*", "arn:aws:mq:eu-west-1:111122223333:broker:shared-*"]},
  {"Sid": "Configs%[1]d", "Effect": "Allow", "Action": ["mq:CreateConfiguration", "mq:UpdateConfiguration", "mq:DescribeConfiguration*"], "Resource": "arn:aws:mq:*:111122223333:configuration:c-%[1]d*"},
  {"Sid": "Users%[1]d", "Effect": "Allow", "Action": ["mq:CreateUser", "mq:UpdateUser", "mq:DeleteUser"], "Resource": "arn:aws:mq:us-east-1:111122223333:broker:team%[1]d-*",
   "Condition": {"StringEquals": {"aws:ResourceTag/team": "team%[1]d"}}},
  {"Sid": "Logs%[1]d", "Effect": "Allow", "Action": ["logs:Get*", "logs:Describe*", "logs:FilterLogEvents"], "Resource": "arn:aws:logs:*:111122223333:log-group:/aws/amazonmq/broker/team%[1]d-*"},
  {"Sid": "NoProdDelete%[1]d", "Effect": "Deny", "Action": ["mq:DeleteBroker", "mq:RebootBroker"], "Resource": "arn:aws:mq:*:111122223333:broker:prod-*"}
]}`, i)
		out = append(out, doc{id: fmt.Sprintf("team%d", i), kind: "identity", doc: parse(tb, text)})
	}
	return out
}

func mqWorkload(tb testing.TB) workload {
	docs := append([]doc{{id: "AmazonMQFullAccess", kind: "identity", doc: managed(tb, "AmazonMQFullAccess-v5.json")}}, customerPolicies(tb)...)
	broker := "arn:aws:mq:us-east-1:111122223333:broker:team3-orders:b-1234"
	return workload{name: "AmazonMQFullAccess+9", docs: docs, requests: []request{
		{name: "DescribeBroker", action: "mq:DescribeBroker", resource: broker},
		{name: "DeleteBroker prod", action: "mq:DeleteBroker", resource: "arn:aws:mq:us-east-1:111122223333:broker:prod-1:b-9"},
		{name: "logs read", action: "logs:GetLogEvents", resource: "arn:aws:logs:us-east-1:111122223333:log-group:/aws/amazonmq/broker/team2-x"},
		{name: "iam create user", action: "iam:CreateUser", resource: "arn:aws:iam::111122223333:user/x"},
		{name: "create service-linked role", action: "iam:CreateServiceLinkedRole", resource: "*", context: []ctxEntry{{"iam:AWSServiceName", "string", []string{"mq.amazonaws.com"}}}},
		{name: "create other service-linked role", action: "iam:CreateServiceLinkedRole", resource: "*", context: []ctxEntry{{"iam:AWSServiceName", "string", []string{"ec2.amazonaws.com"}}}},
	}}
}

func viewOnlyWorkload(tb testing.TB) workload {
	actions := catalogActions(tb, 4096)
	w := workload{name: "ViewOnlyAccess", docs: []doc{{id: "ViewOnlyAccess", kind: "identity", doc: managed(tb, "ViewOnlyAccess-v45.json")}}, cycle: actions}
	for i, a := range actions[:200] {
		w.requests = append(w.requests, request{name: fmt.Sprintf("%d %s", i, a), action: a, resource: "*"})
	}
	return w
}

func sixConditionsWorkload(tb testing.TB) workload {
	tagging := parse(tb, `{"Version": "2012-10-17", "Statement": [
  {"Sid": "Tagging", "Effect": "Allow", "Action": ["mq:CreateTags", "mq:DeleteTags"], "Resource": "arn:aws:mq:*:111122223333:broker:*",
   "Condition": {
     "IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "2001:db8::/32"]},
     "DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"},
     "StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"},
     "ForAnyValue:StringLike": {"aws:TagKeys": ["team", "cost-*"]},
     "Bool": {"aws:SecureTransport": "true"},
     "ArnLike": {"aws:SourceArn": "arn:aws:cloudformation:*:111122223333:stack/*"}}},
  {"Sid": "NoProd", "Effect": "Deny", "Action": "mq:*", "Resource": "arn:aws:mq:*:*:broker:prod-*"}]}`)
	boundary := parse(tb, `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["mq:*", "logs:*"], "Resource": "*"}]}`)
	docs := append([]doc{{id: "tagging", kind: "identity", doc: tagging}}, customerPolicies(tb)[:2]...)
	docs = append(docs, doc{id: "boundary", kind: "boundary", doc: boundary})
	good := func() []ctxEntry {
		return []ctxEntry{
			{"aws:SourceIp", "ip", []string{"10.20.30.40"}},
			{"aws:CurrentTime", "date", []string{"2026-11-26T03:00:00Z"}},
			{"aws:ResourceTag/team", "string", []string{"blue"}},
			{"aws:PrincipalTag/team", "string", []string{"blue"}},
			{"aws:TagKeys", "strings", []string{"team", "cost-center"}},
			{"aws:SecureTransport", "bool", []string{"true"}},
			{"aws:SourceArn", "string", []string{"arn:aws:cloudformation:us-east-1:111122223333:stack/mq/1"}},
		}
	}
	broker := "arn:aws:mq:us-east-1:111122223333:broker:orders:b-1"
	w := workload{name: "SixConditions+Boundary", docs: docs}
	w.requests = append(w.requests, request{name: "all hold", action: "mq:CreateTags", resource: broker, context: good()})
	for i, bad := range []ctxEntry{
		{"aws:SourceIp", "ip", []string{"192.0.2.1"}},
		{"aws:CurrentTime", "date", []string{"2031-01-01T00:00:00Z"}},
		{"aws:ResourceTag/team", "string", []string{"red"}},
		{"aws:TagKeys", "strings", []string{"owner"}},
		{"aws:SecureTransport", "bool", []string{"false"}},
		{"aws:SourceArn", "string", []string{"arn:aws:cloudformation:us-east-1:999999999999:stack/mq/1"}},
	} {
		ctx := good()
		for j := range ctx {
			if ctx[j].key == bad.key {
				ctx[j] = bad
			}
		}
		w.requests = append(w.requests, request{name: fmt.Sprintf("condition %d fails", i+1), action: "mq:CreateTags", resource: broker, context: ctx})
	}
	w.requests = append(w.requests,
		request{name: "prod broker", action: "mq:CreateTags", resource: "arn:aws:mq:us-east-1:111122223333:broker:prod-1:b", context: good()},
		request{name: "outside the boundary", action: "ec2:DescribeVpcs", resource: "*", context: good()})
	return w
}

// catalogActions returns n actions drawn at random (fixed seed) from the
// service authorization catalog in the project's shared data.
func catalogActions(tb testing.TB, n int) []string {
	all := allCatalogActions(tb)
	rng := rand.New(rand.NewSource(45))
	out := make([]string, n)
	for i := range out {
		out[i] = all[rng.Intn(len(all))]
	}
	return out
}

// allCatalogActions returns every action of the catalog, sorted.
func allCatalogActions(tb testing.TB) []string {
	f, err := os.Open(filepath.Join("..", "..", "shared", "data", "catalog", "all-services.json.gz"))
	if err != nil {
		tb.Skipf("no catalog: %v", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		tb.Fatal(err)
	}
	var cat struct {
		Services map[string]struct {
			Actions []struct{ Name string } `json:"actions"`
		} `json:"services"`
	}
	if err := json.NewDecoder(zr).Decode(&cat); err != nil {
		tb.Fatal(err)
	}
	var all []string
	for prefix, s := range cat.Services {
		for _, a := range s.Actions {
			all = append(all, prefix+":"+a.Name)
		}
	}
	sort.Strings(all)
	return all
}

func workloads(tb testing.TB) []workload {
	return []workload{mqWorkload(tb), viewOnlyWorkload(tb), sixConditionsWorkload(tb)}
}
