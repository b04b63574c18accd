package analysis

import "testing"

func TestIncluded(t *testing.T) {
	for _, tc := range []struct {
		a, b []string
		fold bool
		want bool
	}{
		{[]string{"mq:Describe*"}, []string{"mq:*"}, true, true},
		{[]string{"mq:*"}, []string{"mq:Describe*"}, true, false},
		{[]string{"MQ:DescribeBroker"}, []string{"mq:describe*"}, true, true},
		{[]string{"MQ:DescribeBroker"}, []string{"mq:describe*"}, false, false},
		{[]string{"mq:*"}, []string{"mq:", "mq:?*"}, true, true},
		{[]string{"mq:*"}, []string{"mq:D*", "mq:??*"}, true, false},
		{[]string{"a?c"}, []string{"a*"}, false, true},
		{[]string{"a*c"}, []string{"a?c"}, false, false},
		{[]string{"*"}, []string{"*"}, false, true},
		{[]string{"arn:aws:s3:::b/*"}, []string{"arn:aws:s3:::b*"}, false, true},
		{[]string{"x*y*z"}, []string{"x*z"}, false, true},
		{[]string{"x*z"}, []string{"x*y*z"}, false, false},
	} {
		ok, w, decided := included(newLang(tc.a, tc.fold), newLang(tc.b, tc.fold), "x")
		if !decided || ok != tc.want {
			t.Errorf("included(%q, %q) = %v (%q, decided %v), want %v", tc.a, tc.b, ok, w, decided, tc.want)
		}
		if !ok && decided {
			if !newLangMatch(tc.a, w, tc.fold) || newLangMatch(tc.b, w, tc.fold) {
				t.Errorf("included(%q, %q): witness %q is not in a minus b", tc.a, tc.b, w)
			}
		}
	}
}

func TestDisjoint(t *testing.T) {
	for _, tc := range []struct {
		a, b []string
		want bool
	}{
		{[]string{"mq:Describe*"}, []string{"mq:Delete*"}, true},
		{[]string{"mq:D*"}, []string{"mq:*Broker"}, false},
		{[]string{"s3:*"}, []string{"mq:*"}, true},
		{[]string{"*"}, []string{"mq:*"}, false},
	} {
		ok, w, decided := disjoint(newLang(tc.a, true), newLang(tc.b, true), "x")
		if !decided || ok != tc.want {
			t.Errorf("disjoint(%q, %q) = %v (%q), want %v", tc.a, tc.b, ok, w, tc.want)
		}
		if !ok && (!newLangMatch(tc.a, w, true) || !newLangMatch(tc.b, w, true)) {
			t.Errorf("disjoint(%q, %q): witness %q is not in both", tc.a, tc.b, w)
		}
	}
}

// newLangMatch reports whether s is in the language of patterns, by running
// the automaton on s.
func newLangMatch(patterns []string, s string, fold bool) bool {
	l := newLang(patterns, fold)
	st := normalize(l.start())
	for i := 0; i < len(s); i++ {
		st = l.step(st, s[i])
	}
	return l.accepts(st)
}
