package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/iamq/iamq/internal/managed"
	"github.com/iamq/iamq/internal/store"
)

const adminManagedUsage = `Usage:
  iamq admin managed publish --policy NAME --document FILE --description TEXT
        [--date YYYY-MM-DD] [--allow-removal --reason TEXT] [store flags]
      publish FILE as the new default version of the AWS managed policy NAME,
      for every account on every node, numbered after its versions (v46 after
      v45), with a change-history entry. Refused, with the request it would
      deny, when it may remove a permission the version in force grants,
      unless --allow-removal --reason TEXT (recorded as a breaking change).
  iamq admin managed sync [--dry-run] [store flags] FILE
      bring the AWS managed policies up to a snapshot of AWS's: the output of
      'aws iam get-account-authorization-details --filter AWSManagedPolicy'
      (documents as JSON objects or URL-encoded strings) or a file in the
      form of shared/data/managed-policies (plain or gzip). Each policy whose
      default changed at AWS gets AWS's version, id and date, checked
      against the version in force: a removal is published too, as a
      breaking change naming a request it no longer allows. An id taken by
      a local version makes the synced one take the next free id (the
      history keeps AWS's). One transaction; a second sync changes nothing;
      --dry-run prints the report and stores nothing.
  iamq admin catalog apply [store flags] FILE
  iamq admin catalog sync [store flags] FILE
      apply a service catalog file (one service's or all services', in the
      schema of shared/data/catalog, plain or gzip): the job-function
      policies (ViewOnlyAccess, DatabaseAdministrator) gain the new actions
      their rules match, proven and recorded, and the catalog is the one in
      force on every node from then on. Applying a file twice changes nothing.
      'sync' is the same command, named for a newer all-services file.

Store flags: --data-dir, --store, --key-file (as for 'iamq serve').
`

// settle is how long the admin commands wait after a publish before they
// return: every 'iamq serve' following the store reads its change sequence at
// least once a second (store.Follower; PostgreSQL also notifies at once), so
// once the command returns, the very next request to any node is decided on
// the new version.
const settle = 1100 * time.Millisecond

// runAdminManaged runs 'iamq admin managed'.
func (m *Main) runAdminManaged(ctx context.Context, args []string) error {
	if len(args) == 0 || isHelp(args[0]) {
		fmt.Fprint(m.Stdout, adminManagedUsage)
		return nil
	}
	switch args[0] {
	case "publish":
	case "sync":
		return m.runAdminManagedSync(ctx, args[1:])
	default:
		return usagef("iamq admin managed: unknown subcommand %q: it is publish or sync (run 'iamq admin managed -h')", args[0])
	}
	cfg := &serveConfig{}
	fs := flag.NewFlagSet("iamq admin managed publish", flag.ContinueOnError)
	storeFlags(fs, cfg, m.Getenv)
	var u managed.Update
	var file, date string
	fs.StringVar(&u.Policy, "policy", "", "the AWS managed policy's `NAME` (or ARN)")
	fs.StringVar(&file, "document", "", "the new version's policy document `FILE`")
	fs.StringVar(&u.Description, "description", "", "what the change is, for the history")
	fs.StringVar(&date, "date", "", "the change's date, YYYY-MM-DD or RFC 3339 (default: now)")
	fs.BoolVar(&u.AllowRemoval, "allow-removal", false, "publish even when the update may remove permissions (needs --reason)")
	fs.StringVar(&u.Reason, "reason", "", "why a removal is published")
	if err := m.parseFlags(fs, args[1:], adminManagedUsage); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return usagef("iamq admin managed publish: unexpected argument %q", fs.Arg(0))
	case u.Policy == "" || file == "" || u.Description == "":
		return usagef("iamq admin managed publish: --policy, --document and --description are required")
	case u.AllowRemoval && u.Reason == "":
		return usagef("iamq admin managed publish: --allow-removal needs --reason TEXT")
	case !u.AllowRemoval && u.Reason != "":
		return usagef("iamq admin managed publish: --reason goes with --allow-removal")
	}
	if date != "" {
		t, err := parseDate(date)
		if err != nil {
			return usagef("iamq admin managed publish: --date %q: %v", date, err)
		}
		u.Date = t
	}
	doc, err := readBounded(file, managed.MaxDocument)
	if err != nil {
		return err
	}
	u.Document = string(doc)
	reg, done, err := m.openRegistry(ctx, cfg)
	if err != nil {
		return err
	}
	defer done()
	pub, err := reg.PublishUpdate(ctx, u)
	if err != nil {
		if errors.Is(err, store.ErrConflict) {
			return fmt.Errorf("%s: another version was published meanwhile; run the command again: %w", u.Policy, err)
		}
		return err
	}
	fmt.Fprintf(m.Stdout, "published %s %s (default; follows %s): %s %s\n", pub.Policy.Name, pub.Version.ID, pub.Since, pub.Entry.Kind, pub.Entry.Description)
	return m.settle(ctx)
}

// runAdminCatalog runs 'iamq admin catalog'.
func (m *Main) runAdminCatalog(ctx context.Context, args []string) error {
	if len(args) == 0 || isHelp(args[0]) {
		fmt.Fprint(m.Stdout, adminManagedUsage)
		return nil
	}
	if args[0] != "apply" && args[0] != "sync" { // sync: AWS's all-services file, applied as any catalog file
		return usagef("iamq admin catalog: unknown subcommand %q: it is apply or sync (run 'iamq admin catalog -h')", args[0])
	}
	cmd := "iamq admin catalog " + args[0]
	cfg := &serveConfig{}
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	storeFlags(fs, cfg, m.Getenv)
	if err := m.parseFlags(fs, args[1:], adminManagedUsage); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("%s: name one catalog FILE", cmd)
	}
	data, err := readBounded(fs.Arg(0), store.MaxCatalogData)
	if err != nil {
		return err
	}
	reg, done, err := m.openRegistry(ctx, cfg)
	if err != nil {
		return err
	}
	defer done()
	res, err := reg.ApplyCatalog(ctx, data)
	if errors.Is(err, store.ErrConflict) {
		return fmt.Errorf("%s: a job-function policy was published meanwhile; run the command again: %w", fs.Arg(0), err)
	}
	if err != nil {
		return err
	}
	if !res.Applied {
		fmt.Fprintf(m.Stdout, "catalog %s: nothing new (applied before, or the catalog in force holds it)\n", res.ID[:12])
		return nil
	}
	fmt.Fprintf(m.Stdout, "applied catalog %s:\n", res.ID[:12])
	for _, ch := range res.Changes {
		fmt.Fprintf(m.Stdout, "  %s: %d actions added, %d removed, %d changed access level\n", ch.Prefix, len(ch.AddedActions), len(ch.RemovedActions), len(ch.LevelChanges))
	}
	for _, p := range res.Published {
		fmt.Fprintf(m.Stdout, "  published %s %s (follows %s), adding %s\n", p.Policy, p.Version, p.Since, strings.Join(p.Added, ", "))
	}
	if len(res.Published) == 0 {
		fmt.Fprintln(m.Stdout, "  no job-function policy gains an action")
	}
	return m.settle(ctx)
}

// settle waits until every node has taken a publish in (see settle).
func (m *Main) settle(ctx context.Context) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(settle):
		return nil
	}
}

// openRegistry opens the store the flags name and the AWS managed policies
// over it.
func (m *Main) openRegistry(ctx context.Context, cfg *serveConfig) (*managed.Registry, func(), error) {
	log := newLogger(m.Stderr, "text", slog.LevelInfo)
	st, _, err := openExistingStore(ctx, cfg, log)
	if err != nil {
		return nil, nil, err
	}
	reg := managed.NewRegistry(managed.Builtin(), st, managed.RegistryOptions{Logger: log})
	if err := reg.Refresh(ctx); err != nil {
		st.Close()
		return nil, nil, err
	}
	return reg, func() { st.Close() }, nil
}

// readBounded reads a file of at most limit bytes.
func readBounded(name string, limit int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s: larger than %d bytes", name, limit)
	}
	return b, nil
}

// parseDate reads YYYY-MM-DD (midnight UTC) or an RFC 3339 time.
func parseDate(s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	return time.Parse(time.RFC3339, s)
}
