package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/iamq/iamq/internal/audit"
	"github.com/iamq/iamq/internal/store"
)

const logUsage = `Usage: iamq log [flags]

Prints the decision log that 'iamq serve' keeps: one line per call (time,
outcome, caller, action, resource, error, and why a denial was a denial),
oldest first, or the CloudTrail-shaped records as JSON lines with --json.
Outcomes: Allow, Deny, WouldDeny (let through by --enforce=soft). With -f it
keeps printing new records as they are written.
`

// logFlags are 'iamq log's filters and output.
type logFlags struct {
	q            store.AuditQuery
	since, until string
	json, follow bool
	poll         time.Duration
}

func (m *Main) runLog(ctx context.Context, args []string) error {
	cfg := &serveConfig{}
	var lf logFlags
	fs := flag.NewFlagSet("iamq log", flag.ContinueOnError)
	storeFlags(fs, cfg, m.Getenv)
	fs.StringVar(&lf.q.Principal, "principal", "", "only the calls of this `ARN`: a caller (assumed-role session) or an entity (user, role)")
	fs.StringVar(&lf.q.Action, "action", "", "only calls to this action, service:Action")
	fs.StringVar(&lf.q.Decision, "decision", "", "only calls with this outcome: Allow, Deny or WouldDeny")
	fs.StringVar(&lf.q.Account, "account", "", "only calls of this account")
	fs.StringVar(&lf.since, "since", "1h", "from this time: a duration before now (90m) or an RFC 3339 time")
	fs.StringVar(&lf.until, "until", "", "before this time (same forms)")
	fs.IntVar(&lf.q.Limit, "limit", store.DefaultAuditLimit, fmt.Sprintf("at most this many records, the newest (up to %d)", store.MaxAuditLimit))
	fs.BoolVar(&lf.json, "json", false, "print the whole records as JSON lines")
	fs.BoolVar(&lf.follow, "f", false, "follow: keep printing new records until interrupted")
	fs.DurationVar(&lf.poll, "poll", time.Second, "how often -f looks for new records")
	if err := m.parseFlags(fs, args, logUsage); err != nil {
		return err
	}
	if err := lf.check(fs, time.Now()); err != nil {
		return err
	}
	st, _, err := openExistingStore(ctx, cfg, newLogger(m.Stderr, "text", slog.LevelWarn))
	if err != nil {
		return err
	}
	defer st.Close()
	return lf.print(ctx, st, m.Stdout)
}

// check parses the times and refuses what cannot be searched.
func (lf *logFlags) check(fs *flag.FlagSet, now time.Time) error {
	if fs.NArg() > 0 {
		return usagef("iamq log: unexpected argument %q: filters are flags (run 'iamq log -h')", fs.Arg(0))
	}
	var err error
	if lf.q.Since, err = parseWhen(lf.since, now); err != nil {
		return usagef("iamq log: --since: %v", err)
	}
	if lf.q.Until, err = parseWhen(lf.until, now); err != nil {
		return usagef("iamq log: --until: %v", err)
	}
	switch audit.Outcome(lf.q.Decision) {
	case "", audit.OutcomeAllow, audit.OutcomeDeny, audit.OutcomeWouldDeny:
	default:
		return usagef("iamq log: --decision is Allow, Deny or WouldDeny, not %q", lf.q.Decision)
	}
	if lf.q.Limit <= 0 || lf.q.Limit > store.MaxAuditLimit {
		return usagef("iamq log: --limit is between 1 and %d", store.MaxAuditLimit)
	}
	if lf.follow && lf.poll <= 0 {
		return usagef("iamq log: --poll must be positive")
	}
	return nil
}

// parseWhen reads "" (no bound), a duration before now, or an RFC 3339 time.
func parseWhen(s string, now time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if d, err := time.ParseDuration(s); err == nil {
		return now.Add(-d), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is neither a duration (90m) nor an RFC 3339 time (2026-01-02T15:04:05Z)", s)
	}
	return t, nil
}

// print prints the records, then, with -f, the new ones until ctx ends.
// Each poll asks for the records at or after the latest time printed, and
// skips those already printed at that very time.
func (lf *logFlags) print(ctx context.Context, st store.Store, w io.Writer) error {
	seen := map[string]bool{} // the records printed at the latest time, lf.q.Since
	for {
		recs, err := st.AuditRecords(ctx, lf.q)
		if err != nil {
			if lf.follow && ctx.Err() != nil {
				return nil // interrupted while reading: -f's normal end
			}
			return err
		}
		for _, r := range recs {
			if seen[r.ID] {
				continue
			}
			if err := printRecord(w, r, lf.json); err != nil {
				return err
			}
		}
		if n := len(recs); n > 0 && recs[n-1].Time.After(lf.q.Since) {
			lf.q.Since = recs[n-1].Time
			clear(seen)
		}
		for _, r := range recs {
			if r.Time.Equal(lf.q.Since) {
				seen[r.ID] = true
			}
		}
		if !lf.follow {
			return nil
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(lf.poll):
		}
	}
}

// printRecord prints one record: its JSON, or a line for people.
func printRecord(w io.Writer, r store.AuditRecord, asJSON bool) error {
	if asJSON {
		_, err := fmt.Fprintf(w, "%s\n", r.Event)
		return err
	}
	var ev audit.Record
	if err := json.Unmarshal(r.Event, &ev); err != nil {
		return fmt.Errorf("record %s: %w", r.ID, err)
	}
	outcome := r.Decision
	if outcome == "" {
		outcome = "-"
	}
	line := []string{r.Time.UTC().Format(time.RFC3339Nano), outcome, orDash(r.Principal), r.Action}
	if a := ev.Authorization; a != nil && a.Resource != "" {
		line = append(line, a.Resource)
	}
	if r.ErrorCode != "" {
		line = append(line, r.ErrorCode)
	}
	if a := ev.Authorization; a != nil && a.Reason != "" {
		line = append(line, "("+a.Reason+")")
	}
	_, err := fmt.Fprintln(w, strings.Join(line, " "))
	return err
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
