package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/iamq/iamq/internal/catalog"
)

const catalogUsage = `Usage:
  iamq catalog show [--catalog FILE] PREFIX          a service's actions, resource types and condition keys
  iamq catalog expand [--catalog FILE] [--not] PATTERN…  the actions the patterns match, one per line
  iamq catalog diff OLD.json NEW.json                actions and resource types added and removed

--catalog reads a catalog file (the schema of the embedded one, plain or
gzipped) instead of the catalog built into iamq.
`

// runCatalog runs 'iamq catalog SUBCOMMAND'.
func (m *Main) runCatalog(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usagef("iamq catalog: which? show, expand or diff (run 'iamq catalog -h' for usage)")
	}
	switch args[0] {
	case "show":
		return m.runCatalogShow(args[1:])
	case "expand":
		return m.runCatalogExpand(args[1:])
	case "diff":
		return m.runCatalogDiff(args[1:])
	case "help", "-h", "--help":
		fmt.Fprint(m.Stdout, catalogUsage)
		return nil
	}
	return usagef("iamq catalog: unknown subcommand %q: it is show, expand or diff (run 'iamq catalog -h' for usage)", args[0])
}

// catalogFlags parses the flags every catalog subcommand shares.
type catalogFlags struct {
	m    *Main
	fs   *flag.FlagSet
	file string
}

func (m *Main) catalogFlagSet(name string) *catalogFlags {
	cf := &catalogFlags{m: m, fs: flag.NewFlagSet("iamq catalog "+name, flag.ContinueOnError)}
	cf.fs.StringVar(&cf.file, "catalog", "", "read the catalog from `FILE` instead of the embedded one")
	return cf
}

// parse parses args; a flag error is a usage error, -h prints the usage.
func (cf *catalogFlags) parse(args []string) error {
	return cf.m.parseFlags(cf.fs, args, catalogUsage)
}

// open returns the catalog the flags name.
func (cf *catalogFlags) open() (*catalog.Catalog, error) {
	if cf.file == "" {
		return catalog.Embedded(), nil
	}
	return loadCatalogFile(cf.file)
}

func loadCatalogFile(name string) (*catalog.Catalog, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	c, err := catalog.Load(f, catalog.LoadOptions{})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return c, nil
}

// runCatalogShow runs 'iamq catalog show PREFIX'.
func (m *Main) runCatalogShow(args []string) error {
	cf := m.catalogFlagSet("show")
	if err := cf.parse(args); err != nil {
		return err
	}
	if cf.fs.NArg() != 1 {
		return usagef("iamq catalog show: name one service prefix, e.g. 'iamq catalog show mq'")
	}
	c, err := cf.open()
	if err != nil {
		return err
	}
	s, ok := c.Service(cf.fs.Arg(0))
	if !ok {
		return fmt.Errorf("no service with prefix %q in the catalog", cf.fs.Arg(0))
	}
	return showService(m.Stdout, c.Source(), s)
}

// showService prints a service: its actions, resource types and keys.
func showService(w io.Writer, src catalog.Source, s *catalog.Service) error {
	fmt.Fprintf(w, "%s: %s, %d actions (%s %s, data of %s)\n\n", s.Prefix, s.Name, s.ActionCount(),
		src.Name, src.Version, src.UpdatedAt.Format("2006-01-02"))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ACTION\tACCESS LEVEL\tRESOURCE TYPES (* required)\tCONDITION KEYS")
	for _, a := range s.Actions() {
		var types []string
		for _, r := range a.ResourceTypes {
			name := r.Type.Name
			if r.Required {
				name += "*"
			}
			types = append(types, name)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", a.Name, a.AccessLevel(), dash(types), dash(a.ConditionKeys))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	fmt.Fprintln(tw, "RESOURCE TYPE\tARN FORMAT\tCONDITION KEYS")
	for _, t := range s.ResourceTypes() {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", t.Name, t.ARNFormat, dash(t.ConditionKeys))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	fmt.Fprintln(tw, "CONDITION KEY\tTYPE")
	for _, k := range s.ConditionKeys() {
		fmt.Fprintf(tw, "%s\t%s\n", k.Name, k.Type)
	}
	return tw.Flush()
}

func dash(xs []string) string {
	if len(xs) == 0 {
		return "-"
	}
	return strings.Join(xs, ", ")
}

// runCatalogExpand runs 'iamq catalog expand PATTERN…'.
func (m *Main) runCatalogExpand(args []string) error {
	cf := m.catalogFlagSet("expand")
	not := cf.fs.Bool("not", false, "print the actions that none of the patterns match (NotAction)")
	if err := cf.parse(args); err != nil {
		return err
	}
	if cf.fs.NArg() == 0 {
		return usagef("iamq catalog expand: give at least one action pattern, e.g. 'iamq catalog expand \"mq:Describe*\"'")
	}
	c, err := cf.open()
	if err != nil {
		return err
	}
	actions := c.Expand(cf.fs.Args()...)
	if *not {
		actions = c.ExpandNot(cf.fs.Args()...)
	}
	for _, a := range actions {
		fmt.Fprintln(m.Stdout, a)
	}
	return nil
}

// runCatalogDiff runs 'iamq catalog diff OLD NEW'.
func (m *Main) runCatalogDiff(args []string) error {
	cf := m.catalogFlagSet("diff")
	if err := cf.parse(args); err != nil {
		return err
	}
	if cf.fs.NArg() != 2 || cf.file != "" {
		return usagef("iamq catalog diff: give two catalog files, OLD.json NEW.json (and no --catalog)")
	}
	old, err := loadCatalogFile(cf.fs.Arg(0))
	if err != nil {
		return err
	}
	new, err := loadCatalogFile(cf.fs.Arg(1))
	if err != nil {
		return err
	}
	printDiff(m.Stdout, old, new, catalog.Diff(old, new))
	return nil
}

// printDiff prints a diff, one change a line: "+ mq:Promote (Write)".
func printDiff(w io.Writer, old, new *catalog.Catalog, changes []catalog.ServiceChange) {
	fmt.Fprintf(w, "--- %s (%s)\n+++ %s (%s)\n", old.Source().Version, old.Source().UpdatedAt.Format("2006-01-02"),
		new.Source().Version, new.Source().UpdatedAt.Format("2006-01-02"))
	for _, ch := range changes {
		switch {
		case ch.Added:
			fmt.Fprintf(w, "\n%s (%s): new service\n", ch.Prefix, ch.Name)
		case ch.Removed:
			fmt.Fprintf(w, "\n%s (%s): service removed\n", ch.Prefix, ch.Name)
		default:
			fmt.Fprintf(w, "\n%s (%s)\n", ch.Prefix, ch.Name)
		}
		for _, a := range ch.AddedActions {
			fmt.Fprintf(w, "+ %s (%s)\n", a, a.AccessLevel())
		}
		for _, a := range ch.RemovedActions {
			fmt.Fprintf(w, "- %s (%s)\n", a, a.AccessLevel())
		}
		for _, lc := range ch.LevelChanges {
			fmt.Fprintf(w, "~ %s (%s -> %s)\n", lc.New, lc.Old.AccessLevel(), lc.New.AccessLevel())
		}
		for _, t := range ch.AddedTypes {
			fmt.Fprintf(w, "+ resource type %s (%s)\n", t.Name, t.ARNFormat)
		}
		for _, t := range ch.RemovedTypes {
			fmt.Fprintf(w, "- resource type %s (%s)\n", t.Name, t.ARNFormat)
		}
	}
	if len(changes) == 0 {
		fmt.Fprintln(w, "\nno changes")
	}
}
