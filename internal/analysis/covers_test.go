package analysis

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/iamq/iamq/policy"
)

// coverCase is one case of the testdata/covers corpus.
type coverCase struct {
	Name string          `json:"name"`
	A    json.RawMessage `json:"a"`
	B    json.RawMessage `json:"b"`
	Want string          `json:"want"`
}

// loadCases reads every case of testdata/covers, named "file/case".
func loadCases(tb testing.TB) map[string]coverCase {
	tb.Helper()
	files, err := filepath.Glob("testdata/covers/*.json")
	if err != nil || len(files) == 0 {
		tb.Fatalf("no corpus: %v", err)
	}
	out := map[string]coverCase{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		var cs []coverCase
		if err := json.Unmarshal(b, &cs); err != nil {
			tb.Fatalf("%s: %v", f, err)
		}
		for _, c := range cs {
			out[filepath.Base(f)+"/"+c.Name] = c
		}
	}
	return out
}

func mustParse(tb testing.TB, text string) *policy.Document {
	tb.Helper()
	d, err := policy.Parse(text)
	if err != nil {
		tb.Fatalf("Parse(%s): %v", text, err)
	}
	return d
}

func TestCovers(t *testing.T) {
	for name, c := range loadCases(t) {
		t.Run(name, func(t *testing.T) {
			a, b := mustParse(t, string(c.A)), mustParse(t, string(c.B))
			got := Covers(a, b, Options{})
			if got.Verdict.String() != c.Want {
				t.Fatalf("Covers = %v (%s; %+v), want %s", got.Verdict, got.Reason, got.Request, c.Want)
			}
			if got.Verdict == Counterexample {
				d, err := newDecider(a, b)
				if err != nil {
					t.Fatal(err)
				}
				if !d.isCounterexample(got.Request) {
					t.Fatalf("Covers: %+v is not a counterexample", got.Request)
				}
				t.Logf("counterexample %+v", *got.Request)
			}
		})
	}
}
