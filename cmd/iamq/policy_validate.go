package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/iamq/iamq/internal/catalog"
	"github.com/iamq/iamq/policy"
)

const policyValidateUsage = `Usage: iamq policy validate [--kind KIND] [--format text|json] FILE…

Validates IAM policy documents the way IAM does, as customer documents of the
kind given (so IAM's size limits apply), and prints every finding as
FILE:LINE:COL: severity: IAM's message (detail). FILE - reads standard input.
Unless --lint=false, each document is also checked against the service
authorization catalog (unknown actions, condition keys an action does not
support, resource ARNs that fit none of its resource types, …), printed as
FILE:LINE:COL: lint SEVERITY CODE PATH: message.
Exits 1 when a document has errors or lint ERRORs (warnings alone exit 0).

Flags:
`

// fileFindings are the findings about one file.
type fileFindings struct {
	File     string           `json:"file"`
	Kind     policy.Kind      `json:"kind"`
	Findings []policy.Finding `json:"findings"`
	// Lint holds the catalog's findings (internal/catalog, IAM Access
	// Analyzer's severities), when linting.
	Lint []catalog.Finding `json:"lint,omitempty"`
}

// runPolicyValidate runs 'iamq policy validate'.
func (m *Main) runPolicyValidate(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("iamq policy validate", flag.ContinueOnError)
	kindFlag := fs.String("kind", string(policy.KindIdentity), "kind of document: "+kindNames())
	format := fs.String("format", "text", "output format: text or json")
	lint := fs.Bool("lint", true, "also check actions, condition keys and resources against the service catalog")
	if err := m.parseFlags(fs, args, policyValidateUsage); err != nil {
		return err
	}
	kind := policy.Kind(*kindFlag)
	switch {
	case !slices.Contains(policy.Kinds(), kind):
		return usagef("iamq policy validate: unknown --kind %q (want %s)", *kindFlag, kindNames())
	case *format != "text" && *format != "json":
		return usagef("iamq policy validate: unknown --format %q (want text or json)", *format)
	case fs.NArg() == 0:
		return usagef("iamq policy validate: name the policy files to validate (- reads standard input)")
	}
	var results []fileFindings
	var cat *catalog.Catalog
	if *lint {
		cat = catalog.Embedded()
	}
	failed := false
	for _, name := range fs.Args() {
		if err := ctx.Err(); err != nil {
			return err
		}
		fsOf, err := m.validateFile(name, kind, cat)
		if err != nil {
			fmt.Fprintf(m.Stderr, "iamq policy validate: %v\n", err)
			failed = true
			continue
		}
		results = append(results, fsOf)
		failed = failed || policy.HasErrors(fsOf.Findings) || lintErrors(fsOf.Lint)
	}
	if err := writeFindings(m.Stdout, *format, results); err != nil {
		return err
	}
	if failed {
		return exitStatus(1)
	}
	return nil
}

func kindNames() string {
	var names []string
	for _, k := range policy.Kinds() {
		names = append(names, string(k))
	}
	return strings.Join(names, "|")
}

func lintErrors(fs []catalog.Finding) bool {
	for _, f := range fs {
		if f.Severity == catalog.SeverityError {
			return true
		}
	}
	return false
}

// validateFile reads one file ("-" is standard input) and validates it, and
// lints it against cat unless cat is nil.
func (m *Main) validateFile(name string, kind policy.Kind, cat *catalog.Catalog) (fileFindings, error) {
	r := m.Stdin
	display := name
	if name == "-" {
		display = "<stdin>"
	} else {
		f, err := os.Open(name)
		if err != nil {
			return fileFindings{}, err
		}
		defer f.Close()
		r = f
	}
	out := fileFindings{File: display, Kind: kind, Findings: []policy.Finding{}}
	doc, err := policy.ParseReader(r)
	if err != nil {
		f, ok := policy.ParseFinding(err, kind)
		if !ok {
			return fileFindings{}, fmt.Errorf("%s: %w", display, err)
		}
		out.Findings = append(out.Findings, f)
		return out, nil
	}
	out.Findings = append(out.Findings, doc.Validate(kind)...)
	if cat != nil {
		out.Lint = cat.Lint(doc)
	}
	// A file validated here is a customer document: IAM's size limits apply.
	if f, ok := policy.SizeFinding(doc.Text, kind); ok {
		out.Findings = append(out.Findings, f)
	}
	return out, nil
}

// writeFindings writes the findings of every file in format text
// (FILE:LINE:COL: severity: message (detail), one a line) or json (a list of
// files with their findings).
func writeFindings(w io.Writer, format string, files []fileFindings) error {
	if format == "json" {
		if files == nil {
			files = []fileFindings{}
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(files)
	}
	for _, ff := range files {
		for _, f := range ff.Findings {
			text := f.Message
			if text == "" {
				text = f.Detail
			} else if f.Detail != "" {
				text += " (" + f.Detail + ")"
			}
			if _, err := fmt.Fprintf(w, "%s:%d:%d: %s: %s\n", ff.File, f.Pos.Line, f.Pos.Column, f.Severity, text); err != nil {
				return err
			}
		}
		for _, f := range ff.Lint {
			if _, err := fmt.Fprintf(w, "%s:%d:%d: lint %s %s %s: %s\n", ff.File, f.Pos.Line, f.Pos.Column, f.Severity, f.Code, f.Path, f.Message); err != nil {
				return err
			}
		}
	}
	return nil
}
