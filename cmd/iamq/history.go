package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/iamq/iamq/internal/catalog"
	"github.com/iamq/iamq/internal/history"
	"github.com/iamq/iamq/internal/managed"
	"github.com/iamq/iamq/internal/server"
	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/internal/web"
)

const historyUsage = `Usage:
  iamq history [flags] SERVICE          the changes to a service's AWS managed policies ("mq";
                                        "-": the policies of no one service, such as ReadOnlyAccess)
  iamq history [flags] --policy NAME    the changes to one AWS managed policy

Newest first. A date that is not known is shown as "date unknown" with the
bounds that are known; versions that were never recovered are gaps.
It reads the history of the store 'iamq serve' keeps (store flags: --data-dir,
--store, --key-file, as for 'iamq serve'), storing the built-in history there
first if it is not yet; with no store there, it reads the built-in history.
`

// registerHistory serves the managed policies' pages, feeds and JSON on
// srv, and stores the built-in history (the seed) in the background, once
// per store: a few seconds of work that need not hold up serving. The
// returned function waits for the seeding to end (ctx ends it early).
func registerHistory(ctx context.Context, srv *server.Server, st store.Store, aws *managed.Registry, log *slog.Logger) (wait func()) {
	h := history.New(st)
	cat := aws.Catalog() // with the catalog updates applied to the store
	// The pages read the registry's live catalog (Catalog nil).
	web.Register(srv, web.New(web.Options{History: h, Policies: aws, Logger: log}))
	done := make(chan struct{})
	go func() {
		defer close(done)
		n, err := h.Seed(ctx, managed.HistorySeed(managed.Builtin(), cat))
		switch {
		case err != nil && ctx.Err() == nil:
			log.Error("storing the history of the AWS managed policies failed", "err", err)
		case n > 0:
			log.Info("stored the history of the AWS managed policies", "entries", n)
		}
	}()
	return func() { <-done }
}

// runHistory runs 'iamq history'.
func (m *Main) runHistory(ctx context.Context, args []string) error {
	cfg := &serveConfig{}
	fs := flag.NewFlagSet("iamq history", flag.ContinueOnError)
	storeFlags(fs, cfg, m.Getenv)
	var policy string
	var asJSON bool
	var limit int
	fs.StringVar(&policy, "policy", "", "the AWS managed policy's `NAME` (or ARN)")
	fs.BoolVar(&asJSON, "json", false, "print the entries as JSON, one per line")
	fs.IntVar(&limit, "max", 0, "print at most `N` entries (0: all)")
	if err := m.parseFlags(fs, args, historyUsage); err != nil {
		return err
	}
	// Flags may follow the service too: iamq history mq --json.
	service, rest := fs.Arg(0), fs.Args()
	if len(rest) > 1 {
		if err := m.parseFlags(fs, rest[1:], historyUsage); err != nil {
			return err
		}
	}
	switch {
	case fs.NArg() > 0 && len(rest) > 1:
		return usagef("iamq history: one service at a time, not %q (run 'iamq history -h' for usage)", strings.Join(fs.Args(), " "))
	case (service == "") == (policy == ""):
		return usagef("iamq history: name a service (iamq history mq) or a policy (--policy NAME), one of the two")
	case limit < 0:
		return usagef("iamq history: --max must be 0 or more")
	}
	q, err := historyQuery(service, policy)
	if err != nil {
		return err
	}
	es, err := m.historyEntries(ctx, cfg, q, policy)
	if err != nil {
		return err
	}
	if limit > 0 && len(es) > limit {
		es = es[:limit]
	}
	return m.printHistory(es, asJSON)
}

// historyQuery turns the command line into a query.
func historyQuery(service, policy string) (history.Query, error) {
	if policy == "" {
		return history.Query{Service: service}, nil
	}
	p, ok := findPolicy(managed.Builtin(), policy)
	if !ok {
		return history.Query{}, fmt.Errorf("--policy %s: no AWS managed policy by that name or ARN", policy)
	}
	return history.Query{PolicyARN: p.ARN()}, nil
}

func findPolicy(lib *managed.Library, nameOrARN string) (*managed.Policy, bool) {
	if p, ok := lib.Lookup(nameOrARN); ok {
		return p, true
	}
	ps, _ := lib.Policies()
	for _, p := range ps {
		if p.Name == nameOrARN {
			return p, true
		}
	}
	return nil, false
}

// historyEntries reads the store's history (seeding it first), or the
// built-in one when there is no store.
func (m *Main) historyEntries(ctx context.Context, cfg *serveConfig, q history.Query, policy string) ([]history.Entry, error) {
	lib, cat := managed.Builtin(), catalog.Embedded()
	if cfg.storeURL == "" {
		if _, err := os.Stat(filepath.Join(cfg.dataDir, "iamq.db")); errors.Is(err, fs.ErrNotExist) {
			names, err := historyPolicies(lib, cat, q, policy)
			if err != nil {
				return nil, err
			}
			all, err := managed.BuildHistory(lib, cat, names...)
			if err != nil {
				return nil, err
			}
			return filterHistory(all, q), nil
		}
	}
	st, _, err := openExistingStore(ctx, cfg, newLogger(m.Stderr, "text", slog.LevelWarn))
	if err != nil {
		return nil, err
	}
	defer st.Close()
	h := history.New(st)
	if _, err := h.Seed(ctx, managed.HistorySeed(lib, cat)); err != nil {
		return nil, err
	}
	return h.All(ctx, q)
}

// historyPolicies names the policies whose history q asks for, so that only
// theirs is built.
func historyPolicies(lib *managed.Library, cat *catalog.Catalog, q history.Query, policy string) ([]string, error) {
	if policy != "" {
		p, _ := findPolicy(lib, policy)
		return []string{p.Name}, nil
	}
	ps, err := lib.Policies()
	if err != nil {
		return nil, err
	}
	x := managed.NewServiceIndex(cat)
	names := []string{"-"} // never a policy: a service with none builds only its own rows
	for _, p := range ps {
		if s := x.Of(p.Name); s == q.Service || s == "" && q.Service == history.NoService {
			names = append(names, p.Name)
		}
	}
	return names, nil
}

// filterHistory keeps the entries q selects, newest first.
func filterHistory(all []history.Entry, q history.Query) []history.Entry {
	var out []history.Entry
	for _, e := range all {
		svc := e.Service
		if svc == "" {
			svc = history.NoService
		}
		if (q.Service == "" || svc == q.Service) && (q.PolicyARN == "" || e.PolicyARN == q.PolicyARN) {
			out = append(out, e)
		}
	}
	history.SortNewestFirst(out)
	return out
}

func (m *Main) printHistory(es []history.Entry, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(m.Stdout)
		for _, e := range es {
			if err := enc.Encode(e); err != nil {
				return err
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DATE\tPOLICY\tVERSION\tCHANGE\tACTIONS\tDESCRIPTION")
	for _, e := range es {
		actions := ""
		if e.Counted {
			actions = fmt.Sprint(e.Actions)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", e.DateText(), e.PolicyName, e.VersionText(), e.Kind, actions, e.Description)
	}
	return tw.Flush()
}
