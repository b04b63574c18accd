package analysis

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// TestAmazonMQHistory checks that every update of the Amazon MQ managed
// policies (testdata/amazonmq, copied from shared/data/managed-policies: each
// policy's recovered versions) keeps every permission: each step is Proven.
func TestAmazonMQHistory(t *testing.T) {
	files, _ := filepath.Glob("testdata/amazonmq/*.json")
	steps := 0
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var vs []struct {
			Version  string          `json:"version"`
			Document json.RawMessage `json:"document"`
		}
		if err := json.Unmarshal(raw, &vs); err != nil {
			t.Fatal(err)
		}
		num := func(v string) int { n, _ := strconv.Atoi(strings.TrimPrefix(v, "v")); return n }
		sort.Slice(vs, func(i, j int) bool { return num(vs[i].Version) < num(vs[j].Version) })
		for i := 1; i < len(vs); i++ {
			steps++
			old, cur := mustParse(t, string(vs[i-1].Document)), mustParse(t, string(vs[i].Document))
			name := strings.TrimSuffix(filepath.Base(f), ".json") + "/" + vs[i-1].Version + "-" + vs[i].Version
			if got := Covers(old, cur, Options{}); got.Verdict != Proven {
				t.Errorf("Covers(%s) = %v (%s; %+v), want proven", name, got.Verdict, got.Reason, got.Request)
			}
		}
	}
	if steps != 6 {
		t.Errorf("%d steps, want 6", steps)
	}
}
