package analysis

import (
	"encoding/json"
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
