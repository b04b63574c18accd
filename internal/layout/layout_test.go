package layout

import (
	"slices"
	"testing"
)

func TestModuleFollowsDesign(t *testing.T) {
	graph, err := Graph("../..")
	if err != nil {
		t.Fatal(err)
	}
	if len(graph) < 10 {
		t.Fatalf("Graph found %d packages, want the whole module", len(graph))
	}
	for _, v := range Design().Check(graph) {
		t.Errorf("import against DESIGN.md: %s", v)
	}
}

func TestBadImportIsCaught(t *testing.T) {
	graph, err := Graph("testdata/badmod")
	if err != nil {
		t.Fatal(err)
	}
	got := Design().Check(graph)
	want := []Violation{{From: "policy", To: "eval"}}
	if !slices.Equal(got, want) {
		t.Errorf("Check(badmod) = %v, want %v", got, want)
	}
}

func TestRules(t *testing.T) {
	tests := []struct {
		name  string
		graph map[string][]string
		want  int
	}{
		{"direct edge", map[string][]string{"eval": {"policy"}}, 0},
		{"transitive edge", map[string][]string{"internal/server": {"policy", "internal/store"}}, 0},
		{"upward", map[string][]string{"internal/store": {"internal/iam"}}, 1},
		{"sibling", map[string][]string{"internal/sts": {"internal/mq"}}, 1},
		{"unknown package", map[string][]string{"internal/utils": nil}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Design().Check(tt.graph); len(got) != tt.want {
				t.Errorf("Check(%v) = %v, want %d violations", tt.graph, got, tt.want)
			}
		})
	}
}
