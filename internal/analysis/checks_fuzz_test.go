package analysis

import (
	"encoding/json"
	"strings"
	"testing"
)

// FuzzLocate: Locate never panics on any text and path, and a span it
// returns lies in the text; in valid JSON the span is itself valid JSON.
func FuzzLocate(f *testing.F) {
	for _, c := range loadValidateCases(f) {
		f.Add(c.trigger, "Statement[0].Action[1]")
		f.Add(c.clean, "Statement[0].Condition.StringEquals.aws:x")
	}
	f.Add(`{"a": [1, {"b": "\"}"}]}`, "a[1].b")
	f.Fuzz(func(t *testing.T, text, path string) {
		sp, ok := Locate(text, ParsePath(path))
		if !ok {
			return
		}
		if sp.Start.Offset < 0 || sp.Start.Offset > sp.End.Offset || sp.End.Offset > len(text) {
			t.Fatalf("Locate(%q, %q) = %+v, outside the text", text, path, sp)
		}
		if json.Valid([]byte(text)) && !json.Valid([]byte(text[sp.Start.Offset:sp.End.Offset])) {
			t.Fatalf("Locate(%q, %q) = %q, not a JSON value", text, path, text[sp.Start.Offset:sp.End.Offset])
		}
	})
}

// FuzzValidatePolicy: any text gets findings, never a panic, and every
// finding has a code, a type and a location inside the text.
func FuzzValidatePolicy(f *testing.F) {
	for _, c := range loadValidateCases(f) {
		f.Add(c.trigger, uint8(0))
		f.Add(c.clean, uint8(1))
	}
	f.Fuzz(func(t *testing.T, text string, typ uint8) {
		types := PolicyTypes()
		for _, fd := range ValidatePolicy(text, types[int(typ)%len(types)], ValidateOptions{}) {
			if fd.IssueCode == "" || fd.Type == "" || len(fd.Locations) != 1 {
				t.Fatalf("ValidatePolicy(%q) finding %+v lacks code, type or location", text, fd)
			}
			if sp := fd.Locations[0].Span; sp.Start.Offset > sp.End.Offset || sp.End.Offset > len(text) {
				t.Fatalf("ValidatePolicy(%q) finding %+v spans outside the text", text, fd)
			}
		}
	})
}

// FuzzQuickIncludes: where the glob fast paths of the redundancy checks
// decide, they agree with the automata.
func FuzzQuickIncludes(f *testing.F) {
	for _, s := range [][2]string{{"mq:Describe*", "mq:DescribeBroker"}, {"s3:*Object", "s3:Get*Object"},
		{"arn:aws:s3:::b/*", "arn:aws:s3:::b/logs/*"}, {"a*b?c", "a*bxc"}, {"*", "x?y"}, {"a?", "a*"}} {
		f.Add(s[0], s[1], false)
		f.Add(s[0], s[1], true)
	}
	f.Fuzz(func(t *testing.T, q, p string, fold bool) {
		if len(q) > 24 || len(p) > 24 || !strings.ContainsAny(q, "*?") {
			return
		}
		ok, quick := quickIncludes(q, p, fold)
		if !quick {
			return
		}
		want, _, decided := included(newLang([]string{p}, fold), newLang([]string{q}, fold), "x")
		if decided && ok != want {
			t.Fatalf("quickIncludes(%q, %q, %v) = %v, automata say %v", q, p, fold, ok, want)
		}
	})
}
