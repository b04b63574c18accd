package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"golang.org/x/sync/semaphore"

	"github.com/iamq/iamq/internal/audit"
	"github.com/iamq/iamq/internal/authz"
	"github.com/iamq/iamq/internal/server/metrics"
	"github.com/iamq/iamq/internal/server/requestid"
	"github.com/iamq/iamq/internal/sigv4"
)

// DefaultRegion is the region iamq says it is in unless told otherwise.
const DefaultRegion = "us-east-1"

// DefaultMaxBody bounds request bodies (the largest input, a policy
// document, is far smaller).
const DefaultMaxBody = 1 << 20

// Options configure a [Server]. Credentials is required; the zero value of
// every other field is the default.
type Options struct {
	// Credentials finds the access keys that sign requests and who each
	// acts as (internal/authz's credential lookup).
	Credentials *authz.Credentials
	// Region is the region the endpoint is in (default us-east-1). A global
	// service's calls must be signed for it or for us-east-1; others may
	// name any.
	Region string
	// DefaultAccount is the account of dev mode's keys that are not 12 digits.
	DefaultAccount string
	// Dev turns on dev mode: access keys iamq did not issue are accepted
	// without a signature check as the root of an account, and
	// POST /_iamq/reset exists.
	Dev bool
	// Reset is dev mode's reset: it empties the store and recreates the
	// freshly started state (the default account and its root key); nil
	// serves no POST /_iamq/reset.
	Reset func(ctx context.Context) error
	// Authz, when set, enforces the callers' policies on every call (see
	// enforce.go); it is the Authorize hook unless Authorize is set.
	Authz *authz.Authorizer
	// Health reports whether the process can serve (its store takes
	// writes), for GET /healthz; nil: always ok.
	Health func(ctx context.Context) error
	// Sync passes this node's own writes to every cache of the process (the
	// store.Follower's Sync, whose subscribers include Credentials.Apply),
	// so that the very next request sees them; nil drops every cached
	// credential after each write instead.
	Sync func(ctx context.Context) error
	// Current, when set, runs before every signed request is authenticated
	// and refuses it (503 ServiceUnavailable) when it fails: the
	// store.Follower's Current, so that a node whose caches may have missed
	// other nodes' changes catches up before it answers.
	Current func(ctx context.Context) error
	// Unavailable reports whether an error means that the store could not
	// be reached (store.Unavailable): such a call is answered 503
	// ServiceUnavailable, which the SDKs retry, rather than as a failure.
	// nil: none is.
	Unavailable func(error) bool
	// Authorize, when set, is asked before every operation not registered
	// NoPermission, with the caller and the call; an error refuses the call
	// (through the error table: return an *APIError with AccessDenied).
	Authorize func(ctx context.Context, c *Call) error
	// MaxBody bounds request bodies; 0 means DefaultMaxBody.
	MaxBody int64
	// BodyBytesInFlight bounds the bytes of bodies held by requests in
	// flight (at least MaxBody); past it a request waits up to a second for
	// room, then is refused with Throttling. 0 means
	// DefaultBodyBytesInFlight.
	BodyBytesInFlight int64
	// Registry is where the endpoint's request metrics are registered and
	// what GET /metrics serves: the process's other collectors (Go runtime,
	// process, store latency) are registered in it by the caller. nil means
	// a registry of the request metrics alone.
	Registry *prometheus.Registry
	// Audit, when set, receives one record per call (the decision log,
	// audit.go); nil logs none.
	Audit *audit.Log
	// SoftEnforce, in dev mode only, lets calls the policies deny through
	// and records them as "would have been denied" in Audit.
	SoftEnforce bool
	Logger      *slog.Logger     // nil discards
	Now         func() time.Time // nil means time.Now
	IDs         func() string    // request ids; nil means requestid.NewGenerator's
}

// Server is iamq's HTTP endpoint. It implements http.Handler.
type Server struct {
	opts       Options
	log        *slog.Logger
	mux        *http.ServeMux
	verifier   *sigv4.Verifier
	creds      *authz.Credentials
	metrics    *metrics.Metrics
	scrape     http.Handler // GET /metrics
	queryOps   map[Service]map[string]*op
	errors     map[Service][]ErrorCode
	query      map[Service]*QueryService
	queryOrder []Service           // in the order added
	bufs       sync.Pool           // *[]byte response scratch
	hashes     sync.Pool           // hash.Hash: SHA-256 of bodies as they stream in
	budget     *semaphore.Weighted // the bytes of bodies in flight
	unsigned   bool                // some operation is registered Unsigned
	reasons    reasonCache         // the decision log's statements of each eval.Reason
}

// New returns a Server with every operation registered.
func New(o Options) *Server {
	if o.Region == "" {
		o.Region = DefaultRegion
	}
	if o.MaxBody == 0 {
		o.MaxBody = DefaultMaxBody
	}
	if o.BodyBytesInFlight == 0 {
		o.BodyBytesInFlight = DefaultBodyBytesInFlight
	}
	o.BodyBytesInFlight = max(o.BodyBytesInFlight, o.MaxBody)
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.IDs == nil {
		o.IDs = requestid.NewGenerator()
	}
	log := slog.New(slog.DiscardHandler)
	if o.Logger != nil {
		log = slog.New(requestid.LogHandler(o.Logger.Handler()))
	}
	s := &Server{opts: o, log: log, mux: http.NewServeMux(), creds: o.Credentials,
		metrics: metrics.New(), budget: semaphore.NewWeighted(o.BodyBytesInFlight), queryOps: map[Service]map[string]*op{},
		query: map[Service]*QueryService{}, errors: map[Service][]ErrorCode{}}
	if o.Registry == nil {
		o.Registry = prometheus.NewRegistry()
	}
	o.Registry.MustRegister(s.metrics)
	s.scrape = promhttp.HandlerFor(o.Registry, promhttp.HandlerOpts{ErrorLog: slogPrinter{s.log}})
	s.verifier = sigv4.New(s.lookup, sigv4.Options{Now: o.Now, CheckScope: s.checkScope})
	s.mux.HandleFunc("GET /healthz", s.serveHealth)
	s.mux.HandleFunc("GET /metrics", s.serveMetrics)
	if o.Dev && o.Reset != nil {
		s.mux.HandleFunc("POST /_iamq/reset", s.serveReset)
	}
	s.mux.HandleFunc("/{$}", s.serveQuery)
	s.mux.HandleFunc("/", s.serveNotFound)
	return s
}

// ServeHTTP serves one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// lookup is the [sigv4.Lookup]: an active key with its secret, and its
// *authz.Principal as Owner.
func (s *Server) lookup(ctx context.Context, id string) (sigv4.Key, error) {
	k, err := s.creds.Lookup(ctx, id)
	if errors.Is(err, authz.ErrUnknownKey) {
		// The refusal's info line follows; this one says why, by key.
		s.log.LogAttrs(ctx, slog.LevelDebug, "unknown access key", slog.String("key_id", id))
		return sigv4.Key{}, sigv4.ErrUnknownKey
	}
	if err != nil {
		return sigv4.Key{}, err
	}
	return sigv4.Key{Secret: k.Secret, SessionToken: k.SessionToken, Expires: k.Expires, Owner: k.Principal}, nil
}

// checkScope accepts the regions each service accepts: a global one is
// signed for us-east-1 (or iamq's own region, which SDKs pointed at an
// endpoint use); the others have an endpoint in every region.
func (s *Server) checkScope(region, service string) error {
	if d, ok := s.query[Service(service)]; ok && d.Global && region != DefaultRegion && region != s.opts.Region {
		return sigv4.InvalidRegion(region)
	}
	return nil
}

// serveHealth answers ok, or 503 with the reason when Options.Health says
// the process cannot serve (its store takes no writes).
func (s *Server) serveHealth(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if s.opts.Health != nil {
		if err := s.opts.Health(r.Context()); err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, "unhealthy: "+err.Error()+"\n")
			return
		}
	}
	io.WriteString(w, "ok\n")
}

func (s *Server) serveMetrics(w http.ResponseWriter, r *http.Request) { s.scrape.ServeHTTP(w, r) }

// slogPrinter is promhttp's error log: a failed collection is a warning.
type slogPrinter struct{ log *slog.Logger }

func (p slogPrinter) Println(v ...any) { p.log.Warn("serving metrics: " + fmt.Sprint(v...)) }

// serveReset returns the store to its freshly started state (Options.Reset);
// AWS managed policies are not in the store and stay.
func (s *Server) serveReset(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	err := s.opts.Reset(ctx)
	s.creds.Invalidate()
	if err != nil {
		s.log.Error("dev reset failed", "err", err)
		http.Error(w, "reset failed", http.StatusInternalServerError)
		return
	}
	s.log.Info("dev reset: the store is back to its freshly started state")
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(w, "reset\n")
}
