package analysis

import (
	"slices"
	"testing"
)

// diffWant is what a Diff case expects for one service.
type diffWant struct {
	added, removed, changed, flagged  []string
	resourcesRemoved, conditionsAdded []string
}

func TestDiff(t *testing.T) {
	const mq = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["mq:Describe*","mq:List*"],"Resource":"*"}]}`
	for _, tc := range []struct {
		name, old, new    string
		narrowed, widened Verdict
		want              map[string]diffWant
	}{
		{name: "same", old: mq, new: mq, narrowed: Proven, widened: Proven, want: map[string]diffWant{}},
		{
			name:     "write added and flagged",
			old:      mq,
			new:      `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["mq:Describe*","mq:List*","mq:CreateBroker","iam:PutRolePolicy"],"Resource":"*"}]}`,
			narrowed: Proven, widened: Counterexample,
			want: map[string]diffWant{
				"mq":  {added: []string{"mq:CreateBroker"}, flagged: []string{"mq:CreateBroker"}},
				"iam": {added: []string{"iam:PutRolePolicy"}, flagged: []string{"iam:PutRolePolicy"}},
			},
		},
		{
			name:     "read removed",
			old:      mq,
			new:      `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["mq:Describe*"],"Resource":"*"}]}`,
			narrowed: Counterexample, widened: Proven,
			want: map[string]diffWant{"mq": {removed: []string{"mq:ListBrokers", "mq:ListConfigurationRevisions", "mq:ListConfigurations", "mq:ListTags", "mq:ListUsers"}}},
		},
		{
			name:     "resource narrowed",
			old:      mq,
			new:      `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["mq:Describe*","mq:List*"],"Resource":"arn:aws:mq:*:*:broker:*"}]}`,
			narrowed: Counterexample, widened: Proven,
			want: map[string]diffWant{"mq": {changed: []string{"mq:DescribeBroker", "mq:DescribeBrokerEngineTypes", "mq:DescribeBrokerInstanceOptions", "mq:DescribeConfiguration", "mq:DescribeConfigurationRevision", "mq:DescribeSharedResources", "mq:DescribeUser", "mq:ListBrokers", "mq:ListConfigurationRevisions", "mq:ListConfigurations", "mq:ListTags", "mq:ListUsers"}, resourcesRemoved: []string{"*"}}},
		},
		{
			name:     "condition added",
			old:      mq,
			new:      `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["mq:Describe*","mq:List*"],"Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}`,
			narrowed: Counterexample, widened: Proven,
			want: map[string]diffWant{"mq": {changed: []string{"mq:DescribeBroker", "mq:DescribeBrokerEngineTypes", "mq:DescribeBrokerInstanceOptions", "mq:DescribeConfiguration", "mq:DescribeConfigurationRevision", "mq:DescribeSharedResources", "mq:DescribeUser", "mq:ListBrokers", "mq:ListConfigurationRevisions", "mq:ListConfigurations", "mq:ListTags", "mq:ListUsers"}, conditionsAdded: []string{"Bool aws:SecureTransport [true]"}}},
		},
		{
			name:     "denied by an unconditional deny",
			old:      mq,
			new:      `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["mq:Describe*","mq:List*"],"Resource":"*"},{"Effect":"Deny","Action":"mq:ListUsers","Resource":"*"}]}`,
			narrowed: Counterexample, widened: Proven,
			want: map[string]diffWant{"mq": {removed: []string{"mq:ListUsers"}}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			oldDoc, newDoc := mustParse(t, tc.old), mustParse(t, tc.new)
			got := Diff(oldDoc, newDoc, Options{})
			if got.Narrowed.Verdict != tc.narrowed || got.Widened.Verdict != tc.widened {
				t.Fatalf("Diff: narrowed %v (%s), widened %v (%s), want %v, %v", got.Narrowed.Verdict, got.Narrowed.Reason, got.Widened.Verdict, got.Widened.Reason, tc.narrowed, tc.widened)
			}
			if len(got.Services) != len(tc.want) {
				t.Fatalf("Diff: %d services changed (%+v), want %d", len(got.Services), got.Services, len(tc.want))
			}
			d, err := newDecider(oldDoc, newDoc)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range got.Services {
				w, ok := tc.want[s.Prefix]
				if !ok {
					t.Fatalf("Diff: service %s changed, want not", s.Prefix)
				}
				check := func(what string, got []ActionChange, want []string) {
					t.Helper()
					if names := actionNames(got); !slices.Equal(names, want) {
						t.Errorf("Diff: %s %s = %q, want %q", s.Prefix, what, names, want)
					}
				}
				check("added", s.Added, w.added)
				check("removed", s.Removed, w.removed)
				check("changed", s.Changed, w.changed)
				var flagged []string
				for _, a := range s.Added {
					if a.Flagged {
						flagged = append(flagged, a.Action)
					}
				}
				if !slices.Equal(flagged, w.flagged) {
					t.Errorf("Diff: %s flagged %q, want %q", s.Prefix, flagged, w.flagged)
				}
				if !slices.Equal(s.ResourcesRemoved, w.resourcesRemoved) || !slices.Equal(s.ConditionsAdded, w.conditionsAdded) {
					t.Errorf("Diff: %s resources removed %q, conditions added %q, want %q, %q", s.Prefix, s.ResourcesRemoved, s.ConditionsAdded, w.resourcesRemoved, w.conditionsAdded)
				}
				for _, a := range append(slices.Clone(s.Removed), s.Changed...) {
					if a.Request == nil || a.Request.Action != a.Action || !d.isCounterexample(a.Request) {
						t.Errorf("Diff: %s: request %+v does not show the loss", a.Action, a.Request)
					}
				}
			}
		})
	}
}

func actionNames(cs []ActionChange) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Action)
	}
	return out
}
