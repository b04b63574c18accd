package analyzerapi_test

import (
	"slices"
	"testing"

	"github.com/iamq/iamq/internal/analysis"
	"github.com/iamq/iamq/internal/managed"
)

// TestManagedPoliciesValidate: ValidatePolicy over the default version of
// every AWS managed policy (1,594, embedded in internal/managed; one in ten
// under the race detector). AWS
// publishes them, so the checks that depend on the grammar and on the
// shape of ARNs — not on how fresh iamq's catalog is — must find nothing
// in them: a finding there would be a false positive. (The catalog's checks,
// INVALID_ACTION and the like, do fire: services retired since, and ARNs
// that fit none of a statement's actions.)
func TestManagedPoliciesValidate(t *testing.T) {
	lib := managed.Builtin()
	policies, err := lib.Policies()
	if err != nil {
		t.Fatal(err)
	}
	if len(policies) < 1500 {
		t.Fatalf("%d managed policies, want the 1,594", len(policies))
	}
	opts, _ := analysis.Prepare(analysis.ValidateOptions{}, analysis.Options{})
	catalogDependent := []analysis.IssueCode{"INVALID_ACTION", "INVALID_SERVICE", "INVALID_GLOBAL_CONDITION_KEY",
		"INVALID_SERVICE_CONDITION_KEY", "UNSUPPORTED_RESOURCE_ARN_IN_POLICY"}
	// What AWS's own check reports on its policies too: wide grants and
	// repetitions inside a statement.
	expected := []analysis.IssueCode{"PASS_ROLE_WITH_STAR_IN_RESOURCE", "PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE",
		"CREATE_SLR_WITH_STAR_IN_RESOURCE", "CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE", "REDUNDANT_ACTION", "REDUNDANT_RESOURCE"}
	checked, want := 0, len(policies)
	for i, p := range policies {
		if raceEnabled && i%10 != 0 {
			continue // one in ten under the race detector
		}
		doc, err := lib.Document(p, p.DefaultVersion)
		if err != nil {
			t.Fatalf("%s %s: %v", p.Name, p.DefaultVersion, err)
		}
		checked++
		for _, f := range analysis.ValidatePolicy(doc, analysis.IdentityPolicy, opts) {
			if !slices.Contains(catalogDependent, f.IssueCode) && !slices.Contains(expected, f.IssueCode) {
				t.Errorf("ValidatePolicy(%s %s) = %s %s: %s", p.Name, p.DefaultVersion, f.Type, f.IssueCode, f.Details)
			}
		}
	}
	if raceEnabled {
		want = (len(policies) + 9) / 10
	}
	if checked != want {
		t.Errorf("checked %d of %d policies", checked, want)
	}
}
