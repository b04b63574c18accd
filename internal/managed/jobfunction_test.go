package managed

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/job-function-rules.golden")

// TestRuleReports compares each job-function rule with AWS's current
// version of its policy, action by action against the embedded catalog,
// and checks the figures docs/job-function-rules.md quotes
// (testdata/job-function-rules.golden; -update rewrites it).
func TestRuleReports(t *testing.T) {
	reg := NewRegistry(Builtin(), openStore(t), RegistryOptions{})
	var b strings.Builder
	for _, rule := range JobFunctionRules() {
		p, err := reg.policyNamed(rule.Policy)
		if err != nil {
			t.Fatal(err)
		}
		_, doc, err := reg.DefaultVersion(context.Background(), p.ARN())
		if err != nil {
			t.Fatal(err)
		}
		r, err := rule.Report(reg.Catalog(), p.DefaultVersion, doc)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s %s: services %d, both %d, rule only %d (in the policy's services %d), policy only %d\n",
			r.Policy, r.Version, r.Services, len(r.Both), len(r.RuleOnly), len(r.RuleOnlyServices), len(r.PolicyOnly))
		fmt.Fprintf(&b, "  policy only, first 40: %s\n", strings.Join(first(r.PolicyOnly, 40), " "))
		fmt.Fprintf(&b, "  rule only in its services, first 40: %s\n", strings.Join(first(r.RuleOnlyServices, 40), " "))
		if len(r.Both) == 0 {
			t.Errorf("%s: the rule and the policy share no action", rule.Policy)
		}
	}
	const golden = "testdata/job-function-rules.golden"
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if b.String() != string(want) {
		t.Errorf("rule reports changed (run with -update and update docs/job-function-rules.md):\n%s", b.String())
	}
}

func first(s []string, n int) []string { return s[:min(n, len(s))] }
