package analysis_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/iamq/iamq/eval"
	"github.com/iamq/iamq/internal/analysis"
	"github.com/iamq/iamq/internal/catalog"
	"github.com/iamq/iamq/internal/managed"
	"github.com/iamq/iamq/policy"
)

// permissionChange is one entry of testdata/history/<Policy>.changes.json.
type permissionChange struct {
	From, To                         string
	EffectiveActionsRemovedCount     int      `json:"effectiveActionsRemovedCount"`
	EffectiveActionsRemoved          []string `json:"effectiveActionsRemoved"`
	EffectiveActionsRemovedTruncated bool     `json:"effectiveActionsRemovedTruncated"`
}

// confirm reports whether eval allows r under a and not under b, for the
// principal the analysis names (an IAM user of account 111122223333).
func confirm(t *testing.T, a, b *policy.Document, r *analysis.Request) bool {
	t.Helper()
	decide := func(d *policy.Document) eval.Decision {
		set, err := eval.Compile(eval.Policies{Identity: []eval.Policy{{ID: "p", Document: d}}})
		if err != nil {
			t.Fatal(err)
		}
		var ctx eval.Context
		for _, kv := range r.Context {
			vals := make([]eval.Value, len(kv.Values))
			for i, v := range kv.Values {
				vals[i] = eval.String(v)
			}
			ctx.Add(kv.Key, vals...)
		}
		p := eval.Principal{Kind: eval.PrincipalUser, ARN: "arn:aws:iam::111122223333:user/analysis", Account: "111122223333"}
		return set.Evaluate(&eval.Request{Principal: p, Action: r.Action, Resource: r.Resource, Context: &ctx})
	}
	return decide(a) == eval.Allowed && decide(b) != eval.Allowed
}

// versions returns the documents of a managed policy's recovered versions.
func versions(t *testing.T, lib *managed.Library, policyARN string) map[string]*policy.Document {
	t.Helper()
	p, ok := lib.Lookup(policyARN)
	if !ok {
		t.Fatalf("no managed policy %s", policyARN)
	}
	out := map[string]*policy.Document{}
	for _, v := range p.Versions {
		text, err := lib.Document(p, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		d, err := policy.Parse(text)
		if err != nil {
			t.Fatalf("%s %s: %v", policyARN, v.ID, err)
		}
		out[v.ID] = d
	}
	return out
}

// removedAction reports whether action is among the data's removed actions:
// named, or matched by an "(unmatched) PATTERN" entry (a pattern today's
// catalog has no action for), or — when the data lists only the first 100 —
// granted by the old version's catalog expansion and not by the new one's.
func removedAction(pc permissionChange, action string, oldDoc, newDoc *policy.Document) bool {
	for _, r := range pc.EffectiveActionsRemoved {
		if p, ok := strings.CutPrefix(r, "(unmatched) "); ok {
			if catalog.MatchAction(p, action) {
				return true
			}
		} else if strings.EqualFold(r, action) {
			return true
		}
	}
	return pc.EffectiveActionsRemovedTruncated && expands(oldDoc, action) && !expands(newDoc, action)
}

// unmatchedCovered reports whether every removal the data records is an
// "(unmatched) ACTION" entry (a literal action string its catalog does not
// know) that an Allow pattern of the new version still matches: the data
// compares strings there, and nothing was lost.
func unmatchedCovered(pc permissionChange, newDoc *policy.Document) bool {
	for _, r := range pc.EffectiveActionsRemoved {
		p, ok := strings.CutPrefix(r, "(unmatched) ")
		if !ok || strings.ContainsAny(p, "*?") || !expands(newDoc, p) {
			return false
		}
	}
	return !pc.EffectiveActionsRemovedTruncated
}

// expands reports whether an Action pattern of an Allow statement of d
// matches action.
func expands(d *policy.Document, action string) bool {
	for _, s := range d.Statements {
		if s.Effect != policy.Allow {
			continue
		}
		for _, p := range s.Action {
			if catalog.MatchAction(p, action) {
				return true
			}
		}
	}
	return false
}

// TestJobFunctionHistories replays ReadOnlyAccess and ViewOnlyAccess: every
// step whose recorded PermissionChanges removed effective actions must be
// flagged with a counterexample (confirmed by eval) whose action is among
// them, and ViewOnlyAccess has no unknown step. Steps the analysis flags
// beyond the data (which compares catalog expansions only) are logged.
func TestJobFunctionHistories(t *testing.T) {
	lib := managed.Builtin()
	for _, tc := range []struct {
		name, arn     string
		steps         int
		allowUnknowns bool
	}{
		{"ReadOnlyAccess", "arn:aws:iam::aws:policy/ReadOnlyAccess", 150, true},
		{"ViewOnlyAccess", "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess", 32, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw, err := os.ReadFile("testdata/history/" + tc.name + ".changes.json")
			if err != nil {
				t.Fatal(err)
			}
			var changes []permissionChange
			if err := json.Unmarshal(raw, &changes); err != nil {
				t.Fatal(err)
			}
			if len(changes) != tc.steps {
				t.Fatalf("%d steps in the data, want %d", len(changes), tc.steps)
			}
			docs := versions(t, lib, tc.arn)
			counts := map[analysis.Verdict]int{}
			for _, pc := range changes {
				oldDoc, newDoc := docs[pc.From], docs[pc.To]
				if oldDoc == nil || newDoc == nil {
					t.Fatalf("%s→%s: version not in the library", pc.From, pc.To)
				}
				got := analysis.Covers(oldDoc, newDoc, analysis.Options{})
				counts[got.Verdict]++
				step := pc.From + "→" + pc.To
				switch {
				case got.Verdict == analysis.Counterexample && !confirm(t, oldDoc, newDoc, got.Request):
					t.Errorf("Covers(%s) = %+v: eval does not confirm it", step, got.Request)
				case pc.EffectiveActionsRemovedCount > 0 && unmatchedCovered(pc, newDoc):
					t.Logf("%s: %v; the data's removals %q are action strings its catalog does not know, which a pattern of %s covers", step, got.Verdict, pc.EffectiveActionsRemoved, pc.To)
				case pc.EffectiveActionsRemovedCount > 0 && got.Verdict != analysis.Counterexample:
					t.Errorf("Covers(%s) = %v (%s), want a counterexample: %d actions removed", step, got.Verdict, got.Reason, pc.EffectiveActionsRemovedCount)
				case pc.EffectiveActionsRemovedCount > 0 && !removedAction(pc, got.Request.Action, oldDoc, newDoc):
					t.Errorf("Covers(%s): counterexample action %s is not among the removed %q", step, got.Request.Action, pc.EffectiveActionsRemoved)
				case got.Verdict == analysis.Unknown && !tc.allowUnknowns:
					t.Errorf("Covers(%s) = unknown (%s), want decided", step, got.Reason)
				case got.Verdict == analysis.Counterexample && pc.EffectiveActionsRemovedCount == 0:
					t.Logf("%s: flagged beyond the data: %s (%s)", step, got.Request.Action, got.Reason)
				}
			}
			t.Logf("%s: %d proven, %d counterexample, %d unknown", tc.name, counts[analysis.Proven], counts[analysis.Counterexample], counts[analysis.Unknown])
		})
	}
}
