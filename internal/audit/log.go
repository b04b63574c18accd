package audit

import (
	"context"
	crand "crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"io"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/internal/store"
)

// Defaults of the Options.
const (
	DefaultBuffer    = 8192 // records waiting for the writer
	DefaultBatch     = 2048 // records per store write: one commit (and fsync) per batch
	DefaultInterval  = 500 * time.Millisecond
	DefaultRetention = 90 * 24 * time.Hour // as CloudTrail's event history
	// DefaultWait is how long a call waits for room when the buffer is full
	// before its record is dropped (and counted in Dropped).
	DefaultWait = time.Second
)

// encodeEvery is how many waiting records wake the writer to encode them,
// while their memory is still in the caches; the store is written a batch
// at a time.
const encodeEvery = 256

// Options configure a Log. The zero value of each field is its default.
type Options struct {
	// Store receives the records; nil keeps none (Stream only).
	Store store.Store
	// Stream, when set, receives each record as one JSON line.
	Stream io.Writer
	// Retention is how long records are kept in the store: older ones are
	// pruned hourly. 0 means DefaultRetention; negative keeps them forever.
	Retention time.Duration
	Buffer    int           // 0 means DefaultBuffer
	Batch     int           // 0 means DefaultBatch
	Interval  time.Duration // the longest a record waits to be written; 0 means DefaultInterval
	Wait      time.Duration // 0 means DefaultWait
	Logger    *slog.Logger  // nil discards
	Now       func() time.Time
}

// Log is the decision log. Record hands it a call's record without
// waiting for any write; Run writes. Safe for concurrent use.
type Log struct {
	o  Options
	ch chan *Record
	// wake tells the writer that records are waiting (kick): senders kick
	// when the buffer holds encodeEvery records, not per record, so that
	// the writer goroutine wakes once per so many calls or interval, not
	// per call.
	wake    chan struct{}
	kickAt  int
	mu      sync.RWMutex // held for reading by senders; Run takes it to close ch
	closed  bool
	dropped atomic.Uint64
	written atomic.Uint64
	enc     encoder // Run's
	rows    []store.AuditRecord
	line    []byte // a streamed record's JSON
}

// New returns a Log; call Run to write.
func New(o Options) *Log {
	if o.Buffer <= 0 {
		o.Buffer = DefaultBuffer
	}
	if o.Batch <= 0 {
		o.Batch = DefaultBatch
	}
	if o.Interval <= 0 {
		o.Interval = DefaultInterval
	}
	if o.Retention == 0 {
		o.Retention = DefaultRetention
	}
	if o.Wait <= 0 {
		o.Wait = DefaultWait
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Log{o: o, ch: make(chan *Record, o.Buffer), wake: make(chan struct{}, 1), kickAt: max(1, min(o.Batch, o.Buffer/2, encodeEvery))}
}

// Record hands r to the log, which keeps it: the caller must not touch r
// afterwards (the writer finishes it as it encodes it). It does not wait for the
// store: it waits only when the buffer is full, at most Options.Wait, then
// drops r (counted in Dropped). After Run has returned, records are
// dropped.
func (l *Log) Record(r *Record) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if l.closed {
		l.dropped.Add(1)
		return
	}
	select {
	case l.ch <- r:
		if len(l.ch) >= l.kickAt {
			l.kick()
		}
		return
	default:
	}
	l.kick()
	t := time.NewTimer(l.o.Wait)
	defer t.Stop()
	select {
	case l.ch <- r:
	case <-t.C:
		l.dropped.Add(1)
	}
}

// kick wakes the writer, unless it is woken already.
func (l *Log) kick() {
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// Flush waits until every record handed to the log before it is written,
// or ctx ends. It needs Run.
func (l *Log) Flush(ctx context.Context) error {
	marker := &Record{flushed: make(chan struct{})}
	l.mu.RLock()
	if l.closed {
		l.mu.RUnlock()
		return nil
	}
	select {
	case l.ch <- marker:
	case <-ctx.Done():
		l.mu.RUnlock()
		return ctx.Err()
	}
	l.kick()
	l.mu.RUnlock()
	select {
	case <-marker.flushed:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Dropped is how many records were dropped: the buffer stayed full (the
// store too slow for the calls) or the log had stopped.
func (l *Log) Dropped() uint64 { return l.dropped.Load() }

// Written is how many records were written to the store.
func (l *Log) Written() uint64 { return l.written.Load() }

// Run writes the records in batches, every Interval or every Batch records,
// and prunes the records older than the retention every hour, until ctx
// ends; then it writes every record taken so far and returns. Stop the
// calls (the HTTP server's shutdown) before ctx ends: records handed over
// after Run has returned are dropped.
func (l *Log) Run(ctx context.Context) {
	tick := time.NewTicker(l.o.Interval)
	defer tick.Stop()
	prune := time.NewTicker(time.Hour)
	defer prune.Stop()
	// Writes are never cut short by the shutdown: it waits for them.
	wctx := context.WithoutCancel(ctx)
	l.prune(wctx)
	for {
		select {
		case <-l.wake:
			l.take(wctx, false)
		case <-tick.C:
			l.take(wctx, true)
		case <-prune.C:
			l.prune(wctx)
		case <-ctx.Done():
			l.drain(wctx)
			return
		}
	}
}

// take encodes the records waiting in the buffer (as many as there are
// when it starts, so that a steady stream of calls cannot keep it from
// the shutdown), writes them to the store a batch at a time, and answers
// the Flush markers among them; when due (the interval has passed) it
// writes what is left too. Senders wake it every few hundred records, so
// that it encodes them while their memory is still in the caches.
func (l *Log) take(ctx context.Context, due bool) {
	for n := len(l.ch); n > 0; n-- {
		r := <-l.ch
		if r.flushed != nil {
			l.write(ctx)
			close(r.flushed)
			continue
		}
		l.encode(r)
		if len(l.rows) >= l.o.Batch {
			l.write(ctx)
		}
	}
	if due {
		l.write(ctx)
	}
}

// drain closes the log to new records and writes every record taken.
func (l *Log) drain(ctx context.Context) {
	l.mu.Lock()
	l.closed = true
	close(l.ch)
	l.mu.Unlock()
	for r := range l.ch {
		if r.flushed != nil {
			defer close(r.flushed)
			continue
		}
		l.encode(r)
		if len(l.rows) >= l.o.Batch {
			l.write(ctx)
		}
	}
	l.write(ctx)
}

// encode turns r into a row of the next batch (and a line of the stream).
// A record that cannot be encoded is logged and counted as dropped.
func (l *Log) encode(r *Record) {
	row, err := l.enc.encode(r)
	if err != nil {
		l.o.Logger.Warn("encoding an audit record", "request_id", r.RequestID, "err", err)
		l.dropped.Add(1)
	} else {
		l.rows = append(l.rows, row)
		if l.o.Stream != nil {
			l.line = append(l.enc.whole(l.line[:0], &row), '\n')
			if _, err := l.o.Stream.Write(l.line); err != nil {
				l.o.Logger.Warn("streaming the decision log", "err", err)
			}
		}
	}
}

// write writes the encoded rows to the store, in one batch. A failed
// write is logged, and its records counted as dropped: the log must not
// hold the calls up.
func (l *Log) write(ctx context.Context) {
	if len(l.rows) == 0 {
		return
	}
	if l.o.Store != nil {
		if err := l.o.Store.AppendAudit(ctx, l.rows); err != nil {
			l.o.Logger.Warn("writing the decision log", "records", len(l.rows), "err", err)
			l.dropped.Add(uint64(len(l.rows)))
		} else {
			l.written.Add(uint64(len(l.rows)))
		}
	}
	l.rows = l.rows[:0] // not cleared: the next batch overwrites what they hold
	l.enc.reset()       // the rows' events are written
}

func (l *Log) prune(ctx context.Context) {
	if l.o.Store == nil || l.o.Retention < 0 {
		return
	}
	n, err := l.o.Store.PruneAudit(ctx, l.o.Now().Add(-l.o.Retention))
	if err != nil {
		l.o.Logger.Warn("pruning the decision log", "err", err)
	} else if n > 0 {
		l.o.Logger.Info("pruned the decision log", "records", n, "retention", l.o.Retention)
	}
}

// Encode finishes r (its requestParameters, without secrets, from its raw
// input) and returns its store row, whose event is whole, and its JSON.
func Encode(r *Record) (store.AuditRecord, []byte, error) {
	if r.EventID == "" {
		r.EventID = newEventID()
	}
	e := encoder{buf: make([]byte, 0, 1024), wholeEvents: true}
	row, err := e.encode(r)
	return row, row.Event, err
}

// encoder is the writer's state for encoding records: the buffer the
// batch's JSON goes into (reused from batch to batch: the store copies what
// it keeps), the last principal's entity (consecutive records mostly share
// their caller), the event ids' prefix and counter, and the last record's
// JSON.
type encoder struct {
	buf            []byte
	principal, ent string
	idPrefix       []byte          // the event ids' first idPrefixLen characters (nil: not drawn yet)
	idNext         uint64          // the next event id's counter
	idText         string          // event ids formatted, not yet used
	reuse          reuse           // the last record's JSON, for the next one
	tail           store.AuditTail // the members left out of the events
	// body is the row of the last record whose event left out its last
	// members (its Event in buf; nil Event: none since the last write),
	// and bodyText that record's errorMessage: the next record with the
	// same head, parameters and errors shares its event and columns.
	body     store.AuditRecord
	bodyText string
	// wholeEvents: every event whole (Encode's), none WithoutTail.
	wholeEvents bool
}

// reset makes the buffer reusable: the previous batch's rows are written.
func (e *encoder) reset() {
	e.buf = e.buf[:0]
	e.body.Event = nil
}

// encode finishes r and returns its store row. The row's event leaves out
// the members that differ from call to call, eventTime, requestID and
// eventID (store.AuditRecord's WithoutTail), unless its ids need escaping;
// a record whose other members are the last one's shares that one's bytes,
// so that a repeated call's record costs neither writing nor comparing
// them.
func (e *encoder) encode(r *Record) (store.AuditRecord, error) {
	plainID := true // an event id of eventID's
	if r.EventID == "" {
		r.EventID = e.eventID()
	} else {
		plainID = store.PlainAuditID(r.EventID)
	}
	if r.EventVersion == "" {
		r.EventVersion = EventVersion
	}
	if r.EventType == "" {
		r.EventType = "AwsApiCall"
	}
	r.EventTime = r.EventTime.UTC() // CloudTrail's times are in UTC
	short := !e.wholeEvents && plainID && store.PlainAuditID(r.RequestID)
	sameHead := e.reuse.sameHead(r)
	if short && e.body.Event != nil && sameHead && e.reuse.sameParams(r) && r.ErrorCode == e.body.ErrorCode && r.ErrorMessage == e.bodyText {
		// The body's row, but for the time and ids: its columns come from
		// the same head and errors, and the store then compares the same
		// strings.
		r.Input = nil
		row := e.body
		row.ID, row.Time, row.RequestID = r.EventID, r.EventTime, r.RequestID
		return row, nil
	}
	start := len(e.buf)
	b := e.buf
	if sameHead {
		b = append(b, e.reuse.head...)
	} else {
		b = appendHead(b, r)
		e.reuse.keepHead(r, b[start:])
	}
	b, err := e.reuse.appendParams(b, r)
	if err != nil {
		return store.AuditRecord{}, err
	}
	b = appendErrors(b, r)
	if !short {
		b = appendTimeAndIDs(b, r)
	}
	e.buf = b
	ev := b[start:len(b):len(b)]
	if p := r.UserIdentity.ARN; p != e.principal || e.ent == "" {
		e.principal, e.ent = p, Entity(p)
	}
	row := store.AuditRecord{ID: r.EventID, Time: r.EventTime, Account: r.UserIdentity.AccountID, Principal: r.UserIdentity.ARN,
		Entity: e.ent, Service: strings.TrimSuffix(r.EventSource, ".amazonaws.com"),
		Region: r.AWSRegion, Decision: string(r.Outcome()), ErrorCode: r.ErrorCode, Event: ev, RequestID: r.RequestID, WithoutTail: short}
	if a := r.Authorization; a != nil && a.Action != "" {
		row.Action = a.Action
	} else {
		row.Action = row.Service + ":" + r.EventName
	}
	if short {
		e.body, e.bodyText = row, r.ErrorMessage
	} else {
		e.body.Event = nil // its head and parameters may not be the body's
	}
	return row, nil
}

// whole appends row's whole event (as the store gives it back) to b.
func (e *encoder) whole(b []byte, row *store.AuditRecord) []byte {
	b = append(b, row.Event...)
	if row.WithoutTail {
		b = e.tail.Append(b, row.Time, row.RequestID, row.ID)
	}
	return b
}

// eventID is the next event id: a UUID of version 8 (RFC 9562, whose
// bits are the writer's own) made of a prefix, random and drawn once per
// writer from crypto/rand, and a counter. The ids are as unique as random
// ones (a new writer, a new prefix), and the store writes each in a few
// bytes against the one before. Ids are formatted idChunk at a time into
// one string, which each id slices: one allocation, not one per record.
func (e *encoder) eventID() string {
	if len(e.idText) == 0 {
		if e.idPrefix == nil {
			var p [16]byte
			crand.Read(p[:8])
			p[6] = p[6]&0x0f | 0x80 // version 8
			e.idPrefix = appendUUID(nil, p)[:idPrefixLen]
		}
		b := make([]byte, 0, idChunk*uuidLen)
		var c [8]byte
		for range idChunk {
			binary.BigEndian.PutUint64(c[:], e.idNext&(1<<62-1)|1<<63) // the RFC 9562 variant
			e.idNext++
			b = append(b, e.idPrefix...)
			b = hex.AppendEncode(b, c[:2])
			b = append(b, '-')
			b = hex.AppendEncode(b, c[2:])
		}
		e.idText = string(b)
	}
	id := e.idText[:uuidLen]
	e.idText = e.idText[uuidLen:]
	return id
}

// The event ids formatted at once, the length of one, and of the prefix
// they share ("xxxxxxxx-xxxx-8xxx-").
const (
	idChunk     = 256
	uuidLen     = 36
	idPrefixLen = 19
)

// appendUUID appends u in its 8-4-4-4-12 lowercase form.
func appendUUID(b []byte, u [16]byte) []byte {
	n := len(b)
	b = append(b, make([]byte, uuidLen)...)
	out := b[n:]
	hex.Encode(out[0:8], u[0:4])
	hex.Encode(out[9:13], u[4:6])
	hex.Encode(out[14:18], u[6:8])
	hex.Encode(out[19:23], u[8:10])
	hex.Encode(out[24:], u[10:])
	out[8], out[13], out[18], out[23] = '-', '-', '-', '-'
	return b
}

// newEventID is a random (version 4) UUID.
func newEventID() string { return uuid.NewString() }

// Entity is the IAM identity a caller's ARN acts as, as the log keys it:
// the user (arn:aws:iam::A:user/NAME, without the path), the role of an
// assumed-role session (arn:aws:iam::A:role/NAME), or the ARN itself (the
// root). A user's or role's ARN with a path gives the same key, so that
// the log can be searched by either.
func Entity(principal string) string {
	a, err := arn.Parse(principal)
	if err != nil {
		return principal
	}
	typ, rest, _ := strings.Cut(a.Resource, "/")
	switch {
	case a.Service == "sts" && typ == arn.TypeAssumedRole:
		role, _, _ := strings.Cut(rest, "/")
		return arn.Role(a.Account, "/", role).String()
	case a.Service == "iam" && typ == arn.TypeUser:
		return arn.User(a.Account, "/", rest[strings.LastIndexByte(rest, '/')+1:]).String()
	case a.Service == "iam" && typ == arn.TypeRole:
		return arn.Role(a.Account, "/", rest[strings.LastIndexByte(rest, '/')+1:]).String()
	}
	return principal
}
