package policy

import (
	"compress/gzip"
	"encoding/json"
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
	Text            string
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
		switch {
		case name == "all-aws-managed-policies.json.gz":
			out = append(out, loadAll(t, filepath.Join(sharedData, name))...)
		case strings.HasSuffix(name, ".json") || strings.HasSuffix(name, ".versions.json.gz"):
			out = append(out, loadOne(t, filepath.Join(sharedData, name))...)
		}
	}
	return out
}

type versionsFile struct {
	PolicyName string
	Versions   []struct {
		VersionID string          `json:"VersionId"`
		Document  json.RawMessage `json:"Document"`
	}
}

func readJSON(t testing.TB, path string, v any) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var r interface{ Read([]byte) (int, error) } = f
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	}
	if err := json.NewDecoder(r).Decode(v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func loadOne(t testing.TB, path string) []managedVersion {
	var vf versionsFile
	readJSON(t, path, &vf)
	var out []managedVersion
	for _, v := range vf.Versions {
		if len(v.Document) == 0 { // ReadOnlyAccess.json points to its .versions.json.gz
			continue
		}
		out = append(out, managedVersion{vf.PolicyName, v.VersionID, string(v.Document)})
	}
	return out
}

func loadAll(t testing.TB, path string) []managedVersion {
	var all struct{ Policies []versionsFile }
	readJSON(t, path, &all)
	var out []managedVersion
	for _, p := range all.Policies {
		for _, v := range p.Versions {
			out = append(out, managedVersion{p.PolicyName, v.VersionID, string(v.Document)})
		}
	}
	return out
}

// TestManaged parses every recovered version of every AWS managed policy
// (6,389 documents with the per-policy files) and validates each as an
// identity policy. IAM accepted them all, so the only findings may be the
// known historical oddities: malformed action names (warnings) and one
// condition key without a vendor, which IAM's API refuses today.
func TestManaged(t *testing.T) {
	known := map[string]Code{
		"AmazonEC2SpotFleetTaggingRole v1": CodeConditionKey,
		"ViewOnlyAccess v1":                CodeActionName,
		"ReadOnlyAccess v61":               CodeActionName,
		"ReadOnlyAccess v62":               CodeActionName,
	}
	seen := map[string]bool{}
	versions := loadManaged(t)
	if len(versions) < 6194 {
		t.Errorf("loaded %d versions, want at least 6,194", len(versions))
	}
	for _, v := range versions {
		d, err := Parse(v.Text)
		if err != nil {
			t.Fatalf("Parse(%s %s) = %v", v.Policy, v.Version, err)
		}
		name := v.Policy + " " + v.Version
		for _, f := range d.Validate(KindIdentity) {
			if f.Code == CodeActionName && f.Severity == SeverityWarning {
				seen[name] = true
				continue
			}
			if known[name] == f.Code {
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
