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
// import directly. The check is of direct imports only, not of what those
// import in turn: every edge of the graph is a decision written down in
// DESIGN.md, so a package that needs one more must say so there.
type Rules map[string][]string

// Root is the composition root: it may import any package of the module, and
// no package may import it.
const Root = "cmd/iamq"

// Design returns the table of DESIGN.md ("Layout and dependency direction"),
// row for row.
func Design() Rules {
	return Rules{
		Root:                       nil, // anything: see Check
		"internal/api/iamapi":      {"internal/server", "internal/iam", "internal/authz", "internal/audit", "eval", "policy", "arn"},
		"internal/api/stsapi":      {"internal/server", "internal/sts", "internal/authz", "eval", "policy", "arn"},
		"internal/api/mqapi":       {"internal/server", "internal/mq", "internal/authz", "eval", "arn"},
		"internal/api/analyzerapi": {"internal/server", "internal/analysis", "internal/managed", "internal/authz", "internal/audit", "policy", "arn"},
		"internal/web":             {"internal/server", "internal/history", "internal/managed", "internal/analysis", "internal/catalog", "policy", "arn"},
		// internal/server/metrics, requestid and queryform are not in
		// DESIGN.md's table yet: the core's counters, request ids and Query
		// input decoding, packages apart (issue 15's closing note).
		"internal/server":                {"internal/httpserve", "internal/sigv4", "internal/authz", "internal/audit", "eval", "arn", "internal/server/metrics", "internal/server/requestid", "internal/server/queryform"},
		"internal/server/metrics":        {},
		"internal/server/requestid":      {},
		"internal/server/queryform":      {},
		"internal/mq":                    {"internal/iam", "internal/authz", "internal/audit", "internal/store", "eval", "arn"},
		"internal/sts":                   {"internal/iam", "internal/authz", "internal/store", "eval", "policy", "arn"},
		"internal/iam":                   {"internal/authz", "internal/managed", "internal/store", "eval", "policy", "arn"},
		"internal/authz":                 {"internal/managed", "internal/store", "eval", "policy", "arn"},
		"internal/audit":                 {"internal/store", "arn"},
		"internal/managed":               {"internal/history", "internal/analysis", "internal/catalog", "internal/store", "policy", "arn"},
		"internal/history":               {"internal/store", "arn"},
		"internal/analysis":              {"internal/catalog", "eval", "policy", "arn"},
		"internal/catalog":               {"policy", "arn"},
		"internal/store":                 {"policy", "arn"},
		"internal/store/sqlstore":        {"internal/store", "policy", "arn"},
		"internal/store/sqlite":          {"internal/store/sqlstore", "internal/store"},
		"internal/store/postgres":        {"internal/store/sqlstore", "internal/store"},
		"internal/store/storetest":       {"internal/store", "policy", "arn"},
		"internal/store/postgres/pgtest": {},
		// Not in DESIGN.md's table yet: a store.Store that times every
		// operation for /metrics, wired by cmd/iamq (issue 25).
		"internal/store/storemetrics": {"internal/store"},
		// Not in DESIGN.md's table yet: the endpoint served on loopback for
		// the tests of every wire package (issue 15's closing note).
		"internal/server/servertest": {"internal/httpserve", "internal/store", "internal/store/sqlite"},
		"internal/layout":            {},
		"eval":                       {"policy", "arn"},
		"policy":                     {"arn"},
		"arn":                        {},
		"internal/sigv4":             {},
		"internal/httpserve":         {},
	}
}

// Violation is one import that the rules forbid.
type Violation struct {
	From, To string // module-relative package paths
}

func (v Violation) String() string { return v.From + " may not import " + v.To }

// Check returns every import in graph (package → its direct imports, both
// module-relative) that the rules do not list for its package, every import
// of the composition root, and every package the rules do not name, so that a
// new package must be placed in the table before it is used.
func (r Rules) Check(graph map[string][]string) []Violation {
	var out []Violation
	for from, imports := range graph {
		allowed, known := r[from]
		if !known {
			out = append(out, Violation{From: from, To: "(anything: not in the dependency table)"})
			continue
		}
		for _, to := range imports {
			if to == Root || from != Root && !slices.Contains(allowed, to) {
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
