package policy

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sharedData is shared/data beside the clone: ../../shared/data from the
// repository's policy directory, on developer machines and in CI alike.
var sharedData = filepath.Join("..", "..", "shared", "data", "managed-policies")

// managedVersion is one version of an AWS managed policy from shared/data.
type managedVersion struct {
	Policy, Version string
	file            string // the whole file
	at              int    // where the document begins in file
}

// loadManaged reads every version of every AWS managed policy in shared/data:
// the per-policy files, ReadOnlyAccess's versions and the all-policies file.
// It skips the test when shared/data is not there.
func loadManaged(t testing.TB) []managedVersion {
	t.Helper()
	entries, err := os.ReadDir(sharedData)
	if os.IsNotExist(err) {
		t.Skipf("no shared data at %s", sharedData)
	}
	if err != nil {
		t.Fatal(err)
	}
	var out []managedVersion
	for _, e := range entries {
		name := e.Name()
		if strings.HasSuffix(name, ".json") || strings.HasSuffix(name, ".json.gz") {
			out = append(out, loadFile(t, filepath.Join(sharedData, name))...)
		}
	}
	return out
}

// readText reads a file, gunzipping it when its name ends in .gz.
func readText(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if b, err = io.ReadAll(zr); err != nil {
			t.Fatal(err)
		}
	}
	return string(b)
}

// loadFile returns the documents in a shared/data file (a per-policy file,
// ReadOnlyAccess.versions.json.gz or the all-policies file), each exactly as
// written there. It finds them with strings.Index, which costs next to
// nothing even under the race detector, and reads each document's extent
// with this package's scanner only when asked (managedVersion.text).
func loadFile(t testing.TB, path string) []managedVersion {
	t.Helper()
	file := readText(t, path)
	const key = `"Document":`
	var out []managedVersion
	for off := 0; ; {
		i := strings.Index(file[off:], key)
		if i < 0 {
			return out
		}
		at := off + i + len(key)
		off = at
		version := lastString(file[:at], `"VersionId":`)
		if version == "" {
			version = "default" // the per-policy files' own Document
		}
		out = append(out, managedVersion{Policy: lastString(file[:at], `"PolicyName":`), Version: version, file: file, at: at})
	}
}

// loadFileOrSkip is loadFile, skipping the test when shared/data is absent.
func loadFileOrSkip(t testing.TB, path string) []managedVersion {
	t.Helper()
	if _, err := os.Stat(path); os.IsNotExist(err) {
		t.Skipf("no shared data at %s", path)
	}
	return loadFile(t, path)
}

// lastString returns the string value of the last key before the end of s.
func lastString(s, key string) string {
	i := strings.LastIndex(s, key)
	if i < 0 {
		return ""
	}
	sc := newScanner(s)
	sc.i = i + len(key)
	v, _ := sc.str()
	return v
}

// text returns the document's text.
func (v managedVersion) text(t testing.TB) string {
	sc := newScanner(v.file)
	sc.i = v.at
	sc.space()
	start := sc.i
	if err := sc.skip(); err != nil {
		t.Fatalf("%s %s: %v", v.Policy, v.Version, err)
	}
	return v.file[start:sc.i]
}

// TestManaged parses every recovered version of every AWS managed policy
// (6,194 in the all-policies file, 6,389 with the per-policy files),
// validates each as an identity policy and checks that Parse(Print(d)) is
// Equal to d. IAM accepted them all, so the only findings may be the known
// historical oddities: malformed action names (warnings) and one condition
// key without a vendor, which IAM's API refuses today.
//
// Under the race detector, which slows the scanner down fifteenfold, it
// takes every tenth document plus the known oddities, to stay within a few
// seconds; a plain go test takes them all.
func TestManaged(t *testing.T) {
	known := map[string]Code{
		"AmazonEC2SpotFleetTaggingRole v1": CodeConditionKey,
		"ViewOnlyAccess v1":                CodeActionName,
		"ReadOnlyAccess v61":               CodeActionName,
		"ReadOnlyAccess v62":               CodeActionName,
	}
	seen := map[string]bool{}
	versions := loadManaged(t)
	if len(versions) < 6194+195 {
		t.Errorf("found %d documents, want at least 6,389", len(versions))
	}
	for i, v := range versions {
		name := v.Policy + " " + v.Version
		if _, ok := known[name]; raceEnabled && i%10 != 0 && !ok {
			continue
		}
		for _, f := range checkManaged(t, name, v.text(t)) {
			if f.Code == CodeActionName && f.Severity == SeverityWarning || known[name] == f.Code {
				seen[name] = true
				continue
			}
			t.Errorf("Validate(%s) = %s %s: %s", name, f.Code, f.Path, f)
		}
	}
	for name := range known {
		if !seen[name] {
			t.Errorf("Validate(%s) reported nothing, want %s", name, known[name])
		}
	}
}

// checkManaged parses, round-trips and validates one document.
func checkManaged(t *testing.T, name, text string) []Finding {
	d, err := Parse(text)
	if err != nil {
		t.Errorf("Parse(%s) = %v", name, err)
		return nil
	}
	if d2, err := Parse(Print(d)); err != nil || !Equal(d, d2) {
		t.Errorf("Parse(Print(%s)) = %v, want a document Equal to Parse(%[1]s)", name, err)
	}
	return d.Validate(KindIdentity)
}
