package analysis

import (
	"errors"
	"fmt"
	"strings"

	"github.com/iamq/iamq/policy"
)

// The custom checks compare patterns as automata, whose cost grows with the
// wildcards of the patterns compared. Real policies stay far below these
// bounds (ReadOnlyAccess, the largest AWS managed policy, has at most one
// wildcard in a pattern and 390 in a version); a document above them is
// refused rather than analyzed, so that no request can buy minutes of CPU.
const (
	maxPatternWildcards = 8
	maxPatternBytes     = 2048
	maxDocWildcards     = 4096
	// maxInclusionChecks bounds the automata comparisons of ValidatePolicy's
	// redundancy checks in one document; past it they are not made.
	maxInclusionChecks = 4096
	// maxAutomataChecks bounds those of them that the glob fast paths
	// cannot decide (two patterns with wildcards in the middle).
	maxAutomataChecks = 16
)

// ErrTooComplex is returned by [Complexity] for a document whose patterns
// exceed the bounds the checks analyze.
var ErrTooComplex = errors.New("analysis: policy too complex to analyze")

// Complexity reports, wrapping [ErrTooComplex], the first document of docs
// with a pattern (action, resource) of more than 8 wildcards or 2,048
// bytes, or more than 4,096 wildcards in all.
func Complexity(docs ...*policy.Document) error {
	for _, d := range docs {
		total := 0
		for i := range d.Statements {
			s := &d.Statements[i]
			for _, list := range [][]string{s.Action, s.NotAction, s.Resource, s.NotResource} {
				for _, p := range list {
					w := wildcards(p)
					total += w
					if w > maxPatternWildcards || len(p) > maxPatternBytes {
						return fmt.Errorf("%w: Statement[%d] has a pattern of %d wildcards and %d bytes (at most %d and %d)",
							ErrTooComplex, s.Index, w, len(p), maxPatternWildcards, maxPatternBytes)
					}
				}
			}
		}
		if total > maxDocWildcards {
			return fmt.Errorf("%w: %d wildcards in one document (at most %d)", ErrTooComplex, total, maxDocWildcards)
		}
	}
	return nil
}

func wildcards(p string) int { return strings.Count(p, "*") + strings.Count(p, "?") }

// tooComplex is the FAIL of a check whose documents exceed the bounds.
func tooComplex(err error) Outcome {
	return Outcome{Result: Fail, Message: "The policy is too complex for iamq to decide.",
		Reasons: []Reason{{Index: -1, Description: err.Error() + ": iamq answers FAIL when it cannot decide."}}}
}
