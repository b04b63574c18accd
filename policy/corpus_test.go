package policy

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// corpusFile is one document of testdata/<kind>/*.json.
type corpusFile struct {
	kind Kind
	path string // testdata/<kind>/<name>.json
	name string // <kind>/<name>
}

// corpus lists testdata/<kind>/*.json. A name says what the document is:
// ok-… has no findings that are errors, warn-… has warnings only, bad-… has
// at least one error.
func corpus(t testing.TB) []corpusFile {
	t.Helper()
	var out []corpusFile
	for _, k := range Kinds() {
		paths, err := filepath.Glob(filepath.Join("testdata", string(k), "*.json"))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range paths {
			out = append(out, corpusFile{kind: k, path: p, name: string(k) + "/" + strings.TrimSuffix(filepath.Base(p), ".json")})
		}
	}
	if len(out) == 0 {
		t.Fatal("no documents in testdata")
	}
	return out
}

// findingsOf parses and validates text as kind k; a parse error is the one
// finding.
func findingsOf(text string, k Kind) (*Document, []Finding) {
	d, err := Parse(text)
	if err != nil {
		f, ok := ParseFinding(err, k)
		if !ok {
			panic(err)
		}
		return nil, []Finding{f}
	}
	return d, d.Validate(k)
}

// golden formats findings and the canonical form for a golden file.
func golden(d *Document, fs []Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "%d:%d: %s %s %s: %s (%s)\n", f.Pos.Line, f.Pos.Column, f.Severity, f.Code, f.Path, f.Message, f.Detail)
	}
	if d != nil {
		b.WriteString("-- Print --\n")
		b.WriteString(Print(d))
		b.WriteString("\n")
	}
	return b.String()
}

func TestCorpus(t *testing.T) {
	for _, c := range corpus(t) {
		t.Run(c.name, func(t *testing.T) {
			text, err := os.ReadFile(c.path)
			if err != nil {
				t.Fatal(err)
			}
			d, fs := findingsOf(string(text), c.kind)
			checkOutcome(t, c, fs)
			checkPositions(t, c, string(text), fs)
			if d != nil {
				if d2, err := Parse(Print(d)); err != nil || !Equal(d, d2) {
					t.Errorf("Parse(Print(%s)) = %v, want a document Equal to Parse(%[1]s)", c.name, err)
				}
			}
			got := golden(d, fs)
			goldenPath := strings.TrimSuffix(c.path, ".json") + ".golden"
			if *update {
				if err := os.WriteFile(goldenPath, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(goldenPath)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("Validate(%s) =\n%s\nwant (%s)\n%s", c.name, got, goldenPath, want)
			}
		})
	}
}

// checkOutcome checks the findings against what the file's name promises.
func checkOutcome(t *testing.T, c corpusFile, fs []Finding) {
	t.Helper()
	base := filepath.Base(c.path)
	warnings := len(fs) > 0 && !HasErrors(fs)
	switch {
	case strings.HasPrefix(base, "ok-") && len(fs) > 0:
		t.Errorf("Validate(%s) = %v, want no findings", c.name, fs)
	case strings.HasPrefix(base, "warn-") && !warnings:
		t.Errorf("Validate(%s) = %v, want warnings only", c.name, fs)
	case strings.HasPrefix(base, "bad-") && !HasErrors(fs):
		t.Errorf("Validate(%s) = %v, want errors", c.name, fs)
	}
	for _, f := range fs {
		if f.Severity == SeverityError && f.Message == "" {
			t.Errorf("Validate(%s): error %s has no IAM message", c.name, f.Code)
		}
		if f.Pos.Line == 0 {
			t.Errorf("Validate(%s): %s has no position", c.name, f.Code)
		}
	}
}

// checkPositions checks that every finding points at the start of a token
// (never at white space) and that its line and column agree with its offset.
func checkPositions(t *testing.T, c corpusFile, text string, fs []Finding) {
	t.Helper()
	for _, f := range fs {
		if f.Pos.Offset > len(text) {
			t.Errorf("Validate(%s): %s at offset %d, past the end", c.name, f.Code, f.Pos.Offset)
			continue
		}
		if want := positionAt(text, f.Pos.Offset); f.Pos != want {
			t.Errorf("Validate(%s): %s at %+v, but offset %d is %+v", c.name, f.Code, f.Pos, f.Pos.Offset, want)
		}
		if f.Pos.Offset < len(text) && strings.ContainsRune(" \t\r\n", rune(text[f.Pos.Offset])) {
			t.Errorf("Validate(%s): %s points at white space (%d:%d)", c.name, f.Code, f.Pos.Line, f.Pos.Column)
		}
	}
}
