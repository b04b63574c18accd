package analysis

import (
	"fmt"
	"strings"
	"testing"

	"github.com/iamq/iamq/eval"
)

func TestGenerate(t *testing.T) {
	const acct = "arn:aws:iam::111122223333:"
	users := func(names ...string) []Call {
		var cs []Call
		for _, n := range names {
			cs = append(cs, Call{"iam:GetUser", acct + "user/" + n})
		}
		return cs
	}
	for _, tc := range []struct {
		name    string
		calls   []Call
		want    string // the statements, as "Sid Actions -> Resources; …"
		allowed []Call // allowed by the generated policy
		denied  []Call // and not
	}{
		{"five actions, a sixth denied",
			[]Call{{"iam:ListUsers", acct + "user/"}, {"iam:CreateUser", acct + "user/app/u1"}, {"iam:GetUser", acct + "user/app/u1"},
				{"sts:GetSessionToken", "*"}, {"mq:ListBrokers", "*"}},
			"Iam1 [iam:CreateUser iam:GetUser] -> [" + acct + "user/app/u1]; Iam2 [iam:ListUsers] -> [" + acct + "user/]; " +
				"Mq1 [mq:ListBrokers] -> [*]; Sts1 [sts:GetSessionToken] -> [*]",
			[]Call{{"iam:CreateUser", acct + "user/app/u1"}, {"mq:ListBrokers", "*"}},
			[]Call{{"iam:DeleteUser", acct + "user/app/u1"}, {"iam:CreateUser", acct + "user/app/u2"}}},
		{"few resources stay exact", users("a", "b", "c"),
			"Iam1 [iam:GetUser] -> [" + acct + "user/a " + acct + "user/b " + acct + "user/c]",
			users("a", "c"), users("d")},
		{"many resources collapse to a pattern", users("a1", "a2", "b", "c"),
			"Iam1 [iam:GetUser] -> [" + acct + "user/*]", users("zzz"), []Call{{"iam:GetUser", "arn:aws:iam::999999999999:user/a1"}}},
		{"a star wins", []Call{{"iam:ListRoles", acct + "role/"}, {"iam:ListRoles", "*"}}, "Iam1 [iam:ListRoles] -> [*]", nil, nil},
		{"repeats and case fold", []Call{{"iam:ListRoles", "*"}, {"IAM:listroles", "*"}, {"access-analyzer:ValidatePolicy", ""}},
			"AccessAnalyzer1 [access-analyzer:ValidatePolicy] -> [*]; Iam1 [iam:ListRoles] -> [*]", nil, nil},
		{"objects of several buckets collapse to the service's", []Call{{"s3:GetObject", "arn:aws:s3:::a/1"}, {"s3:GetObject", "arn:aws:s3:::a/2"},
			{"s3:GetObject", "arn:aws:s3:::a/3"}, {"s3:GetObject", "arn:aws:s3:::b/4"}}, "S31 [s3:GetObject] -> [arn:aws:s3:::*]", nil, nil},
		{"resources of different accounts collapse to *", []Call{{"iam:GetRole", acct + "role/a"}, {"iam:GetRole", acct + "role/b"},
			{"iam:GetRole", acct + "role/c"}, {"iam:GetRole", "arn:aws:iam::999999999999:role/d"}}, "Iam1 [iam:GetRole] -> [*]", nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, err := Generate(tc.calls, GenerateOptions{})
			if err != nil {
				t.Fatalf("Generate = %v", err)
			}
			var got []string
			for _, s := range g.Document.Statements {
				got = append(got, fmt.Sprintf("%s %v -> %v", s.Sid, s.Action, s.Resource))
			}
			if strings.Join(got, "; ") != tc.want {
				t.Errorf("Generate(%s) =\n%s\nwant\n%s", tc.name, strings.Join(got, "; "), tc.want)
			}
			if g.Proof.Verdict != Proven {
				t.Errorf("Generate(%s).Proof = %v (%s), want proven", tc.name, g.Proof.Verdict, g.Proof.Reason)
			}
			set, err := eval.Compile(eval.Policies{Identity: []eval.Policy{{ID: "g", Document: g.Document}}})
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range append(append([]Call{}, tc.calls...), tc.allowed...) {
				if c.Resource == "" {
					c.Resource = "*"
				}
				if d := set.Evaluate(&eval.Request{Principal: principal(), Action: c.Action, Resource: c.Resource, Context: &eval.Context{}}); d != eval.Allowed {
					t.Errorf("Evaluate(%v) = %v, want allowed", c, d)
				}
			}
			for _, c := range tc.denied {
				if d := set.Evaluate(&eval.Request{Principal: principal(), Action: c.Action, Resource: c.Resource, Context: &eval.Context{}}); d == eval.Allowed {
					t.Errorf("Evaluate(%v) = %v, want denied", c, d)
				}
			}
		})
	}
	for _, bad := range [][]Call{nil, {{"ListUsers", "*"}}} {
		if _, err := Generate(bad, GenerateOptions{}); err == nil {
			t.Errorf("Generate(%v) succeeded", bad)
		}
	}
}

// FuzzGenerate: whatever the calls, a generated policy parses and is
// proven (or the input is refused).
func FuzzGenerate(f *testing.F) {
	f.Add("iam:GetUser", "arn:aws:iam::111122223333:user/a", "iam:GetUser", "arn:aws:iam::111122223333:user/b")
	f.Add("s3:GetObject", "*", "ec2:Describe*", "arn:aws:ec2:us-east-1:1:instance/i-1")
	f.Fuzz(func(t *testing.T, a1, r1, a2, r2 string) {
		g, err := Generate([]Call{{a1, r1}, {a2, r2}, {a1, r2}, {a2, r1}}, GenerateOptions{Collapse: 1})
		if err != nil {
			return
		}
		if g.Proof.Verdict == Counterexample {
			t.Fatalf("Generate(%q %q %q %q) has a counterexample: %+v\n%s", a1, r1, a2, r2, g.Proof.Request, g.Text)
		}
	})
}
