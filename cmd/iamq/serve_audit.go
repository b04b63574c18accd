package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"time"

	"github.com/iamq/iamq/internal/audit"
	"github.com/iamq/iamq/internal/store"
)

// auditConfig is the decision log's part of 'iamq serve's configuration
// (issue 23).
type auditConfig struct {
	off       bool          // --audit=false: no decision log
	enforce   string        // "on" (the default) or "soft" (with --dev only)
	stream    string        // "", "-" (standard output) or a file: JSON lines
	retention time.Duration // how long the store keeps records
}

// soft reports whether soft enforcement was asked for.
func (c *auditConfig) soft() bool { return c.enforce == "soft" }

// auditFlags declares the decision log's flags.
func auditFlags(fs *flag.FlagSet, c *auditConfig, env func(string) string) {
	on, err := strconv.ParseBool(envOr(env, "IAMQ_AUDIT", "true"))
	c.off = err == nil && !on
	fs.BoolFunc("audit", "keep the decision log, one record per call (default true; --audit=false turns it off) [IAMQ_AUDIT]", func(v string) error {
		on, err := strconv.ParseBool(v)
		c.off = !on
		return err
	})
	fs.StringVar(&c.enforce, "enforce", envOr(env, "IAMQ_ENFORCE", "on"), "on, or soft (with --dev only): let calls the policies deny through and log them as would-have-been-denied [IAMQ_ENFORCE]")
	fs.StringVar(&c.stream, "audit-stream", env("IAMQ_AUDIT_STREAM"), "also write the decision log as JSON lines to this file, or - for standard output [IAMQ_AUDIT_STREAM]")
	ret, _ := time.ParseDuration(envOr(env, "IAMQ_AUDIT_RETENTION", audit.DefaultRetention.String()))
	fs.DurationVar(&c.retention, "audit-retention", ret, "how long the store keeps the decision log's records; older ones are pruned hourly [IAMQ_AUDIT_RETENTION]")
}

// check refuses what the decision log's flags cannot mean together.
func (c *auditConfig) check(dev bool) error {
	switch {
	case c.enforce != "on" && c.enforce != "soft":
		return usagef("iamq serve: --enforce (IAMQ_ENFORCE) is on or soft, not %q", c.enforce)
	case c.soft() && !dev:
		return usagef("iamq serve: --enforce=soft lets denied calls through: it is for development only, with --dev")
	case c.soft() && c.off:
		return usagef("iamq serve: --enforce=soft records what would have been denied in the decision log: leave out --audit=false")
	case c.retention <= 0:
		return usagef("iamq serve: --audit-retention (IAMQ_AUDIT_RETENTION) must be a positive duration such as 720h")
	}
	return nil
}

// startAudit starts the decision log over st; stop flushes every record
// and closes the stream. Call stop after the HTTP server has shut down.
// With --audit=false it returns a nil log.
func (m *Main) startAudit(cfg *auditConfig, st store.Store, log *slog.Logger) (lg *audit.Log, stop func(), err error) {
	if cfg.off {
		return nil, func() {}, nil
	}
	var stream io.Writer
	closeStream := func() error { return nil }
	switch cfg.stream {
	case "":
	case "-":
		stream = m.Stdout
	default:
		f, err := os.OpenFile(cfg.stream, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
		if err != nil {
			return nil, nil, fmt.Errorf("--audit-stream: %w", err)
		}
		stream, closeStream = f, f.Close
	}
	lg = audit.New(audit.Options{Store: st, Stream: stream, Retention: cfg.retention, Logger: log})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { lg.Run(ctx); close(done) }()
	return lg, func() {
		cancel()
		<-done
		if err := closeStream(); err != nil {
			log.Warn("closing the decision log's stream", "err", err)
		}
		if n := lg.Dropped(); n > 0 {
			log.Warn("the decision log dropped records", "records", n)
		}
	}, nil
}

// auditBanner tells that soft enforcement is on.
func auditBanner(w io.Writer, cfg *auditConfig) {
	if cfg.soft() {
		fmt.Fprintf(w, "  SOFT ENFORCEMENT IS ON (--enforce=soft): calls the policies deny are let through and logged as\n")
		fmt.Fprintf(w, "  would-have-been-denied; see them with 'iamq log --decision WouldDeny'.\n")
	}
}
