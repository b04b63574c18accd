package eval

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"math/rand"
	"net/netip"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/iamq/iamq/policy"
)

// catalogPath is the service authorization catalog in the project's shared
// data; the ViewOnlyAccess benchmark draws its actions from it (eval must not
// import internal/catalog).
const catalogPath = "../../shared/data/catalog/all-services.json.gz"

func readDoc(tb testing.TB, name string) *policy.Document {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "managed", name))
	if err != nil {
		tb.Fatal(err)
	}
	return mustParse(tb, string(b))
}

// customerPolicies returns nine customer managed policies of the kind an
// Amazon MQ team writes: broker ARNs, wildcards, a deny, conditions on other
// actions; about 40 statements.
func customerPolicies(tb testing.TB) []Policy {
	var out []Policy
	for i := 0; i < 9; i++ {
		text := fmt.Sprintf(`{"Version": "2012-10-17", "Statement": [
  {"Sid": "Brokers%[1]d", "Effect": "Allow", "Action": ["mq:Describe*", "mq:List*"], "Resource": ["arn:aws:mq:us-east-1:111122223333:broker:team%[1]d-*", "arn:aws:mq:eu-west-1:111122223333:broker:shared-*"]},
  {"Sid": "Configs%[1]d", "Effect": "Allow", "Action": ["mq:CreateConfiguration", "mq:UpdateConfiguration", "mq:DescribeConfiguration*"], "Resource": "arn:aws:mq:*:111122223333:configuration:c-%[1]d*"},
  {"Sid": "Users%[1]d", "Effect": "Allow", "Action": ["mq:CreateUser", "mq:UpdateUser", "mq:DeleteUser"], "Resource": "arn:aws:mq:us-east-1:111122223333:broker:team%[1]d-*",
   "Condition": {"StringEquals": {"aws:ResourceTag/team": "team%[1]d"}}},
  {"Sid": "Logs%[1]d", "Effect": "Allow", "Action": ["logs:Get*", "logs:Describe*", "logs:FilterLogEvents"], "Resource": "arn:aws:logs:*:111122223333:log-group:/aws/amazonmq/broker/team%[1]d-*"},
  {"Sid": "NoProdDelete%[1]d", "Effect": "Deny", "Action": ["mq:DeleteBroker", "mq:RebootBroker"], "Resource": "arn:aws:mq:*:111122223333:broker:prod-*"}
]}`, i)
		out = append(out, Policy{ID: fmt.Sprintf("arn:aws:iam::111122223333:policy/team%d", i), Version: "v1", Document: mustParse(tb, text)})
	}
	return out
}

func mqUserSet(tb testing.TB) *Set {
	ps := Policies{Identity: append([]Policy{{ID: "arn:aws:iam::aws:policy/AmazonMQFullAccess", Version: "v5",
		Document: readDoc(tb, "AmazonMQFullAccess-v5.json")}}, customerPolicies(tb)...)}
	set, err := Compile(ps)
	if err != nil {
		tb.Fatal(err)
	}
	return set
}

func alice() Principal {
	return Principal{Kind: PrincipalUser, ARN: "arn:aws:iam::111122223333:user/alice", Account: "111122223333", UserID: "AIDAALICE",
		Tags: []Tag{{Key: "team", Value: "blue"}}}
}

// BenchmarkEvaluate times the workloads. Run with
// ./scripts/bench.sh ./eval/ (or go test -run '^$' -bench . -benchmem ./eval/).
func BenchmarkEvaluate(b *testing.B) {
	b.Run("AmazonMQFullAccess+9/DescribeBroker", func(b *testing.B) {
		set := mqUserSet(b)
		req := &Request{Principal: alice(), Action: "mq:DescribeBroker", Resource: "arn:aws:mq:us-east-1:111122223333:broker:team3-orders:b-1234"}
		benchDecision(b, set, req, Allowed)
	})
	b.Run("ViewOnlyAccess/RandomCatalogAction", func(b *testing.B) {
		set, err := Compile(Policies{Identity: []Policy{{ID: "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess", Version: "v45", Document: readDoc(b, "ViewOnlyAccess-v45.json")}}})
		if err != nil {
			b.Fatal(err)
		}
		actions := catalogActions(b, 4096)
		req := &Request{Principal: alice(), Resource: "*"}
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; b.Loop(); i++ {
			req.Action = actions[i&4095]
			set.Evaluate(req)
		}
	})
	b.Run("SixConditions+Boundary", func(b *testing.B) {
		set, req := sixConditions(b)
		benchDecision(b, set, req, Allowed)
	})
}

func benchDecision(b *testing.B, set *Set, req *Request, want Decision) {
	if got := set.Evaluate(req); got != want {
		b.Fatalf("Evaluate(%s) = %v, want %v", req.Action, got, want)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		set.Evaluate(req)
	}
}

// sixConditions is identity policies plus a boundary, deciding with six
// conditions: IpAddress, DateLessThan, a ${aws:PrincipalTag/team} variable,
// ForAnyValue:StringLike on aws:TagKeys, Bool and ArnLike.
func sixConditions(tb testing.TB) (*Set, *Request) {
	doc := mustParse(tb, `{"Version": "2012-10-17", "Statement": [
  {"Sid": "Tagging", "Effect": "Allow", "Action": ["mq:CreateTags", "mq:DeleteTags"], "Resource": "arn:aws:mq:*:111122223333:broker:*",
   "Condition": {
     "IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "2001:db8::/32"]},
     "DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"},
     "StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"},
     "ForAnyValue:StringLike": {"aws:TagKeys": ["team", "cost-*"]},
     "Bool": {"aws:SecureTransport": "true"},
     "ArnLike": {"aws:SourceArn": "arn:aws:cloudformation:*:111122223333:stack/*"}}},
  {"Sid": "NoProd", "Effect": "Deny", "Action": "mq:*", "Resource": "arn:aws:mq:*:*:broker:prod-*"}]}`)
	boundary := mustParse(tb, `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["mq:*", "logs:*"], "Resource": "*"}]}`)
	set, err := Compile(Policies{
		Identity: append([]Policy{{ID: "tagging", Document: doc}}, customerPolicies(tb)[:2]...),
		Boundary: []Policy{{ID: "boundary", Document: boundary}},
	})
	if err != nil {
		tb.Fatal(err)
	}
	ctx := &Context{}
	ctx.Add("aws:SourceIp", IP(netip.MustParseAddr("10.20.30.40")))
	ctx.Add("aws:CurrentTime", Time(time.Date(2026, 11, 26, 3, 0, 0, 0, time.UTC)))
	ctx.Add("aws:ResourceTag/team", String("blue"))
	ctx.Add("aws:TagKeys", String("team"), String("cost-center"))
	ctx.Add("aws:SecureTransport", Bool(true))
	ctx.Add("aws:SourceArn", String("arn:aws:cloudformation:us-east-1:111122223333:stack/mq/1"))
	req := &Request{Principal: alice(), Action: "mq:CreateTags", Resource: "arn:aws:mq:us-east-1:111122223333:broker:orders:b-1", Context: ctx}
	return set, req
}

// catalogActions returns n actions drawn at random (fixed seed) from every
// action of the catalog.
func catalogActions(tb testing.TB, n int) []string {
	f, err := os.Open(catalogPath)
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
	rng := rand.New(rand.NewSource(45))
	out := make([]string, n)
	for i := range out {
		out[i] = all[rng.Intn(len(all))]
	}
	return out
}

// BenchmarkCompile times compiling the two job-function policies.
func BenchmarkCompile(b *testing.B) {
	for _, name := range []string{"ViewOnlyAccess-v45.json", "ReadOnlyAccess-v188.json"} {
		doc := readDoc(b, name)
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Compile(Policies{Identity: []Policy{{ID: name, Document: doc}}}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkEvaluateParallel decides the Amazon MQ workload from many
// goroutines at once: a Set is read-only, so decisions share nothing.
func BenchmarkEvaluateParallel(b *testing.B) {
	set := mqUserSet(b)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		req := &Request{Principal: alice(), Action: "mq:DescribeBroker", Resource: "arn:aws:mq:us-east-1:111122223333:broker:team3-orders:b-1234"}
		for pb.Next() {
			if set.Evaluate(req) != Allowed {
				b.Error("not allowed")
				return
			}
		}
	})
}
