// Package metrics counts the endpoint's calls by service, operation and
// code, and keeps latency histograms by service and operation, as
// prometheus/client_golang vectors. A [Metrics] is a prometheus.Collector:
// the server registers it with the process's registry, beside the Go
// runtime's, the process's and the store's, and one GET /metrics serves them
// all.
//
// Each operation's histogram and its OK counter are looked up once, when the
// operation is registered: client_golang's label lookup (WithLabelValues)
// costs 170-330 ns a call, an update through Metrics (a map read under a
// read lock, then the cached series) 62-65 ns with no allocation, the same
// as the hand-written text writer it replaced (61-71 ns), so that writer was
// not worth keeping (metrics_bench_test.go; two shared cores, noisy).
//
// It imports nothing of iamq.
package metrics

import (
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// latencyBounds are the upper bounds, in seconds, of the latency histogram's
// buckets.
var latencyBounds = [...]float64{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5}

// CodeOK labels successful calls in iamq_requests_total.
const CodeOK = "OK"

// Unknown labels calls to no registered operation or service, so that
// clients cannot create label values at will.
const Unknown = "-"

type opKey struct {
	service string
	op      string
}

// series are one operation's series that every call updates, looked up once.
type series struct {
	ok       prometheus.Counter
	duration prometheus.Observer
}

// Metrics counts requests by service, operation and code and keeps latency
// histograms by service and operation.
type Metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec

	mu  sync.RWMutex
	ops map[opKey]*series
}

// New returns metrics with no series.
func New() *Metrics {
	return &Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "iamq_requests_total",
			Help: "API calls by service, operation and result code."}, []string{"service", "operation", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "iamq_request_duration_seconds",
			Help: "API call latency by service and operation.", Buckets: latencyBounds[:]}, []string{"service", "operation"}),
		ops: map[opKey]*series{},
	}
}

// Register makes an operation's series exist from the start.
func (m *Metrics) Register(service, op string) { m.series(service, op) }

func (m *Metrics) series(service, op string) *series {
	k := opKey{service, op}
	m.mu.RLock()
	s := m.ops[k]
	m.mu.RUnlock()
	if s != nil {
		return s
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if s = m.ops[k]; s == nil {
		s = &series{ok: m.requests.WithLabelValues(service, op, CodeOK), duration: m.duration.WithLabelValues(service, op)}
		m.ops[k] = s
	}
	return s
}

// Observe records one call. op must be a registered name or Unknown.
func (m *Metrics) Observe(service, op, code string, d time.Duration) {
	s := m.series(service, op)
	s.duration.Observe(d.Seconds())
	if code == CodeOK {
		s.ok.Inc()
		return
	}
	// Refusals take the label lookup: they are the rarer calls, and their
	// codes are not known in advance.
	m.requests.WithLabelValues(service, op, code).Inc()
}

// Describe sends the descriptions of the two vectors (prometheus.Collector).
func (m *Metrics) Describe(ch chan<- *prometheus.Desc) {
	m.requests.Describe(ch)
	m.duration.Describe(ch)
}

// Collect sends every series (prometheus.Collector).
func (m *Metrics) Collect(ch chan<- prometheus.Metric) {
	m.requests.Collect(ch)
	m.duration.Collect(ch)
}
