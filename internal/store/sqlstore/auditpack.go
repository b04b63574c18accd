package sqlstore

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/bits"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/iamq/iamq/internal/store"
)

// The records of one audit batch are packed into one TEXT value. A batch
// holds hundreds of records, most of them the same few callers making the
// same few calls: their principals, actions, user agents and identities
// repeat. So each record is written against the ones before it:
//
//	"v3;" then, per record, its eleven fields (id, time, account, principal,
//	entity, service, action, region, decision, error code, event):
//	  - time: nanoseconds since the previous record's time (the first's since
//	    0), in signed decimal, then ';';
//	  - the event: "K,P,S," then the middle as "N:bytes": the event is the
//	    first P bytes of the K-th event before it (1 to eventRefs; 0 for none,
//	    with P = S = 0), the middle, and the last S bytes of that event;
//	  - every other field: "=" when it equals the previous record's, else its
//	    length in decimal, ':' and its bytes;
//	  - the id also "~" when the event ends with it as its eventID member
//	    (`"eventID":"ID"}`, as the decision log writes it): the id is then
//	    read from the event, not stored twice.
//
// Prefix and suffix end on character boundaries, so the stored text stays
// valid UTF-8 (PostgreSQL's TEXT requires it). The decision log writes an
// event's varying members (time, ids, parameters) together, so that most of
// an event is shared with an earlier one. Version 2 ("v2;") is version 3
// without "~"; batches written before version 2 hold each field as
// "N:bytes" (unpackV1 reads them).

const (
	auditFields = 11
	// eventRefs is how many earlier events an event may be written against.
	eventRefs = 4
	packV2    = "v2;"
	packV3    = "v3;"
	// goodMiddle: an event whose middle is this short is not compared with
	// older events (a repeated call's time and ids take about 120 bytes).
	goodMiddle = 192
)

// packAudit packs records.
func packAudit(records []store.AuditRecord) string {
	return string(appendPack(make([]byte, 0, 64+len(records)*256), records))
}

// appendPack appends records, packed, to b.
func appendPack(b []byte, records []store.AuditRecord) []byte {
	p := packer{b: append(b, packV3...)}
	for i := range records {
		p.add(&records[i])
	}
	return p.b
}

// packer writes version 2 packs.
type packer struct {
	b      []byte
	prev   *store.AuditRecord
	at     int64
	events [eventRefs][]byte // the last events, most recent first
}

func (p *packer) add(r *store.AuditRecord) {
	prev := p.prev
	if prev == nil {
		prev = &store.AuditRecord{}
	}
	first := p.prev == nil
	if id, ok := eventIDIn(r.Event); ok && string(id) == r.ID && (first || r.ID != prev.ID) {
		p.b = append(p.b, '~')
	} else {
		p.field(r.ID, !first && r.ID == prev.ID)
	}
	at := nanos(r.Time)
	p.b = strconv.AppendInt(p.b, at-p.at, 10)
	p.b = append(p.b, ';')
	p.at = at
	p.field(r.Account, !first && r.Account == prev.Account)
	p.field(r.Principal, !first && r.Principal == prev.Principal)
	p.field(r.Entity, !first && r.Entity == prev.Entity)
	p.field(r.Service, !first && r.Service == prev.Service)
	p.field(r.Action, !first && r.Action == prev.Action)
	p.field(r.Region, !first && r.Region == prev.Region)
	p.field(r.Decision, !first && r.Decision == prev.Decision)
	p.field(r.ErrorCode, !first && r.ErrorCode == prev.ErrorCode)
	p.event(r.Event)
	p.prev = r
}

// field writes s, or "=" when same.
func (p *packer) field(s string, same bool) {
	if same {
		p.b = append(p.b, '=')
		return
	}
	p.b = strconv.AppendInt(p.b, int64(len(s)), 10)
	p.b = append(p.b, ':')
	p.b = append(p.b, s...)
}

// event writes ev against the earlier event that shares most with it.
func (p *packer) event(ev []byte) {
	best, bp, bs := 0, 0, 0
	for k, old := range p.events {
		if old == nil {
			break
		}
		pre := commonPrefix(ev, old)
		suf := commonSuffix(ev[pre:], old[min(pre, len(old)):])
		if pre+suf > bp+bs {
			best, bp, bs = k+1, pre, suf
		}
		if len(ev)-bp-bs <= goodMiddle {
			break // what is left to gain is not worth the comparisons
		}
	}
	// Cut on character boundaries: the middle stays valid UTF-8.
	for bp > 0 && bp < len(ev) && !utf8.RuneStart(ev[bp]) {
		bp--
	}
	for bs > 0 && !utf8.RuneStart(ev[len(ev)-bs]) {
		bs--
	}
	p.b = strconv.AppendInt(p.b, int64(best), 10)
	p.b = append(p.b, ',')
	p.b = strconv.AppendInt(p.b, int64(bp), 10)
	p.b = append(p.b, ',')
	p.b = strconv.AppendInt(p.b, int64(bs), 10)
	p.b = append(p.b, ',')
	mid := ev[bp : len(ev)-bs]
	p.b = strconv.AppendInt(p.b, int64(len(mid)), 10)
	p.b = append(p.b, ':')
	p.b = append(p.b, mid...)
	copy(p.events[1:], p.events[:eventRefs-1])
	p.events[0] = ev
}

// commonPrefix is the length of a's and b's common prefix.
func commonPrefix(a, b []byte) int {
	n := min(len(a), len(b))
	i := 0
	// Whole chunks first, with the runtime's vectorized comparison.
	for ; i+64 <= n && bytes.Equal(a[i:i+64], b[i:i+64]); i += 64 {
	}
	for ; i+8 <= n; i += 8 {
		if x := binary.LittleEndian.Uint64(a[i:]) ^ binary.LittleEndian.Uint64(b[i:]); x != 0 {
			return i + bits.TrailingZeros64(x)/8
		}
	}
	for i < n && a[i] == b[i] {
		i++
	}
	return i
}

// commonSuffix is the length of a's and b's common suffix.
func commonSuffix(a, b []byte) int {
	n := min(len(a), len(b))
	i := 0
	for ; i+64 <= n && bytes.Equal(a[len(a)-i-64:len(a)-i], b[len(b)-i-64:len(b)-i]); i += 64 {
	}
	for ; i+8 <= n; i += 8 {
		if x := binary.BigEndian.Uint64(a[len(a)-i-8:]) ^ binary.BigEndian.Uint64(b[len(b)-i-8:]); x != 0 {
			return i + bits.TrailingZeros64(x)/8
		}
	}
	for i < n && a[len(a)-1-i] == b[len(b)-1-i] {
		i++
	}
	return i
}

var errBadPack = errors.New("store: a packed audit batch is damaged")

// unpackAudit reads packed records, calling keep for each.
func unpackAudit(s string, keep func(store.AuditRecord)) error {
	if rest, ok := strings.CutPrefix(s, packV3); ok {
		return unpackV2(rest, true, keep)
	}
	if rest, ok := strings.CutPrefix(s, packV2); ok {
		return unpackV2(rest, false, keep)
	}
	return unpackV1(s, keep)
}

// unpackV2 reads version 2, or version 3 (v3: ids may be "~").
func unpackV2(s string, v3 bool, keep func(store.AuditRecord)) error {
	var u unpacker
	u.s = s
	var prev store.AuditRecord
	var at int64
	var events [eventRefs][]byte
	seen := 0 // events read, up to eventRefs
	for len(u.s) > 0 {
		var r store.AuditRecord
		idInEvent := v3 && strings.HasPrefix(u.s, "~")
		if idInEvent {
			u.s = u.s[1:]
		} else {
			r.ID = u.field(prev.ID)
		}
		d, ok := u.number(';')
		if !ok {
			return errBadPack
		}
		at += d
		r.Time = fromNanos(at)
		for _, f := range [...]struct{ dst, prev *string }{{&r.Account, &prev.Account}, {&r.Principal, &prev.Principal},
			{&r.Entity, &prev.Entity}, {&r.Service, &prev.Service}, {&r.Action, &prev.Action}, {&r.Region, &prev.Region},
			{&r.Decision, &prev.Decision}, {&r.ErrorCode, &prev.ErrorCode}} {
			*f.dst = u.field(*f.prev)
		}
		k, ok1 := u.number(',')
		pre, ok2 := u.number(',')
		suf, ok3 := u.number(',')
		mid := u.field("")
		if !ok1 || !ok2 || !ok3 || u.bad || k < 0 || k > int64(seen) || pre < 0 || suf < 0 {
			return errBadPack
		}
		var old []byte
		if k > 0 {
			old = events[k-1]
		}
		if pre+suf > int64(len(old)) || (k == 0 && pre+suf > 0) {
			return errBadPack
		}
		ev := make([]byte, 0, int(pre)+len(mid)+int(suf))
		ev = append(append(append(ev, old[:pre]...), mid...), old[len(old)-int(suf):]...)
		copy(events[1:], events[:eventRefs-1])
		events[0] = ev
		seen = min(seen+1, eventRefs)
		r.Event = ev
		if idInEvent {
			id, ok := eventIDIn(ev)
			if !ok {
				return errBadPack
			}
			r.ID = string(id)
		}
		keep(r)
		prev = r
	}
	if u.bad {
		return errBadPack
	}
	return nil
}

// eventIDIn is the id an event ends with, as its eventID member:
// `…"eventID":"ID"}` with an ID of no quote or backslash.
func eventIDIn(ev []byte) ([]byte, bool) {
	const member = `"eventID":"`
	if !bytes.HasSuffix(ev, []byte(`"}`)) {
		return nil, false
	}
	body := ev[:len(ev)-2]
	i := bytes.LastIndex(body, []byte(member))
	if i < 0 {
		return nil, false
	}
	id := body[i+len(member):]
	if len(id) == 0 || bytes.ContainsAny(id, `"\`) {
		return nil, false
	}
	return id, true
}

// unpacker reads the fields of versions 2 and 3.
type unpacker struct {
	s   string
	bad bool
}

// number reads a signed decimal ended by sep.
func (u *unpacker) number(sep byte) (int64, bool) {
	i := strings.IndexByte(u.s[:min(len(u.s), 21)], sep)
	if i < 0 {
		return 0, false
	}
	n, err := strconv.ParseInt(u.s[:i], 10, 64)
	if err != nil {
		return 0, false
	}
	u.s = u.s[i+1:]
	return n, true
}

// field reads "=" (prev) or "N:bytes".
func (u *unpacker) field(prev string) string {
	if strings.HasPrefix(u.s, "=") {
		u.s = u.s[1:]
		return prev
	}
	n, ok := u.number(':')
	if !ok || n < 0 || n > int64(len(u.s)) {
		u.bad, u.s = true, ""
		return ""
	}
	v := u.s[:n]
	u.s = u.s[n:]
	return v
}

// unpackV1 reads the first version: every field as "N:bytes", the time in
// nanoseconds.
func unpackV1(s string, keep func(store.AuditRecord)) error {
	var f [auditFields]string
	for len(s) > 0 {
		for i := range f {
			colon := 0
			for colon < len(s) && colon < 20 && s[colon] != ':' {
				colon++
			}
			if colon == len(s) || s[colon] != ':' {
				return errBadPack
			}
			n, err := strconv.Atoi(s[:colon])
			if err != nil || n < 0 || n > len(s)-colon-1 {
				return errBadPack
			}
			f[i], s = s[colon+1:colon+1+n], s[colon+1+n:]
		}
		at, err := strconv.ParseInt(f[1], 10, 64)
		if err != nil {
			return errBadPack
		}
		keep(store.AuditRecord{ID: f[0], Time: fromNanos(at), Account: f[2], Principal: f[3], Entity: f[4], Service: f[5],
			Action: f[6], Region: f[7], Decision: f[8], ErrorCode: f[9], Event: []byte(f[10])})
	}
	return nil
}
