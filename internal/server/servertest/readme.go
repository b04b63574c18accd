package servertest

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// READMEOperations returns the Operations section of the module's
// README.md (from "## Operations" to the next "## "), found from the test's
// directory upwards, so that each wire package can check that what a user
// reads is what it serves.
func READMEOperations(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "README.md")); err == nil {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				text := string(b)
				i := strings.Index(text, "## Operations")
				if i < 0 {
					tb.Fatal("README.md has no Operations section")
				}
				text = text[i:]
				if j := strings.Index(text[3:], "\n## "); j >= 0 {
					text = text[:j+3]
				}
				return text
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("no README.md beside a go.mod above the test's directory")
		}
		dir = parent
	}
}

// CheckREADMENames fails tb for each name the README's Operations section
// does not mention as a word.
func CheckREADMENames(tb testing.TB, names []string) {
	tb.Helper()
	text := READMEOperations(tb)
	for _, name := range names {
		if !regexp.MustCompile(`\b` + regexp.QuoteMeta(name) + `\b`).MatchString(text) {
			tb.Errorf("README.md's Operations do not name %s", name)
		}
	}
}
