package layout

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// HandARN is a place that builds or splits an ARN by hand: a string literal
// holding "arn:", or a call of strings.Split, SplitN, SplitAfter,
// SplitAfterN, Cut or CutPrefix whose separator or prefix is ":" or begins
// with "arn:". Package arn is the one place that knows the shape of ARNs
// (DESIGN.md, "Layout and dependency direction").
type HandARN struct {
	File string // slash-separated, relative to the module root
	Line int
	Text string // the literal or the call, as Go source
}

func (h HandARN) String() string { return h.File + ":" + strconv.Itoa(h.Line) + ": " + h.Text }

// ARNAllowed is a literal or call that may stay in File, and why.
type ARNAllowed struct {
	File, Text string // as in HandARN
	Reason     string
}

// FindHandARNs parses every non-test Go file of the module rooted at root,
// outside package arn (root/arn), testdata directories and nested modules,
// and returns the hand-built or hand-split ARNs that allow does not list,
// with the entries of allow that matched nothing. It reads the syntax tree,
// so comments never match.
func FindHandARNs(root string, allow []ARNAllowed) (found []HandARN, unused []ARNAllowed, err error) {
	used := make([]bool, len(allow))
	fset := token.NewFileSet()
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel == "arn" || d.Name() == "testdata" || rel != "." && (strings.HasPrefix(d.Name(), ".") || isModule(path)) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(rel, ".go") || strings.HasSuffix(rel, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		for _, h := range handARNs(fset, f) {
			h.File = rel
			i := slices.IndexFunc(allow, func(a ARNAllowed) bool { return a.File == h.File && a.Text == h.Text })
			if i < 0 {
				found = append(found, h)
				continue
			}
			used[i] = true
		}
		return nil
	})
	for i, a := range allow {
		if !used[i] {
			unused = append(unused, a)
		}
	}
	return found, unused, err
}

func isModule(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "go.mod"))
	return err == nil
}

// handARNs returns f's string literals that hold "arn:" and its calls of a
// splitter on ":" or on a prefix beginning with "arn:".
func handARNs(fset *token.FileSet, f *ast.File) []HandARN {
	strs := "strings"
	for _, imp := range f.Imports {
		if imp.Path.Value == `"strings"` && imp.Name != nil {
			strs = imp.Name.Name
		}
	}
	// The functions of package strings whose second argument, a separator
	// or prefix, says whether they take an ARN apart.
	splitters := []string{"Split", "SplitN", "SplitAfter", "SplitAfterN", "Cut", "CutPrefix"}
	var out []HandARN
	at := func(n ast.Node, text string) {
		out = append(out, HandARN{Line: fset.Position(n.Pos()).Line, Text: text})
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.ImportSpec:
			return false // an import path is no ARN
		case *ast.BasicLit:
			if s, ok := stringValue(n); ok && strings.Contains(s, "arn:") {
				at(n, literalText(n))
			}
		case *ast.CallExpr:
			sel, ok := n.Fun.(*ast.SelectorExpr)
			if !ok || len(n.Args) < 2 || !slices.Contains(splitters, sel.Sel.Name) {
				return true
			}
			if x, ok := sel.X.(*ast.Ident); !ok || x.Name != strs {
				return true
			}
			if sep, ok := leading(n.Args[1]); ok && (sep == ":" || strings.HasPrefix(sep, "arn:")) {
				at(n, types.ExprString(n))
			}
		}
		return true
	})
	return out
}

// stringValue is the value of a string literal.
func stringValue(l *ast.BasicLit) (string, bool) {
	if l.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(l.Value)
	return s, err == nil
}

// literalText is how an allowlist names a literal: as written, or, for a
// raw string of several lines, its first line and "…`".
func literalText(l *ast.BasicLit) string {
	if first, _, ok := strings.Cut(l.Value, "\n"); ok {
		return first + " …`"
	}
	return l.Value
}

// leading is the constant text that begins a separator: a string literal,
// or the leftmost literal of a concatenation ("arn:aws:iam::" + account).
func leading(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.ParenExpr:
		return leading(e.X)
	case *ast.BinaryExpr:
		if e.Op == token.ADD {
			return leading(e.X)
		}
	case *ast.BasicLit:
		return stringValue(e)
	}
	return "", false
}
