// Package metrics counts the endpoint's calls by service, operation and
// code, and keeps latency histograms by service and operation, written in
// Prometheus's text format for GET /metrics. Updating a series takes no
// lock.
//
// It imports nothing of iamq.
package metrics

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
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

// opMetrics are one operation's counters, updated without locks.
type opMetrics struct {
	buckets [len(latencyBounds) + 1]atomic.Uint64
	sum     atomic.Int64 // nanoseconds
	count   atomic.Uint64

	mu    sync.RWMutex
	codes map[string]*atomic.Uint64
}

// Metrics counts requests by service, operation and code and keeps latency
// histograms by service and operation, written in Prometheus's text format.
type Metrics struct {
	mu  sync.RWMutex
	ops map[opKey]*opMetrics
}

// New returns metrics with no series.
func New() *Metrics { return &Metrics{ops: map[opKey]*opMetrics{}} }

// Register makes an operation's series exist from the start.
func (m *Metrics) Register(service, op string) {
	m.mu.Lock()
	if m.ops[opKey{service, op}] == nil {
		m.ops[opKey{service, op}] = &opMetrics{codes: map[string]*atomic.Uint64{}}
	}
	m.mu.Unlock()
}

// Observe records one call. op must be a registered name or Unknown.
func (m *Metrics) Observe(service, op, code string, d time.Duration) {
	k := opKey{service, op}
	m.mu.RLock()
	om := m.ops[k]
	m.mu.RUnlock()
	if om == nil {
		m.Register(service, op)
		m.mu.RLock()
		om = m.ops[k]
		m.mu.RUnlock()
	}
	secs := d.Seconds()
	i := 0
	for i < len(latencyBounds) && secs > latencyBounds[i] {
		i++
	}
	om.buckets[i].Add(1)
	om.sum.Add(int64(d))
	om.count.Add(1)
	om.counter(code).Add(1)
}

func (om *opMetrics) counter(code string) *atomic.Uint64 {
	om.mu.RLock()
	c := om.codes[code]
	om.mu.RUnlock()
	if c != nil {
		return c
	}
	om.mu.Lock()
	defer om.mu.Unlock()
	if c = om.codes[code]; c == nil {
		c = new(atomic.Uint64)
		om.codes[code] = c
	}
	return c
}

// write writes every series in the Prometheus text exposition format.
func (m *Metrics) Write(w io.Writer) error {
	m.mu.RLock()
	keys := make([]opKey, 0, len(m.ops))
	for k := range m.ops {
		keys = append(keys, k)
	}
	m.mu.RUnlock()
	slices.SortFunc(keys, func(a, b opKey) int {
		if a.service != b.service {
			return strings.Compare(string(a.service), string(b.service))
		}
		return strings.Compare(a.op, b.op)
	})
	var b []byte
	b = append(b, "# HELP iamq_requests_total API calls by service, operation and result code.\n# TYPE iamq_requests_total counter\n"...)
	for _, k := range keys {
		b = m.appendCounts(b, k)
	}
	b = append(b, "# HELP iamq_request_duration_seconds API call latency by service and operation.\n# TYPE iamq_request_duration_seconds histogram\n"...)
	for _, k := range keys {
		b = m.appendHistogram(b, k)
	}
	_, err := w.Write(b)
	return err
}

func (m *Metrics) get(k opKey) *opMetrics {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.ops[k]
}

func (m *Metrics) appendCounts(b []byte, k opKey) []byte {
	om := m.get(k)
	om.mu.RLock()
	codes := make([]string, 0, len(om.codes))
	for c := range om.codes {
		codes = append(codes, c)
	}
	om.mu.RUnlock()
	slices.Sort(codes)
	for _, c := range codes {
		b = fmt.Appendf(b, "iamq_requests_total{service=%q,operation=%q,code=%q} %d\n", k.service, k.op, c, om.counter(c).Load())
	}
	return b
}

func (m *Metrics) appendHistogram(b []byte, k opKey) []byte {
	om := m.get(k)
	var cum uint64
	for i := range om.buckets {
		cum += om.buckets[i].Load()
		le := "+Inf"
		if i < len(latencyBounds) {
			le = strconv.FormatFloat(latencyBounds[i], 'g', -1, 64)
		}
		b = fmt.Appendf(b, "iamq_request_duration_seconds_bucket{service=%q,operation=%q,le=%q} %d\n", k.service, k.op, le, cum)
	}
	b = fmt.Appendf(b, "iamq_request_duration_seconds_sum{service=%q,operation=%q} %g\n", k.service, k.op, time.Duration(om.sum.Load()).Seconds())
	b = fmt.Appendf(b, "iamq_request_duration_seconds_count{service=%q,operation=%q} %d\n", k.service, k.op, om.count.Load())
	return b
}
