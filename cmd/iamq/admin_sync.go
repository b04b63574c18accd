package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/iamq/iamq/internal/managed"
	"github.com/iamq/iamq/internal/store"
)

// runAdminManagedSync runs 'iamq admin managed sync'.
func (m *Main) runAdminManagedSync(ctx context.Context, args []string) error {
	cfg := &serveConfig{}
	fs := flag.NewFlagSet("iamq admin managed sync", flag.ContinueOnError)
	storeFlags(fs, cfg, m.Getenv)
	var o managed.SyncOptions
	fs.BoolVar(&o.DryRun, "dry-run", false, "check and report every step, store nothing")
	if err := m.parseFlags(fs, args, adminManagedUsage); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("iamq admin managed sync: name one snapshot FILE")
	}
	data, err := readBounded(fs.Arg(0), managed.MaxSnapshot)
	if err != nil {
		return err
	}
	reg, done, err := m.openRegistry(ctx, cfg)
	if err != nil {
		return err
	}
	defer done()
	res, err := reg.Sync(ctx, data, o)
	if errors.Is(err, store.ErrConflict) {
		return fmt.Errorf("%s: a version was published meanwhile; run the command again: %w", fs.Arg(0), err)
	}
	if err != nil {
		return err
	}
	m.printSync(res, o.DryRun)
	if !res.Stored {
		return nil
	}
	return m.settle(ctx)
}

// maxListed bounds the policies a sync report names as missing (a
// one-policy snapshot leaves some 1,600 alone).
const maxListed = 20

// printSync prints a sync's report: each step, then what was left alone.
func (m *Main) printSync(res managed.SyncResult, dryRun bool) {
	verb := "synced"
	if dryRun {
		verb = "would sync"
	}
	fmt.Fprintf(m.Stdout, "snapshot %s: %d policies changed at AWS, %d unchanged, %d missing from the snapshot, %d new here\n",
		res.ID[:12], len(res.Synced), res.Unchanged, len(res.Missing), len(res.New))
	for _, s := range res.Synced {
		if s.New {
			fmt.Fprintf(m.Stdout, "  %s %s %s: a policy new here, added (%d actions)\n", verb, s.Policy, s.Version, s.Entry.Actions)
			continue
		}
		id := s.Version
		if s.AWSVersion != s.Version {
			id += " (AWS's " + s.AWSVersion + ", taken here)"
		}
		fmt.Fprintf(m.Stdout, "  %s %s %s (follows %s): %s, %d actions added, %d removed\n", verb, s.Policy, id, s.Since, s.Entry.Kind, s.Entry.Added, s.Entry.Removed)
		if s.Breaking() {
			fmt.Fprintf(m.Stdout, "    BREAKING: %s\n", s.Finding())
		}
	}
	for i, a := range res.Missing {
		if i == maxListed {
			fmt.Fprintf(m.Stdout, "  … and %d more left unchanged, not in the snapshot\n", len(res.Missing)-i)
			break
		}
		fmt.Fprintf(m.Stdout, "  left unchanged, not in the snapshot: %s\n", a)
	}
	if dryRun {
		fmt.Fprintln(m.Stdout, "dry run: nothing stored")
	}
}
