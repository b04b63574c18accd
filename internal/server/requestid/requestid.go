// Package requestid gives each call its request id, as AWS writes them (a
// UUID-shaped string), carries it in the call's context, and adds it to
// every log record made with that context.
//
// It imports nothing of iamq.
package requestid

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"log/slog"
	"sync/atomic"
)

// NewGenerator returns a generator of request ids shaped like AWS's (UUIDs):
// a random 64-bit prefix per process and a counter, unique without a system
// call per request.
func NewGenerator() func() string {
	var prefix [8]byte
	rand.Read(prefix[:])
	var n atomic.Uint64
	return func() string {
		var raw [16]byte
		copy(raw[:8], prefix[:])
		binary.BigEndian.PutUint64(raw[8:], n.Add(1))
		var b [36]byte
		hex.Encode(b[0:8], raw[0:4])
		b[8] = '-'
		hex.Encode(b[9:13], raw[4:6])
		b[13] = '-'
		hex.Encode(b[14:18], raw[6:8])
		b[18] = '-'
		hex.Encode(b[19:23], raw[8:10])
		b[23] = '-'
		hex.Encode(b[24:36], raw[10:16])
		return string(b[:])
	}
}

// requestIDKey carries a call's request id in its context.
type key struct{}

// FromContext returns the request id of the call ctx belongs to, "" outside one.
func FromContext(ctx context.Context) string {
	id, _ := ctx.Value(key{}).(string)
	return id
}

// LogHandler wraps h so that every record logged with a call's context (by the
// server, or by the packages it calls with that context) carries the call's
// request_id, the id the client sees in x-amzn-RequestId.
func LogHandler(h slog.Handler) slog.Handler {
	if _, ok := h.(requestIDHandler); ok {
		return h
	}
	return requestIDHandler{h}
}

type requestIDHandler struct{ slog.Handler }

func (h requestIDHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := FromContext(ctx); id != "" {
		r.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, r)
}

func (h requestIDHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return requestIDHandler{h.Handler.WithAttrs(as)}
}

func (h requestIDHandler) WithGroup(name string) slog.Handler {
	return requestIDHandler{h.Handler.WithGroup(name)}
}

// WithID returns ctx carrying the request id id.
func WithID(ctx context.Context, id string) context.Context { return context.WithValue(ctx, key{}, id) }
