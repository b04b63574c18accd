package analysis

import (
	"encoding/json"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"

	"github.com/iamq/iamq/eval"
	"github.com/iamq/iamq/internal/catalog"
	"github.com/iamq/iamq/policy"
)

// statementPool returns every statement of the corpus's policies, as JSON.
func statementPool(tb testing.TB) []string {
	cases := loadCases(tb)
	names := make([]string, 0, len(cases))
	for n := range cases {
		names = append(names, n)
	}
	sort.Strings(names)
	var pool []string
	for _, n := range names {
		for _, raw := range []json.RawMessage{cases[n].A, cases[n].B} {
			var doc struct{ Statement []json.RawMessage }
			if err := json.Unmarshal(raw, &doc); err != nil {
				tb.Fatal(err)
			}
			for _, s := range doc.Statement {
				pool = append(pool, string(s))
			}
		}
	}
	return pool
}

// pick builds a policy of one to three statements of the pool chosen by sel.
func pick(pool []string, sel []byte) string {
	n := 1
	if len(sel) > 0 {
		n += int(sel[0]) % 3
		sel = sel[1:]
	}
	var sts []string
	for i := 0; i < n && i < len(sel); i++ {
		sts = append(sts, pool[int(sel[i])%len(pool)])
	}
	if len(sts) == 0 {
		sts = append(sts, pool[0])
	}
	return `{"Version":"2012-10-17","Statement":[` + strings.Join(sts, ",") + `]}`
}

// fill returns a random string pattern p matches.
func fill(p string, rng *rand.Rand) string {
	const alpha = "xaBD:/-*0"
	var sb strings.Builder
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '*':
			for n := rng.IntN(4); n > 0; n-- {
				sb.WriteByte(alpha[rng.IntN(len(alpha))])
			}
		case '?':
			sb.WriteByte(alpha[rng.IntN(len(alpha))])
		default:
			sb.WriteByte(p[i])
		}
	}
	return sb.String()
}

// Pools for the parts of random requests that a statement's patterns do
// not dictate: actions for NotAction, resources for NotResource, and
// condition values of every family the corpus uses.
var (
	actionPool   = []string{"mq:DescribeBroker", "mq:CreateBroker", "iam:GetUser", "iam:PutRolePolicy", "s3:GetObject", "ec2:DescribeVpcs", "sts:GetCallerIdentity"}
	resourcePool = []string{"*", "arn:aws:s3:::secret/x", "arn:aws:s3:::other/y", "arn:aws:s3:::bucket/k", "arn:aws:mq:us-east-1:111122223333:broker:a:b-1", "arn:aws:iam::111122223333:user/analysis"}
	valuePool    = []string{"1", "4", "5", "9", "10", "19", "3601", "true", "false", "TRUE", "10.0.0.1", "10.1.0.1", "10.255.255.255", "192.168.1.1", "2001:db8::1",
		"2019-06-01T00:00:00Z", "2020-01-01T00:00:00Z", "2022-01-01T00:00:00Z", "us-east-1", "US-EAST-1", "eu-west-1", "a", "b", "c", "app-x", "appx", "QUJD",
		"arn:aws:sns:us-east-1:111122223333:t", "arn:aws:sns:eu-west-1:111122223333:topic-1"}
)

// single reports whether the catalog types key as single-valued: a request
// AWS makes carries one value of it, and so do the fuzzer's.
func single(key string) bool {
	k, ok := catalog.Embedded().ConditionKey(key)
	return ok && k.Type != "" && !strings.HasPrefix(string(k.Type), "ArrayOf")
}

// randomRequest draws a request from one of a's Allow statements: an action
// and a resource its patterns match (or that its NotAction and NotResource
// may leave), and a context that often satisfies its conditions.
func randomRequest(a *policy.Document, rng *rand.Rand) *Request {
	s := &a.Statements[rng.IntN(len(a.Statements))]
	r := &Request{Action: actionPool[rng.IntN(len(actionPool))], Resource: resourcePool[rng.IntN(len(resourcePool))]}
	if len(s.Action) > 0 {
		r.Action = fill(s.Action[rng.IntN(len(s.Action))], rng)
	}
	if res := resources(s); len(res) > 0 {
		r.Resource = strings.ReplaceAll(fill(res[rng.IntN(len(res))], rng), "${aws:username}", "analysis")
	}
	switch rng.IntN(4) {
	case 0:
		r.Context = satisfying(s.Conditions)
	case 1:
		cs := contextCandidates(s.Conditions, single)
		r.Context = cs[rng.IntN(len(cs))]
	case 2:
		for _, c := range s.Conditions {
			vals := []string{valuePool[rng.IntN(len(valuePool))]}
			if rng.IntN(3) == 0 && !single(c.Key) {
				vals = append(vals, valuePool[rng.IntN(len(valuePool))])
			}
			r.Context = append(r.Context, KeyValues{Key: c.Key, Values: vals})
		}
	}
	return r
}

func FuzzCovers(f *testing.F) {
	pool := statementPool(f)
	for i := range pool {
		f.Add([]byte{byte(i % 3), byte(i), byte(i + 1)}, []byte{byte(i % 2), byte(i + 2), byte(i)}, uint64(i))
	}
	f.Fuzz(func(t *testing.T, selA, selB []byte, seed uint64) {
		a, err := policy.Parse(pick(pool, selA))
		if err != nil {
			t.Skip()
		}
		b, err := policy.Parse(pick(pool, selB))
		if err != nil {
			t.Skip()
		}
		got := Covers(a, b, Options{})
		d, err := newDecider(a, b)
		if err != nil {
			t.Fatal(err)
		}
		switch got.Verdict {
		case Counterexample:
			if !d.isCounterexample(got.Request) {
				t.Fatalf("Covers(%s, %s): %+v is not a counterexample", a.Text, b.Text, got.Request)
			}
		case Proven:
			rng := rand.New(rand.NewPCG(seed, 1))
			for range 200 {
				r := randomRequest(a, rng)
				if da, db := d.decide(r); da == eval.Allowed && db != eval.Allowed {
					t.Fatalf("Covers(%s, %s) = proven, but eval allows %+v under A and decides %v under B", a.Text, b.Text, r, db)
				}
			}
		}
	})
}

// TestFuzzDecided checks that most random pairs of the corpus are decided.
func TestFuzzDecided(t *testing.T) {
	pool := statementPool(t)
	rng := rand.New(rand.NewPCG(1, 2))
	decided, n := 0, 300
	for range n {
		sa := []byte{byte(rng.IntN(3)), byte(rng.IntN(256)), byte(rng.IntN(256)), byte(rng.IntN(256))}
		sb := []byte{byte(rng.IntN(3)), byte(rng.IntN(256)), byte(rng.IntN(256)), byte(rng.IntN(256))}
		a, _ := policy.Parse(pick(pool, sa))
		b, _ := policy.Parse(pick(pool, sb))
		if Covers(a, b, Options{}).Verdict != Unknown {
			decided++
		}
	}
	t.Logf("%d of %d random pairs decided", decided, n)
	if decided*100 < 30*n {
		t.Errorf("%d of %d random pairs decided, want at least 30%%", decided, n)
	}
}
