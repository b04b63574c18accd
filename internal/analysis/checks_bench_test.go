package analysis

import (
	"os"
	"testing"
)

// BenchmarkValidatePolicy6KB: ValidatePolicy on a policy of 6,137
// characters without white space (IAM's limit for a managed policy is
// 6,144): 112 EC2 actions, every Amazon MQ action, conditions and a Deny.
func BenchmarkValidatePolicy6KB(b *testing.B) {
	raw, err := os.ReadFile("testdata/bench/policy-6kb.json")
	if err != nil {
		b.Fatal(err)
	}
	text := string(raw)
	opts, _ := Prepare(ValidateOptions{}, Options{}) // as a server keeps them
	for _, f := range ValidatePolicy(text, IdentityPolicy, opts) {
		if f.Type == FindingError {
			b.Fatalf("the benchmark policy has an error: %+v", f)
		}
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		ValidatePolicy(text, IdentityPolicy, opts)
	}
}

// BenchmarkCheckNoNewAccessAmazonMQ: AmazonMQFullAccess v4 and v5, both
// ways: the PASS (v5 takes nothing of v4 away) and the FAIL with its
// counterexample (v5 adds access).
func BenchmarkCheckNoNewAccessAmazonMQ(b *testing.B) {
	vs := historyVersions(b, "testdata/amazonmq/AmazonMQFullAccess.json")
	_, opts := Prepare(ValidateOptions{}, Options{}) // as a server keeps them
	for _, bb := range []struct {
		name          string
		existing, upd string
		want          CheckResult
	}{{"pass", "v5", "v4", Pass}, {"fail", "v4", "v5", Fail}} {
		b.Run(bb.name, func(b *testing.B) {
			existing, updated := vs[bb.existing], vs[bb.upd]
			if got := CheckNoNewAccess(existing, updated, IdentityPolicy, opts); got.Result != bb.want {
				b.Fatalf("CheckNoNewAccess = %s, want %s", got.Result, bb.want)
			}
			b.ReportAllocs()
			for b.Loop() {
				CheckNoNewAccess(existing, updated, IdentityPolicy, opts)
			}
		})
	}
}
