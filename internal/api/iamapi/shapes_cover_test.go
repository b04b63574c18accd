package iamapi

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/iamq/iamq/internal/authz"
)

// awaitingGolden names operations served without a golden answer yet: a
// debt written down, to be paid by adding their steps to shapeSteps. Empty.
var awaitingGolden = []string{}

// TestShapesCoverEveryOperation: every IAM operation iamq serves has its
// answer kept in a golden file (testdata/shapes or testdata/policies), so
// an operation added to the table without one fails here, unless
// awaitingGolden names it.
func TestShapesCoverEveryOperation(t *testing.T) {
	covered := map[string]bool{}
	for _, steps := range [][]struct{ name, form string }{shapeSteps, policyGoldenSteps} {
		for _, s := range steps {
			if strings.HasPrefix(s.form, "sts:") {
				continue
			}
			q, err := url.ParseQuery(s.form)
			if err != nil {
				t.Fatalf("step %s: %v", s.name, err)
			}
			covered[q.Get("Action")] = true
		}
	}
	var missing []string
	for _, o := range (&api{authz: &authz.Authorizer{}}).operations() {
		if !covered[o.name] && !slices.Contains(awaitingGolden, o.name) {
			missing = append(missing, o.name)
		}
	}
	slices.Sort(missing)
	if len(missing) > 0 {
		t.Errorf("%d operations served without a golden answer: %v", len(missing), missing)
	}
}
