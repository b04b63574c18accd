package eval

import (
	"fmt"
	"strings"
	"testing"

	"github.com/iamq/iamq/policy"
)

// gen draws choices from fuzz input; an exhausted input yields zeros.
type gen struct {
	b []byte
	i int
}

func (g *gen) n(k int) int {
	if k <= 1 || g.i >= len(g.b) {
		return 0
	}
	v := int(g.b[g.i])
	g.i++
	return v % k
}

func (g *gen) pick(list []string) string { return list[g.n(len(list))] }

var (
	fzActions   = []string{"mq:DescribeBroker", "mq:ListBrokers", "s3:GetObject", "ec2:DescribeVpcs", "MQ:deletebroker", "sts:AssumeRole"}
	fzActionPat = []string{"*", "mq:*", "mq:Describe*", "mq:?istBrokers", "*:Get*", "s3:getobject", "ec2:Describe?pcs", "m?:*",
		"mq:DeleteBroker", "ec2:*Vpcs", "sts:*", "mq:*Broker*", "*Object", ""}
	fzResources = []string{"arn:aws:mq:us-east-1:111122223333:broker:b1:b-1", "arn:aws:s3:::home/alice/x", "*",
		"arn:aws:s3:::home/blue/x", "arn:aws:s3:::home/*/?", "arn:aws:iam::111122223333:role/R", "arn:aws:s3:::home/AIDA1/x"}
	fzResourcePat = []string{"*", "arn:aws:mq:*:*:broker:*", "arn:aws:s3:::home/${aws:username}/*", "arn:aws:s3:::home/${aws:PrincipalTag/team, 'x'}/*",
		"arn:aws:s3:::home/${*}/?", "arn:aws:*", "arn:aws:s3:::${bad", "arn:aws:s3:::home/${aws:userid}/x", "arn:aws:s3:::home/?lice/*",
		"arn:aws:mq:us-east-1:111122223333:broker:b1:b-1", "arn:aws:s3:::home/${aws:nothing}/x", "arn:aws:s3:::home/${ aws:username }/x", "*/x"}
	fzKeys = []string{"aws:username", "aws:PrincipalTag/team", "aws:TagKeys", "aws:SourceIp", "aws:CurrentTime", "k:num", "k:bool",
		"aws:PrincipalArn", "aws:SourceArn", "AWS:USERNAME", "aws:PrincipalType", "k:bin", "aws:ResourceAccount", "aws:userid"}
	fzOps = []string{"StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike",
		"NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals",
		"DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals",
		"Bool", "BinaryEquals", "IpAddress", "NotIpAddress", "ArnEquals", "ArnNotEquals", "ArnLike", "ArnNotLike", "Null", "Bogus"}
	fzValues = []string{"alice", "ALICE", "a*", "${aws:username}", "10", "-1.5", "2026-01-01T00:00:00Z", "1767225600", "true", "False",
		"10.0.0.0/8", "2001:db8::/32", "AAEC", "arn:aws:s3:::a*", "arn:aws:*:*:*:*", "${aws:PrincipalTag/team, 'blue'}", "${*}", "x?z",
		"blue", "User", "arn:aws:iam::111122223333:*", "203.0.113.7", "", "111122223333", "AIDA1", "${aws:PrincipalTag/team}-*",
		strings.Repeat("long", 70) + "${aws:username}*", "${aws:username}${aws:PrincipalTag/team}${aws:userid}${aws:PrincipalType}${*}"}
	fzCtxValues = []string{"alice", "Alice", "a1", "10", "10.0", "2026-01-01T00:00:00Z", "1767225600", "true", "10.1.2.3", "2001:db8::1",
		"AAEC", "arn:aws:s3:::a1", "arn:aws:iam::111122223333:user/alice", "blue", "", "x?z", "*", "User", "111122223333"}
	fzPrincipalNames = []string{"*", "111122223333", "444455556666", "arn:aws:iam::111122223333:root", "arn:aws:iam::111122223333:user/alice",
		"arn:aws:iam::111122223333:role/R", "arn:aws:sts::111122223333:assumed-role/R/s", "mq.amazonaws.com", "arn:aws:iam::444455556666:root"}
	fzTypes = []string{"string", "string", "numeric", "boolean", "date", "ip", "binary"}
)

func (g *gen) list(pool []string, max int) []string {
	n := 1 + g.n(max)
	out := make([]string, n)
	for i := range out {
		out[i] = g.pick(pool)
	}
	return out
}

func (g *gen) principalElement() *policy.Principal {
	p := &policy.Principal{}
	switch g.n(4) {
	case 0:
		p.Wildcard = true
	case 1:
		p.Service = []string{g.pick([]string{"mq.amazonaws.com", "MQ.amazonaws.com", "ec2.amazonaws.com"})}
	default:
		p.AWS = g.list(fzPrincipalNames, 3)
	}
	return p
}

func (g *gen) statement(k kind, i int) policy.Statement {
	st := policy.Statement{Index: i, Effect: policy.Allow}
	switch g.n(8) {
	case 0, 1, 2:
		st.Effect = policy.Deny
	case 3:
		if g.n(4) == 0 {
			st.Effect = "Maybe"
		}
	}
	if g.n(4) == 0 {
		st.NotAction = g.list(fzActionPat, 3)
	} else {
		st.Action = g.list(fzActionPat, 3)
	}
	switch g.n(6) {
	case 0:
		st.NotResource = g.list(fzResourcePat, 2)
	case 1:
	default:
		st.Resource = g.list(fzResourcePat, 2)
	}
	if k == kResource || g.n(16) == 0 {
		if g.n(5) == 0 {
			st.NotPrincipal = g.principalElement()
		} else {
			st.Principal = g.principalElement()
		}
	}
	for n := g.n(3); n > 0; n-- {
		name := g.pick(fzOps)
		if q := g.n(5); q == 1 {
			name = "ForAnyValue:" + name
		} else if q == 2 {
			name = "ForAllValues:" + name
		}
		if g.n(4) == 0 {
			name += "IfExists"
		}
		op, _ := policy.ParseOperator(name)
		c := policy.Condition{Operator: op, Key: g.pick(fzKeys)}
		for _, v := range g.list(fzValues, 2) {
			c.Values = append(c.Values, policy.Value{Text: v})
		}
		st.Conditions = append(st.Conditions, c)
	}
	return st
}

func (g *gen) policies() Policies {
	var ps Policies
	fields := []*[]Policy{&ps.Identity, &ps.Resource, &ps.Boundary, &ps.Session, &ps.SCP}
	for k, field := range fields {
		if k > 1 && g.n(3) != 0 {
			continue
		}
		for n := g.n(3); n >= 0 && (k <= 1 || n > 0); n-- {
			doc := &policy.Document{Version: policy.Version20121017}
			if g.n(8) == 0 {
				doc.Version = policy.Version20081017
			}
			for i := g.n(4); i >= 0; i-- {
				doc.Statements = append(doc.Statements, g.statement(kind(k), len(doc.Statements)))
			}
			*field = append(*field, Policy{ID: fmt.Sprintf("%s-%d", kindNames[k], n), Document: doc})
		}
	}
	return ps
}

func (g *gen) request() *Request {
	kinds := []Principal{
		{Kind: PrincipalUser, ARN: "arn:aws:iam::111122223333:user/alice", Account: "111122223333", UserID: "AIDA1"},
		{Kind: PrincipalRoleSession, ARN: "arn:aws:sts::111122223333:assumed-role/R/s", IdentityARN: "arn:aws:iam::111122223333:role/R", Account: "111122223333"},
		{Kind: PrincipalRoot, ARN: "arn:aws:iam::111122223333:root", Account: "111122223333"},
		{Kind: PrincipalService, ARN: "mq.amazonaws.com"},
		{Kind: PrincipalFederatedUser, ARN: "arn:aws:sts::111122223333:federated-user/f", IdentityARN: "arn:aws:iam::111122223333:user/alice", Account: "111122223333"},
		{Kind: PrincipalUser, ARN: "arn:aws:iam::444455556666:user/eve", Account: "444455556666"},
	}
	r := &Request{Principal: kinds[g.n(len(kinds))], Action: g.pick(fzActions), Resource: g.pick(fzResources), Context: &Context{}}
	if g.n(2) == 0 {
		r.Principal.Tags = []Tag{{Key: "team", Value: g.pick([]string{"blue", "a*", "alice"})}}
	}
	switch g.n(4) {
	case 0:
		r.ResourceAccount = "111122223333"
	case 1:
		r.ResourceAccount = "444455556666"
	}
	for n := g.n(5); n > 0; n-- {
		key, typ := g.pick(fzKeys), g.pick(fzTypes)
		var vals []Value
		for m := g.n(4); m > 0; m-- {
			if v, err := ParseValue(typ, g.pick(fzCtxValues)); err == nil {
				vals = append(vals, v)
			}
		}
		r.Context.Add(key, vals...)
	}
	return r
}

// FuzzAgreement requires Evaluate, Explain and the reference interpreter to
// agree on random policies and requests, and never to panic.
func FuzzAgreement(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte("policies and requests"))
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30})
	f.Add([]byte{200, 100, 50, 25, 12, 6, 3, 1, 0, 255, 128, 64, 32, 16, 8, 4, 2, 1, 77, 99, 11, 33, 55, 88, 44, 22, 66})
	f.Fuzz(func(t *testing.T, data []byte) {
		g := &gen{b: data}
		ps := g.policies()
		r := g.request()
		set, err := Compile(ps)
		if err != nil {
			t.Fatal(err)
		}
		got := set.Evaluate(r)
		want := referenceDecide(ps, r)
		if got != want {
			t.Fatalf("Evaluate = %v, reference = %v\npolicies: %s\nrequest: %+v", got, want, dumpPolicies(ps), r)
		}
		if again := set.Evaluate(r); again != got {
			t.Fatalf("Evaluate again (from the action cache) = %v, first = %v", again, got)
		}
		if e := set.Explain(r); e.Decision != got {
			t.Fatalf("Explain = %v, Evaluate = %v", e.Decision, got)
		}
		// Compiling the resource policy apart and merging changes nothing.
		res := Policies{Resource: ps.Resource}
		ps.Resource = nil
		a, errA := Compile(ps)
		b, errB := Compile(res)
		if errA != nil || errB != nil {
			t.Fatal(errA, errB)
		}
		if m := Merge(a, b).Evaluate(r); m != got {
			t.Fatalf("Merge(…).Evaluate = %v, Evaluate = %v", m, got)
		}
	})
}

func dumpPolicies(ps Policies) string {
	s := ""
	for k, list := range ps.byKind() {
		for _, p := range list {
			s += fmt.Sprintf("\n%s %s %s:", kindNames[k], p.ID, p.Document.Version)
			for _, st := range p.Document.Statements {
				s += fmt.Sprintf("\n  %+v", st)
				if st.Principal != nil {
					s += fmt.Sprintf(" P=%+v", *st.Principal)
				}
				if st.NotPrincipal != nil {
					s += fmt.Sprintf(" NP=%+v", *st.NotPrincipal)
				}
			}
		}
	}
	return s
}

// FuzzCorpus seeds from the corpus: every case's action, resource and first
// context value, fuzzed, decided against every corpus file's policies by
// Evaluate and the reference interpreter, which must agree.
func FuzzCorpus(f *testing.F) {
	files := loadCorpus(f)
	type compiled struct {
		ps  Policies
		set *Set
		def corpusRequest
	}
	var sets []compiled
	for _, cf := range files {
		ps, err := cf.policies()
		if err != nil {
			f.Fatal(err)
		}
		set, err := Compile(ps)
		if err != nil {
			f.Fatal(err)
		}
		sets = append(sets, compiled{ps, set, cf.Defaults})
		for _, c := range cf.Cases {
			r := c.Request.withDefaults(cf.Defaults)
			key, typ, val := "aws:SourceIp", "string", ""
			if len(r.Context) > 0 && len(r.Context[0].Values) > 0 {
				key, typ, val = r.Context[0].Key, r.Context[0].Type, r.Context[0].Values[0]
			}
			f.Add(r.Action, r.Resource, key, typ, val, uint8(0))
		}
	}
	f.Fuzz(func(t *testing.T, action, resource, key, typ, val string, kind uint8) {
		for _, c := range sets {
			cr := c.def
			cr.Action, cr.Resource = action, resource
			cr.Context = []corpusContext{{Key: key, Type: typ, Values: []string{val}}}
			req, err := cr.request()
			if err != nil {
				return // a value its type cannot read: not a request
			}
			if kind%3 == 1 {
				req.ResourceAccount = "444455556666"
			}
			got, want := c.set.Evaluate(req), referenceDecide(c.ps, req)
			if got != want {
				t.Fatalf("Evaluate(%q %q %s=%s:%q) = %v, reference = %v", action, resource, key, typ, val, got, want)
			}
		}
	})
}
