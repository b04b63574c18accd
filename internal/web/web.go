package web

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/iamq/iamq/internal/catalog"
	"github.com/iamq/iamq/internal/history"
	"github.com/iamq/iamq/internal/managed"
	"github.com/iamq/iamq/internal/server"
)

// Prefix is where the pages live.
const Prefix = "/managed-policies/"

// noService is the path segment of the policies of no one service.
const noService = history.NoService

//go:embed templates/*.html
var templateFiles embed.FS

// Options configure a Handler. History and Policies are required.
type Options struct {
	History  *history.History
	Policies *managed.Registry
	// Catalog is the service catalog the pages read; nil means the
	// registry's live one, with the updates 'iamq admin catalog apply' made
	// on any node.
	Catalog *catalog.Catalog
	// Differ compares two versions of a policy; nil means SemanticDiffer
	// over the catalog in force.
	Differ Differ
	Logger *slog.Logger // nil discards
}

// Handler serves the pages and feeds. It is safe for concurrent use.
type Handler struct {
	o    Options
	log  *slog.Logger
	mux  *http.ServeMux
	tmpl *template.Template

	mu         sync.Mutex
	servicesOf *catalog.Catalog             // the catalog services was made with
	services   map[string][]*managed.Policy // service prefix (noService) → its policies, by name

	cache *cache // rendered documents and diffs, which never change
	pages *cache // rendered pages and feeds (serveCached)
	// diffing holds a token per comparison being computed: a diff of two
	// large versions costs up to a few hundred milliseconds of CPU, and the
	// pages are public, so at most maxDiffing run at once.
	diffing  chan struct{}
	diffWait time.Duration // how long a comparison waits for its turn
}

// New returns the handler.
func New(o Options) *Handler {
	h := &Handler{o: o, log: o.Logger, mux: http.NewServeMux(), cache: newCache(512), pages: newCache(64),
		diffing: make(chan struct{}, maxDiffing), diffWait: defaultDiffWait}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	h.tmpl = template.Must(template.New("").Funcs(templateFuncs()).ParseFS(templateFiles, "templates/*.html"))
	routes := map[string]http.HandlerFunc{
		"GET " + Prefix + "{$}":                       h.serveIndex,
		"GET " + Prefix + "history":                   h.serveJSON,
		"GET " + Prefix + "{file}":                    h.serveFeed,
		"GET " + Prefix + "services/{service}":        h.serveService,
		"GET " + Prefix + "services/{service}/{file}": h.serveFeed,
		"GET " + Prefix + "policies/{name}":           h.servePolicy,
		"GET " + Prefix + "policies/{name}/{file}":    h.serveFeed,
		"GET " + Prefix + "policies/{name}/diff":      h.serveDiff,
		"GET " + Prefix + "policies/{name}/chart.svg": h.serveChart,
		"GET " + Prefix + "actions/{pattern}":         h.serveActions,
	}
	for pattern, fn := range routes {
		h.mux.HandleFunc(pattern, fn)
	}
	h.mux.HandleFunc(Prefix, func(w http.ResponseWriter, r *http.Request) { h.notFound(w, r, "No page here.") })
	return h
}

// Register serves h under Prefix on srv.
func Register(srv *server.Server, h *Handler) { srv.Page(Prefix, h) }

// ServeHTTP serves one request. The pages need no script and load nothing
// from elsewhere, and say so to the browser.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	h.mux.ServeHTTP(w, r)
}

// index groups the policies by service, by the catalog in force: again
// when a catalog update replaced it.
func (h *Handler) index() (map[string][]*managed.Policy, error) {
	ps, err := h.o.Policies.Policies()
	if err != nil {
		return nil, err
	}
	cat := h.catalog()
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.services == nil || h.servicesOf != cat {
		x := managed.NewServiceIndex(cat)
		h.services, h.servicesOf = map[string][]*managed.Policy{}, cat
		for _, p := range ps {
			s := x.Of(p.Name)
			if s == "" {
				s = noService
			}
			h.services[s] = append(h.services[s], p)
		}
	}
	return h.services, nil
}

// catalog is the service catalog in force: Options.Catalog, or the
// registry's live one, which a catalog update replaces.
func (h *Handler) catalog() *catalog.Catalog {
	if h.o.Catalog != nil {
		return h.o.Catalog
	}
	return h.o.Policies.Catalog()
}

// catalogKey tells cached renderings made with one catalog from those made
// with another: a catalog update changes the actions a page links.
func (h *Handler) catalogKey() string { return fmt.Sprintf("%p", h.catalog()) }

// differ is Options.Differ, or SemanticDiffer over the catalog in force.
func (h *Handler) differ() Differ {
	if h.o.Differ != nil {
		return h.o.Differ
	}
	return SemanticDiffer{Catalog: h.catalog()}
}

// policy returns the policy named name, as it stands now.
func (h *Handler) policy(name string) (*managed.Policy, bool) {
	ps, err := h.o.Policies.Policies()
	if err != nil || len(name) > 128 {
		return nil, false
	}
	i := sort.Search(len(ps), func(i int) bool { return ps[i].Name >= name })
	if i < len(ps) && ps[i].Name == name {
		return ps[i], true
	}
	return nil, false
}

// serviceName is the catalog's name of a service prefix.
func (h *Handler) serviceName(prefix string) string {
	if prefix == noService || prefix == "" {
		return "Policies of no one service"
	}
	if s, ok := h.catalog().Service(prefix); ok {
		return s.Name
	}
	return prefix
}

// serviceOf is the path segment of a policy's service.
func (h *Handler) serviceOf(p *managed.Policy) string {
	svcs, err := h.index()
	if err != nil {
		return noService
	}
	for s, ps := range svcs {
		for _, q := range ps {
			if q.Name == p.Name {
				return s
			}
		}
	}
	return noService
}

// entries returns every history entry of a policy or a service, newest
// first.
func (h *Handler) entries(ctx context.Context, service string, p *managed.Policy) ([]history.Entry, error) {
	q := history.Query{Service: service}
	if p != nil {
		q = history.Query{PolicyARN: p.ARN()}
	}
	return h.o.History.All(ctx, q)
}

// render writes a page.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, name string, data any) {
	var b strings.Builder
	if err := h.tmpl.ExecuteTemplate(&b, name, data); err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=60")
	w.Write([]byte(b.String()))
}

// notFound answers 404 with a small page.
func (h *Handler) notFound(w http.ResponseWriter, r *http.Request, msg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	h.tmpl.ExecuteTemplate(w, "notfound.html", msg)
}

// maxDiffing is how many comparisons the pages compute at once, and
// defaultDiffWait how long a request waits for its turn before it is
// answered 503.
const (
	maxDiffing      = 2
	defaultDiffWait = 5 * time.Second
)

// errBusy refuses a comparison that found no turn in time.
var errBusy = errors.New("web: too many comparisons at once")

// fail answers 500, logging the cause (which the reader does not see); 503
// when the server was too busy comparing.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) {
		return
	}
	if errors.Is(err, errBusy) {
		w.Header().Set("Retry-After", "5")
		http.Error(w, "The server is busy comparing other versions; try again in a few seconds.", http.StatusServiceUnavailable)
		return
	}
	h.log.Error("managed-policy page failed", "path", r.URL.Path, "err", err)
	http.Error(w, "The page could not be made; the server's log says why.", http.StatusInternalServerError)
}

// templateFuncs are the templates' helpers.
func templateFuncs() template.FuncMap {
	return template.FuncMap{
		// docDate is a date as the AWS documentation's change tables write
		// it ("May 5, 2021"), or the entry's "date unknown" text.
		"docDate": func(e history.Entry) string {
			if e.DateKnown() {
				return e.Date.UTC().Format("January 2, 2006")
			}
			return e.DateText()
		},
		"day": func(t time.Time) string {
			if t.IsZero() {
				return "unknown"
			}
			return t.UTC().Format("2006-01-02")
		},
	}
}
