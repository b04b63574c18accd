package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/iamq/iamq/internal/api/analyzerapi"
	"github.com/iamq/iamq/internal/api/iamapi"
	"github.com/iamq/iamq/internal/api/mqapi"
	"github.com/iamq/iamq/internal/api/stsapi"
	"github.com/iamq/iamq/internal/authz"
	"github.com/iamq/iamq/internal/httpserve"
	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/managed"
	"github.com/iamq/iamq/internal/server"
	"github.com/iamq/iamq/internal/server/requestid"
	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/internal/store/postgres"
	"github.com/iamq/iamq/internal/store/sqlite"
	"github.com/iamq/iamq/internal/store/storemetrics"
	"github.com/iamq/iamq/internal/sts"
)

// shutdownGrace is how long a SIGTERM waits for requests in flight.
const shutdownGrace = 30 * time.Second

// serveConfig is 'iamq serve's configuration: flags, each also an IAMQ_*
// environment variable.
type serveConfig struct {
	addr, dataDir, storeURL, accountID, region, keyFile, logFormat string
	logLevel                                                       slog.Level
	rootKeyID, rootSecret                                          string
	seed                                                           string
	dev, ephemeral, newAccount                                     bool
	maxConns                                                       int
	oidcJWKS                                                       string // a JSON file of OIDC providers' JWK Sets by provider name
	audit                                                          auditConfig
}

// storeName names the store for messages: the data directory or PostgreSQL.
func (c *serveConfig) storeName() string {
	if c.storeURL != "" {
		return "the PostgreSQL store"
	}
	return "the data directory " + c.dataDir
}

// credentialsPath is the default account's shared-credentials file.
func (c *serveConfig) credentialsPath() string { return filepath.Join(c.dataDir, "credentials") }

// storeFlags declares the flags that say where the data is; 'iamq admin'
// shares them.
func storeFlags(fs *flag.FlagSet, c *serveConfig, env func(string) string) {
	fs.StringVar(&c.dataDir, "data-dir", envOr(env, "IAMQ_DATA_DIR", "./iamq-data"), "data directory (SQLite database, key file, credentials) [IAMQ_DATA_DIR]")
	fs.StringVar(&c.storeURL, "store", env("IAMQ_STORE"), "a postgres:// URL to use PostgreSQL instead of SQLite in the data directory [IAMQ_STORE]")
	fs.StringVar(&c.keyFile, "key-file", env("IAMQ_KEY_FILE"), "file of the key that encrypts secrets (default DATA-DIR/secret.key; share it between nodes) [IAMQ_KEY_FILE]")
	fs.StringVar(&c.region, "region", envOr(env, "IAMQ_REGION", server.DefaultRegion), "the region iamq is in [IAMQ_REGION]")
}

const serveUsage = `Usage: iamq serve [flags]

Serves the AWS IAM, STS, Amazon MQ (control plane) and IAM Access Analyzer
(policy checks) APIs, and the managed policies' history under
/managed-policies/. With no flags it keeps its data in
./iamq-data (created on first start) and writes the default account's root
access key to ./iamq-data/credentials.
`

func (m *Main) serveFlags(args []string) (*serveConfig, error) {
	c := &serveConfig{}
	fs := flag.NewFlagSet("iamq serve", flag.ContinueOnError)
	env := m.Getenv
	fs.StringVar(&c.addr, "addr", envOr(env, "IAMQ_ADDR", "127.0.0.1:4599"), "address to listen on [IAMQ_ADDR]")
	storeFlags(fs, c, env)
	fs.StringVar(&c.accountID, "account-id", env("IAMQ_ACCOUNT_ID"), "the default account's id (default: random; 123456789012 with --dev) [IAMQ_ACCOUNT_ID]")
	fs.StringVar(&c.logFormat, "log-format", envOr(env, "IAMQ_LOG_FORMAT", "text"), "text or json [IAMQ_LOG_FORMAT]")
	fs.TextVar(&c.logLevel, "log-level", levelOr(env("IAMQ_LOG_LEVEL")), "debug (every call, with its request id), info, warn or error [IAMQ_LOG_LEVEL]")
	fs.StringVar(&c.rootKeyID, "root-access-key-id", env("IAMQ_ROOT_ACCESS_KEY_ID"), "the default account root's access key id (for CI) [IAMQ_ROOT_ACCESS_KEY_ID]")
	fs.StringVar(&c.rootSecret, "root-secret-access-key", env("IAMQ_ROOT_SECRET_ACCESS_KEY"), "its secret access key [IAMQ_ROOT_SECRET_ACCESS_KEY]")
	fs.StringVar(&c.seed, "seed", env("IAMQ_SEED"), "an authorization details file ('iamq admin export') applied to the default account while it is empty [IAMQ_SEED]")
	dev, _ := strconv.ParseBool(env("IAMQ_DEV"))
	fs.BoolVar(&c.dev, "dev", dev, "dev mode for test suites: unknown access keys are accounts' roots, unsigned; POST /_iamq/reset [IAMQ_DEV]")
	ephemeral, _ := strconv.ParseBool(env("IAMQ_EPHEMERAL"))
	fs.BoolVar(&c.ephemeral, "ephemeral", ephemeral, "keep everything in a temporary directory, removed on exit, and print the root's credentials (for test suites, with --dev) [IAMQ_EPHEMERAL]")
	fs.BoolVar(&c.newAccount, "new-account", false, "let --account-id differ from the default account of an existing store: it becomes this run's default account")
	fs.StringVar(&c.oidcJWKS, "oidc-jwks", env("IAMQ_OIDC_JWKS"), "a JSON file {\"PROVIDER-URL-WITHOUT-https://\": JWKS, …} of OIDC providers' keys, read on each AssumeRoleWithWebIdentity (otherwise only loopback issuers' discovery documents are fetched) [IAMQ_OIDC_JWKS]")
	maxConns, badMaxConns := strconv.Atoi(envOr(env, "IAMQ_MAX_CONNECTIONS", "0"))
	fs.IntVar(&c.maxConns, "max-connections", maxConns, "connections open at once; at the cap a new one closes the longest idle (default 4096, or half the open-file limit when that is less) [IAMQ_MAX_CONNECTIONS]")
	auditFlags(fs, &c.audit, env)
	if err := m.parseFlags(fs, args, serveUsage); err != nil {
		return nil, err
	}
	if err := c.audit.check(c.dev); err != nil {
		return nil, err
	}
	if badMaxConns != nil || c.maxConns < 0 {
		return nil, usagef("iamq serve: --max-connections (IAMQ_MAX_CONNECTIONS) must be a whole number, 0 for the default")
	}
	if c.maxConns == 0 {
		c.maxConns = defaultMaxConnections(openFileLimit())
	}
	switch {
	case fs.NArg() > 0:
		return nil, usagef("iamq serve: unexpected argument %q: serve takes only flags (run 'iamq serve -h' for them)", fs.Arg(0))
	case c.rootKeyID != "" && c.rootSecret == "":
		return nil, usagef("iamq serve: --root-access-key-id needs --root-secret-access-key (IAMQ_ROOT_SECRET_ACCESS_KEY) too")
	case c.rootKeyID == "" && c.rootSecret != "":
		return nil, usagef("iamq serve: --root-secret-access-key needs --root-access-key-id (IAMQ_ROOT_ACCESS_KEY_ID) too")
	case c.logFormat != "text" && c.logFormat != "json":
		return nil, usagef("iamq serve: --log-format (IAMQ_LOG_FORMAT) is text or json, not %q", c.logFormat)
	case c.ephemeral && (flagSet(fs, "data-dir") || env("IAMQ_DATA_DIR") != "" || c.storeURL != ""):
		return nil, usagef("iamq serve: --ephemeral keeps its data in a temporary directory: leave out --data-dir and --store (IAMQ_DATA_DIR, IAMQ_STORE)")
	}
	return c, nil
}

// levelOr parses a log level from the environment; an unknown one is info.
func levelOr(s string) slog.Level {
	var l slog.Level
	if l.UnmarshalText([]byte(s)) != nil {
		return slog.LevelInfo
	}
	return l
}

func envOr(env func(string) string, name, def string) string {
	if v := env(name); v != "" {
		return v
	}
	return def
}

// gcPercent is the collector's target while serving, unless GOGC sets one:
// the server's live heap is small (about 20 MB with every AWS managed policy
// read) and every request allocates, so letting the heap grow to five times
// the live heap rather than twice costs about 12 MB and saves a fifth of the
// CPU at full load (docs/benchmarks.md).
const gcPercent = 400

// tuneGC sets [gcPercent] unless the environment's GOGC has set the target.
func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
}

// runServe runs 'iamq serve': the AWS endpoint, until ctx ends (SIGTERM),
// then finishes the requests in flight.
func (m *Main) runServe(ctx context.Context, args []string) error {
	cfg, err := m.serveFlags(args)
	if err != nil {
		return err
	}
	tuneGC(m.Getenv)
	log := newLogger(m.Stderr, cfg.logFormat, cfg.logLevel)
	// Listen first: a busy port must fail before anything is created.
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("--addr %s: %w: stop what listens there or give another --addr (IAMQ_ADDR; port 0 picks a free one)", cfg.addr, err)
	}
	defer ln.Close()
	if cfg.ephemeral {
		dir, err := os.MkdirTemp("", "iamq-ephemeral-")
		if err != nil {
			return fmt.Errorf("--ephemeral: %w", err)
		}
		defer os.RemoveAll(dir) // after the store has closed: defers run last first
		cfg.dataDir = dir
	}
	if err := checkDataDir(cfg); err != nil {
		return err
	}
	st, where, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer st.Close()
	// GET /metrics: the Go runtime, the process, the store's latency and the endpoint's calls.
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if st, err = storemetrics.Wrap(st, reg); err != nil {
		return err
	}
	if err := checkWritable(ctx, st, where); err != nil {
		return err
	}
	account, key, err := bootstrap(ctx, st, cfg)
	if err != nil {
		return err
	}
	lib := managed.Builtin() // one library, shared by the IAM operations and the authorizer
	svc := iam.New(st, lib, iam.Options{Logger: log})
	defer svc.Wait() // service-linked role deletions finish before the store closes
	if err := m.seed(ctx, svc, account, cfg.seed, log); err != nil {
		return err
	}
	// Every call is authorized by the callers' policies. The AWS managed
	// policies are the library with the versions the service published
	// since: one registry for the API and the authorizer, which forgets
	// every compiled set when the registry takes one in. One follower of the
	// store's change sequence keeps both (and the endpoint's credentials) in
	// step with every node's writes until the server stops.
	aws := svc.AWSPolicies()
	az := authz.New(st, aws, authz.Options{Logger: log})
	aws.OnChange(az.InvalidateAll)
	creds := authz.NewCredentials(st, authz.CredentialsOptions{Logger: log, DevAccount: func(ctx context.Context, id string) error { return iam.EnsureAccount(ctx, st, id, "dev "+id) }})
	follower := store.NewFollower(st)
	follower.Subscribe(aws.Apply)
	follower.Subscribe(az.Apply)
	follower.Subscribe(creds.Apply)
	azCtx, stopAuthz := context.WithCancel(ctx)
	defer stopAuthz()
	if err := aws.Start(azCtx); err != nil {
		return err
	}
	if err := follower.Start(azCtx, log); err != nil {
		return err
	}
	sweepDone := make(chan struct{})
	go func() { sweep(azCtx, st, sweepInterval, log); close(sweepDone) }()
	defer func() { stopAuthz(); <-sweepDone }() // before the store closes
	lg, stopLog, err := m.startAudit(&cfg.audit, st, log)
	if err != nil {
		return err
	}
	defer stopLog() // after the last request, before the store closes
	srv := server.New(server.Options{
		Credentials: creds, Authz: az, Sync: follower.Sync, Current: follower.Current, Unavailable: store.Unavailable,
		Audit: lg, SoftEnforce: cfg.audit.soft(),
		Health: (&health{st: st, where: where, follower: follower}).check, Region: cfg.region, DefaultAccount: account, Dev: cfg.dev, Logger: log,
		Registry: reg,
		Reset: func(ctx context.Context) error {
			// The log's records of the calls before the reset are written
			// first, so that the reset empties them too.
			if lg != nil {
				if err := lg.Flush(ctx); err != nil {
					return err
				}
			}
			if err := st.Reset(ctx); err != nil {
				return err
			}
			account, _, err := bootstrap(ctx, st, cfg)
			if err == nil {
				err = m.seed(ctx, svc, account, cfg.seed, log)
			}
			return err
		},
	})
	iamapi.Register(srv, svc, az)
	defer registerHistory(ctx, srv, st, aws, log)() // pages and feeds of the managed policies' history
	mqSvc, err := mqService(st, svc, az, log, m.Getenv)
	if err != nil {
		return err
	}
	mqapi.Register(srv, mqSvc)
	// The checks read the live catalog: the embedded one with the updates
	// 'iamq admin catalog apply' made, on any node.
	analyzerapi.Register(srv, analyzerapi.Options{Policies: aws, Log: lg})
	stsapi.Register(srv, sts.New(st, sts.Options{Authz: az, OIDCKeys: &sts.LocalKeys{File: cfg.oidcJWKS}}))
	m.banner(cfg, "http://"+ln.Addr().String(), where, account, key)
	log.Info("serving", "addr", ln.Addr().String(), "store", where, "account", account, "dev", cfg.dev)
	return serveUntilDone(ctx, srv, creds, ln, cfg.maxConns, log)
}

// defaultMaxConnections is httpserve's default cap, or half the limit on
// open files when that is less: the other half is for the store, the
// listener and connections being closed.
func defaultMaxConnections(fileLimit uint64) int {
	if fileLimit > 0 && fileLimit/2 < httpserve.DefaultMaxConnections {
		return max(int(fileLimit/2), 1)
	}
	return httpserve.DefaultMaxConnections
}

// serveUntilDone serves on ln until ctx ends, then shuts down gracefully.
func serveUntilDone(ctx context.Context, srv *server.Server, creds *authz.Credentials, ln net.Listener, maxConns int, log *slog.Logger) error {
	// Key uses are flushed once more after the last request has finished,
	// before the caller closes the store.
	usesCtx, stopUses := context.WithCancel(context.Background())
	usesDone := make(chan struct{})
	go func() { creds.RecordUses(usesCtx, 0); close(usesDone) }()
	defer func() { stopUses(); <-usesDone }()
	// httpserve rather than net/http's server: with it a call takes a third
	// less CPU, which on two cores is the endpoint's throughput
	// (docs/benchmarks.md).
	hs := &httpserve.Server{Handler: srv, Timeout: 2 * time.Minute, MaxConnections: maxConns, Logger: log}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, httpserve.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

// openStore opens the store the flags name: PostgreSQL for a postgres:// URL,
// else SQLite in the data directory. It describes where, for the banner.
func openStore(ctx context.Context, cfg *serveConfig, log *slog.Logger) (store.Store, string, error) {
	opts := store.Options{KeyFile: cfg.keyFile, Logger: log}
	if opts.KeyFile == "" {
		opts.KeyFile = filepath.Join(cfg.dataDir, "secret.key")
	}
	if strings.HasPrefix(cfg.storeURL, "postgres://") || strings.HasPrefix(cfg.storeURL, "postgresql://") {
		return openPostgres(ctx, cfg.storeURL, opts)
	}
	if cfg.storeURL != "" {
		return nil, "", fmt.Errorf("--store %q: only postgres:// URLs are understood (SQLite is the default)", cfg.storeURL)
	}
	path := filepath.Join(cfg.dataDir, "iamq.db")
	st, err := sqlite.Open(ctx, path, opts)
	if err != nil {
		return nil, "", err
	}
	return st, "sqlite " + path, nil
}

// openExistingStore opens the store the flags name when it exists: commands
// that read (and admin commands on a store 'iamq serve' made) must not turn
// a mistyped --data-dir into a new, empty data directory.
func openExistingStore(ctx context.Context, cfg *serveConfig, log *slog.Logger) (store.Store, string, error) {
	if cfg.storeURL == "" {
		db := filepath.Join(cfg.dataDir, "iamq.db")
		if _, err := os.Stat(cfg.dataDir); errors.Is(err, fs.ErrNotExist) {
			return nil, "", fmt.Errorf("--data-dir %s: no such directory: give the data directory 'iamq serve' uses (default ./iamq-data, or IAMQ_DATA_DIR)", cfg.dataDir)
		}
		if _, err := os.Stat(db); errors.Is(err, fs.ErrNotExist) {
			return nil, "", fmt.Errorf("--data-dir %s holds no iamq database (iamq.db): give the data directory 'iamq serve' uses (default ./iamq-data, or IAMQ_DATA_DIR)", cfg.dataDir)
		}
	}
	return openStore(ctx, cfg, log)
}

// checkDataDir fails when serve could not write the SQLite database: before
// opening it, so that the error names the path rather than SQLite's "unable
// to open database file", and so that serve does not start on a database
// where every write would fail.
func checkDataDir(cfg *serveConfig) error {
	if cfg.storeURL != "" {
		return nil
	}
	if _, err := os.Stat(cfg.dataDir); errors.Is(err, fs.ErrNotExist) {
		return nil // created by the store
	}
	f, err := os.CreateTemp(cfg.dataDir, ".iamq-write-check-*")
	if err != nil {
		return fmt.Errorf("the data directory %s is not writable (%v): iamq keeps its database and its journal there; make it writable by this user or give another --data-dir", cfg.dataDir, errors.Unwrap(err))
	}
	f.Close()
	os.Remove(f.Name())
	db := filepath.Join(cfg.dataDir, "iamq.db")
	f, err = os.OpenFile(db, os.O_RDWR, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("the database %s is read-only (%v): make it writable by this user or give another --data-dir", db, errors.Unwrap(err))
	}
	return f.Close()
}

// checkWritable fails unless the store takes a write (a PostgreSQL replica
// or a read-only role would otherwise serve every read and fail every
// write): it deletes the access keys that expired before 1970, none.
func checkWritable(ctx context.Context, st store.Store, where string) error {
	if _, err := st.DeleteExpiredKeys(ctx, time.Unix(0, 0)); err != nil {
		return fmt.Errorf("the store (%s) does not take writes: %w", where, err)
	}
	return nil
}

// health is GET /healthz's check: the node is healthy when its caches have
// caught up with the change sequence and the store answers — a read each
// probe, and a write (the store may have become read-only: a PostgreSQL
// failover to a replica) at most every writeCheckInterval.
type health struct {
	st        store.Store
	where     string
	follower  *store.Follower
	mu        sync.Mutex
	lastWrite time.Time
}

// writeCheckInterval is how often /healthz checks that the store takes writes.
const writeCheckInterval = 10 * time.Second

func (h *health) check(ctx context.Context) error {
	if err := h.follower.Current(ctx); err != nil {
		return err
	}
	h.mu.Lock()
	due := time.Since(h.lastWrite) >= writeCheckInterval
	if due {
		h.lastWrite = time.Now()
	}
	h.mu.Unlock()
	if due {
		if err := checkWritable(ctx, h.st, h.where); err != nil {
			h.mu.Lock()
			h.lastWrite = time.Time{} // check again at the next probe
			h.mu.Unlock()
			return err
		}
		return nil
	}
	_, err := h.st.LastSeq(ctx)
	return err
}

// openPostgres opens the PostgreSQL backend. The banner names the database
// without the URL's password.
func openPostgres(ctx context.Context, rawURL string, opts store.Options) (store.Store, string, error) {
	st, err := postgres.Open(ctx, rawURL, opts)
	if err != nil {
		return nil, "", err
	}
	where := "postgres"
	if u, err := url.Parse(rawURL); err == nil {
		where = "postgres " + u.Redacted()
	}
	return st, where, nil
}

func newLogger(w io.Writer, format string, level slog.Level) *slog.Logger {
	o := &slog.HandlerOptions{Level: level}
	var h slog.Handler = slog.NewTextHandler(w, o)
	if format == "json" {
		h = slog.NewJSONHandler(w, o)
	}
	// Records logged with a call's context, by any package, name its request.
	return slog.New(requestid.LogHandler(h))
}

// banner prints the endpoint and the two lines a user needs.
func (m *Main) banner(cfg *serveConfig, endpoint, where, account string, key rootKey) {
	creds, err := filepath.Abs(cfg.credentialsPath())
	if err != nil {
		creds = cfg.credentialsPath()
	}
	w := m.Stdout
	fmt.Fprintf(w, "iamq is serving the AWS IAM, STS, Amazon MQ and Access Analyzer APIs at %s\n", endpoint)
	fmt.Fprintf(w, "  AWS managed policies and their history: %s/managed-policies/\n", endpoint)
	fmt.Fprintf(w, "  store: %s; default account %s; region %s\n", where, account, cfg.region)
	fmt.Fprintf(w, "  health: %s/healthz; Prometheus metrics: %s/metrics\n", endpoint, endpoint)
	if cfg.dev {
		fmt.Fprintf(w, "  DEV MODE IS ON: access keys iamq did not issue are accepted without a signature check, as the root of\n")
		fmt.Fprintf(w, "  account %s (or of the account a 12-digit key names); POST %s/_iamq/reset empties the store.\n", account, endpoint)
	}
	auditBanner(w, &cfg.audit)
	if cfg.ephemeral {
		// The credentials file goes with the directory: print the key, as
		// moto and LocalStack users expect.
		fmt.Fprintf(w, "  EPHEMERAL: everything is kept in %s, removed on exit.\n", cfg.dataDir)
		fmt.Fprintf(w, "Use it with the AWS CLI or an SDK (the root access key of account %s):\n", account)
		fmt.Fprintf(w, "  export AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s AWS_DEFAULT_REGION=%s AWS_ENDPOINT_URL=%s\n", key.ID, key.Secret, cfg.region, endpoint)
		fmt.Fprintf(w, "  aws sts get-caller-identity\n")
		return
	}
	fmt.Fprintf(w, "Use it with the AWS CLI (profile %s holds the root access key of account %s):\n", profileName, account)
	fmt.Fprintf(w, "  export AWS_SHARED_CREDENTIALS_FILE=%s AWS_PROFILE=%s\n", creds, profileName)
	fmt.Fprintf(w, "  aws --endpoint-url %s sts get-caller-identity\n", endpoint)
}
