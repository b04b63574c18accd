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
	tests := []struct {
		dir  string
		want []Violation
	}{
		{"testdata/badmod", []Violation{{From: "policy", To: "eval"}}},
		// server → authz → store is in the table, server → store is not: a
		// check of the table's closure passed this module.
		{"testdata/closuremod", []Violation{{From: "internal/server", To: "internal/store"}}},
	}
	for _, tt := range tests {
		graph, err := Graph(tt.dir)
		if err != nil {
			t.Fatal(err)
		}
		if got := Design().Check(graph); !slices.Equal(got, tt.want) {
			t.Errorf("Check(%s) = %v, want %v", tt.dir, got, tt.want)
		}
	}
}

func TestRules(t *testing.T) {
	tests := []struct {
		name  string
		graph map[string][]string
		want  int
	}{
		{"direct edge", map[string][]string{"eval": {"policy"}}, 0},
		{"edge of the closure only", map[string][]string{"internal/server": {"internal/authz", "internal/store"}}, 1},
		{"upward", map[string][]string{"internal/store": {"internal/iam"}}, 1},
		{"sibling", map[string][]string{"internal/sts": {"internal/mq"}}, 1},
		{"unknown package", map[string][]string{"internal/utils": nil}, 1},
		{"root imports anything", map[string][]string{Root: {"internal/store/sqlstore", "eval", "internal/api/iamapi"}}, 0},
		{"nothing imports the root", map[string][]string{"internal/server": {Root}}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Design().Check(tt.graph); len(got) != tt.want {
				t.Errorf("Check(%v) = %v, want %d violations", tt.graph, got, tt.want)
			}
		})
	}
}

// TestDesignIsADAG: the table has no cycle, so nothing imports upward.
func TestDesignIsADAG(t *testing.T) {
	r := Design()
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(p string, path []string)
	visit = func(p string, path []string) {
		switch state[p] {
		case 1:
			t.Fatalf("the table has a cycle: %v", append(path, p))
		case 2:
			return
		}
		state[p] = 1
		for _, q := range r[p] {
			if _, ok := r[q]; !ok {
				t.Errorf("%s may import %s, which the table does not name", p, q)
				continue
			}
			visit(q, append(path, p))
		}
		state[p] = 2
	}
	for p := range r {
		visit(p, nil)
	}
}
