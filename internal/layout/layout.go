package layout

import (
	"encoding/json"
	"fmt"
	"io"
	"os/exec"
	"slices"
	"strings"
)

// Module is iamq's module path.
const Module = "github.com/iamq/iamq"

// Rules maps a package, relative to the module root, to the packages it may
// import directly. What those may import, it may import too: the table is a
// directed acyclic graph and a package may use anything below it.
type Rules map[string][]string

// Design returns the table of DESIGN.md. The three store backends live under
// internal/store; cmd/iamq is the composition root that opens them and serves
// the endpoint's connections with internal/httpserve, a leaf like sigv4.
func Design() Rules {
	return Rules{
		"cmd/iamq":                       {"internal/server", "internal/httpserve", "internal/store/sqlite", "internal/store/postgres"},
		"internal/server":                {"internal/sigv4", "internal/authz", "internal/iam", "internal/sts", "internal/mq", "internal/web"},
		"internal/web":                   {"internal/managed"},
		"internal/mq":                    {"internal/iam"},
		"internal/sts":                   {"internal/iam"},
		"internal/iam":                   {"internal/managed", "internal/store", "eval", "policy"},
		"internal/authz":                 {"internal/store", "eval", "policy"},
		"internal/managed":               {"internal/analysis", "internal/catalog", "internal/store", "eval", "policy"},
		"internal/analysis":              {"internal/catalog", "eval", "policy"},
		"internal/catalog":               {"policy"},
		"internal/store":                 {"policy"},
		"internal/store/sqlite":          {"internal/store"},
		"internal/store/postgres":        {"internal/store"},
		"internal/store/storetest":       {"internal/store"},
		"internal/store/postgres/pgtest": {},
		"eval":                           {"policy"},
		"internal/sigv4":                 {},
		"internal/httpserve":             {},
		"policy":                         {},
		"internal/layout":                {},
	}
}

// Violation is one import that the rules forbid.
type Violation struct {
	From, To string // module-relative package paths
}

func (v Violation) String() string { return v.From + " may not import " + v.To }

// allowed returns the closure of what pkg may import.
func (r Rules) allowed(pkg string) map[string]bool {
	seen := map[string]bool{}
	var walk func(string)
	walk = func(p string) {
		for _, q := range r[p] {
			if !seen[q] {
				seen[q] = true
				walk(q)
			}
		}
	}
	walk(pkg)
	return seen
}

// Check returns every import in graph (package → its direct imports, both
// module-relative) that the rules forbid, and every package the rules do not
// name, so that a new package must be placed in the table before it is used.
func (r Rules) Check(graph map[string][]string) []Violation {
	var out []Violation
	for from, imports := range graph {
		if _, known := r[from]; !known {
			out = append(out, Violation{From: from, To: "(anything: not in the dependency table)"})
			continue
		}
		ok := r.allowed(from)
		for _, to := range imports {
			if !ok[to] {
				out = append(out, Violation{From: from, To: to})
			}
		}
	}
	slices.SortFunc(out, func(a, b Violation) int { return strings.Compare(a.String(), b.String()) })
	return out
}

// Graph runs `go list` in dir and returns the module's packages with their
// direct imports of other module packages, module-relative. Test files are
// not included: tests may reach wherever they need to.
func Graph(dir string) (map[string][]string, error) {
	cmd := exec.Command("go", "list", "-json=ImportPath,Imports", "./...")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list in %s: %w", dir, err)
	}
	graph := map[string][]string{}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p struct {
			ImportPath string
			Imports    []string
		}
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			return nil, err
		}
		from, ok := relative(p.ImportPath)
		if !ok {
			continue
		}
		var deps []string
		for _, imp := range p.Imports {
			if to, ok := relative(imp); ok {
				deps = append(deps, to)
			}
		}
		graph[from] = deps
	}
	return graph, nil
}

func relative(path string) (string, bool) {
	if path == Module {
		return ".", true
	}
	return strings.CutPrefix(path, Module+"/")
}
