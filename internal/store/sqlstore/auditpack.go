package sqlstore

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"math/bits"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/iamq/iamq/internal/store"
)

// The records of one audit batch are packed into one TEXT value. A batch
// holds hundreds of records, most of them the same few callers making the
// same few calls: their principals, actions, user agents and identities
// repeat. So each record is written against the ones before it:
//
//	"v5;" then, per record:
//	  - its kind: 't' when its event ends with the members the decision log
//	    writes last, `,"eventTime":"T","requestID":"R","eventID":"ID"}`
//	    (store.AuditTail's), with T the record's time, ID its id and R
//	    free of quotes, or was handed over without them (WithoutTail):
//	    those members are left out of the stored event and rebuilt when
//	    read; 'f' when the event is stored whole;
//	  - its id: '^' and the id against the previous record's (as R below)
//	    when they share at least idPrefix bytes (the decision log's ids are
//	    a prefix and a counter); else '#' and 22 characters of unpadded
//	    URL-safe base64 for a lowercase UUID (8-4-4-4-12 hex digits); else
//	    as a field;
//	  - its time: nanoseconds since the previous record's time (the
//	    first's since 0), in signed decimal, then ';';
//	  - account, principal, entity, service, action, region, decision and
//	    error code: '*' when all eight equal the previous record's, else
//	    each as a field;
//	  - for 't', R: the length of its prefix shared with the previous R,
//	    ',', then the rest as a field;
//	  - the event (without those members for 't'): '!' when it equals the
//	    previous record's, else "K,P,S," then the middle as a field: the
//	    event is the first P bytes of the K-th event before it (1 to
//	    eventRefs; 0 for none, with P = S = 0), the middle, and the last S
//	    bytes of that event;
//
// where a field is "=" when it equals the previous record's, else its
// length in decimal, ':' and its bytes. A repeated call's record is some
// 25 bytes: its time and the ends of its ids; the rest is the previous
// one's.
//
// Prefixes and suffixes end on character boundaries, so the stored text
// stays valid UTF-8 (PostgreSQL's TEXT requires it). Batches of earlier
// versions still read: version 4 ("v4;") is version 5 without '^' ids;
// version 3 ("v3;") is version 2 with "~" for an id
// read from its event's eventID member; version 2 ("v2;") writes the id
// and the time, each of the eight fields, then the whole event as
// "K,P,S,middle"; batches written before version 2 hold each field as
// "N:bytes" (unpackV1 reads them).

const (
	auditFields = 11
	// eventRefs is how many earlier events an event may be written against.
	eventRefs = 4
	packV2    = "v2;"
	packV3    = "v3;"
	packV4    = "v4;"
	packV5    = "v5;"
	// idPrefix is the least prefix an id must share with the previous
	// record's to be written against it.
	idPrefix = 8
	// goodMiddle: an event whose middle is this short is not compared with
	// older events.
	goodMiddle = 192
)

// packAudit packs records.
func packAudit(records []store.AuditRecord) string {
	return string(appendPack(make([]byte, 0, 64+len(records)*64), records))
}

// appendPack appends records, packed, to b.
func appendPack(b []byte, records []store.AuditRecord) []byte {
	p := packer{b: append(b, packV5...)}
	for i := range records {
		p.add(&records[i])
	}
	return p.b
}

// packer writes version 5 packs.
type packer struct {
	b      []byte
	prev   *store.AuditRecord
	at     int64
	rid    string            // the last record's request id (kind 't')
	events [eventRefs][]byte // the last events as stored, most recent first
	time   []byte            // scratch: a time as the tail writes it
	tail   store.AuditTail
}

func (p *packer) add(r *store.AuditRecord) {
	first := p.prev == nil
	prev := p.prev
	if first {
		prev = &store.AuditRecord{}
	}
	at := nanos(r.Time)
	body, rid, tail := r.Event, r.RequestID, r.WithoutTail
	if !tail {
		body, rid, tail = p.splitTail(r, at)
	}
	if tail {
		p.b = append(p.b, 't')
	} else {
		p.b = append(p.b, 'f')
	}
	if n := sharedPrefix(r.ID, prev.ID); !first && n >= idPrefix {
		p.b = append(p.b, '^')
		p.delta(r.ID, n)
	} else if u, ok := uuidBytes(r.ID); ok {
		p.b = append(p.b, '#')
		p.b = base64.RawURLEncoding.AppendEncode(p.b, u[:])
	} else {
		p.field(r.ID, !first && r.ID == prev.ID)
	}
	p.b = strconv.AppendInt(p.b, at-p.at, 10)
	p.b = append(p.b, ';')
	p.at = at
	if !first && r.Account == prev.Account && r.Principal == prev.Principal && r.Entity == prev.Entity &&
		r.Service == prev.Service && r.Action == prev.Action && r.Region == prev.Region &&
		r.Decision == prev.Decision && r.ErrorCode == prev.ErrorCode {
		p.b = append(p.b, '*')
	} else {
		p.field(r.Account, !first && r.Account == prev.Account)
		p.field(r.Principal, !first && r.Principal == prev.Principal)
		p.field(r.Entity, !first && r.Entity == prev.Entity)
		p.field(r.Service, !first && r.Service == prev.Service)
		p.field(r.Action, !first && r.Action == prev.Action)
		p.field(r.Region, !first && r.Region == prev.Region)
		p.field(r.Decision, !first && r.Decision == prev.Decision)
		p.field(r.ErrorCode, !first && r.ErrorCode == prev.ErrorCode)
	}
	if tail {
		p.delta(rid, sharedPrefix(rid, p.rid))
		p.rid = rid
	}
	p.event(body)
	p.prev = r
}

// splitTail cuts r's event before the members kind 't' leaves out, when
// it ends with them as they are rebuilt (its time is at).
func (p *packer) splitTail(r *store.AuditRecord, at int64) (body []byte, rid string, ok bool) {
	ev := r.Event
	// …","eventID":"ID"}
	n := len(ev) - len(store.AuditTailEnd) - len(r.ID) - len(store.AuditTailEventID)
	if n < 0 || string(ev[len(ev)-len(store.AuditTailEnd):]) != store.AuditTailEnd || string(ev[n+len(store.AuditTailEventID):len(ev)-len(store.AuditTailEnd)]) != r.ID ||
		string(ev[n:n+len(store.AuditTailEventID)]) != store.AuditTailEventID {
		return ev, "", false
	}
	// …","requestID":"R (R holds no quote: the nearest one ends the member's name)
	q := bytes.LastIndexByte(ev[:n], '"')
	if q < len(store.AuditTailRequestID)-1 || string(ev[q-len(store.AuditTailRequestID)+1:q+1]) != store.AuditTailRequestID {
		return ev, "", false
	}
	rid = string(ev[q+1 : n])
	// ,"eventTime":"T
	p.time = p.tail.AppendTime(p.time[:0], fromNanos(at))
	t := q - len(store.AuditTailRequestID) + 1 - len(p.time)
	if t < len(store.AuditTailTime) || string(ev[t:t+len(p.time)]) != string(p.time) || string(ev[t-len(store.AuditTailTime):t]) != store.AuditTailTime {
		return ev, "", false
	}
	return ev[:t-len(store.AuditTailTime)], rid, true
}

// unhex maps a lowercase hexadecimal digit to its value, anything else to
// 0xff.
var unhex = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xff
	}
	for i, c := range "0123456789abcdef" {
		t[c] = byte(i)
	}
	return t
}()

// uuidBytes is the 16 bytes of a lowercase UUID in its 8-4-4-4-12 form.
func uuidBytes(id string) (u [16]byte, ok bool) {
	if len(id) != 36 || id[8] != '-' || id[13] != '-' || id[18] != '-' || id[23] != '-' {
		return u, false
	}
	var bad byte
	for j, i := range [16]int{0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34} {
		hi, lo := unhex[id[i]], unhex[id[i+1]]
		bad |= hi | lo
		u[j] = hi<<4 | lo
	}
	return u, bad&0xf0 == 0
}

// sharedPrefix is the length of s's prefix shared with prev, ending on a
// character boundary.
func sharedPrefix(s, prev string) int {
	n := commonPrefixString(s, prev)
	for n > 0 && n < len(s) && !utf8.RuneStart(s[n]) {
		n--
	}
	return n
}

// delta writes s against a string whose first n bytes it shares: n, ',',
// then the rest of s as a field.
func (p *packer) delta(s string, n int) {
	p.b = strconv.AppendInt(p.b, int64(n), 10)
	p.b = append(p.b, ',')
	p.b = strconv.AppendInt(p.b, int64(len(s)-n), 10)
	p.b = append(p.b, ':')
	p.b = append(p.b, s[n:]...)
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
	if p.events[0] != nil && bytes.Equal(ev, p.events[0]) {
		p.b = append(p.b, '!')
		return
	}
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

// commonPrefixString is the length of a's and b's common prefix. The ids
// it compares mostly differ in their last bytes only (a prefix and a
// counter): one comparison of all but those, then byte by byte, which for
// such short strings beats calling the runtime's comparison word by word.
func commonPrefixString(a, b string) int {
	n := min(len(a), len(b))
	i := 0
	if n > idTail && a[:n-idTail] == b[:n-idTail] {
		i = n - idTail
	}
	for i < n && a[i] == b[i] {
		i++
	}
	return i
}

// idTail is how many last bytes of consecutive ids commonPrefixString
// expects to differ.
const idTail = 4

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
	if rest, ok := strings.CutPrefix(s, packV5); ok {
		return unpackV4(rest, true, keep)
	}
	if rest, ok := strings.CutPrefix(s, packV4); ok {
		return unpackV4(rest, false, keep)
	}
	if rest, ok := strings.CutPrefix(s, packV3); ok {
		return unpackV2(rest, true, keep)
	}
	if rest, ok := strings.CutPrefix(s, packV2); ok {
		return unpackV2(rest, false, keep)
	}
	return unpackV1(s, keep)
}

// unpackV4 reads version 4, or version 5 (v5: ids may be '^').
func unpackV4(s string, v5 bool, keep func(store.AuditRecord)) error {
	u := unpacker{s: s}
	var prev store.AuditRecord
	var at int64
	var rid string
	var tail store.AuditTail
	var events [eventRefs][]byte
	seen := 0 // events read, up to eventRefs
	for len(u.s) > 0 && !u.bad {
		var r store.AuditRecord
		var ok bool
		kind := u.s[0]
		if kind != 't' && kind != 'f' {
			return errBadPack
		}
		u.s = u.s[1:]
		if v5 && strings.HasPrefix(u.s, "^") {
			u.s = u.s[1:]
			if r.ID, ok = u.delta(prev.ID); !ok {
				return errBadPack
			}
		} else if strings.HasPrefix(u.s, "#") {
			const n = 22 // base64 of 16 bytes
			if len(u.s) < 1+n {
				return errBadPack
			}
			id, err := base64.RawURLEncoding.DecodeString(u.s[1 : 1+n])
			if err != nil || len(id) != 16 {
				return errBadPack
			}
			r.ID, u.s = uuid.UUID(id).String(), u.s[1+n:]
		} else {
			r.ID = u.field(prev.ID)
		}
		d, ok := u.number(';')
		if !ok {
			return errBadPack
		}
		at += d
		r.Time = fromNanos(at)
		if strings.HasPrefix(u.s, "*") {
			u.s = u.s[1:]
			r.Account, r.Principal, r.Entity, r.Service = prev.Account, prev.Principal, prev.Entity, prev.Service
			r.Action, r.Region, r.Decision, r.ErrorCode = prev.Action, prev.Region, prev.Decision, prev.ErrorCode
		} else {
			for _, f := range [...]struct{ dst, prev *string }{{&r.Account, &prev.Account}, {&r.Principal, &prev.Principal},
				{&r.Entity, &prev.Entity}, {&r.Service, &prev.Service}, {&r.Action, &prev.Action}, {&r.Region, &prev.Region},
				{&r.Decision, &prev.Decision}, {&r.ErrorCode, &prev.ErrorCode}} {
				*f.dst = u.field(*f.prev)
			}
		}
		if kind == 't' {
			if rid, ok = u.delta(rid); !ok {
				return errBadPack
			}
		}
		var ev []byte
		if strings.HasPrefix(u.s, "!") {
			if seen == 0 {
				return errBadPack
			}
			u.s = u.s[1:]
			ev = events[0]
			if kind == 'f' {
				ev = bytes.Clone(ev) // each record its own event
			}
		} else {
			var ok bool
			if ev, ok = u.event(&events, &seen); !ok {
				return errBadPack
			}
		}
		if kind == 't' {
			r.Event = tail.Append(append(make([]byte, 0, len(ev)+len(rid)+len(r.ID)+80), ev...), r.Time, rid, r.ID)
			r.RequestID = rid
		} else {
			r.Event = ev
		}
		keep(r)
		prev = r
	}
	if u.bad {
		return errBadPack
	}
	return nil
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
		ev, ok := u.event(&events, &seen)
		if !ok {
			return errBadPack
		}
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

// event reads an event written against the ones before it, "K,P,S," and
// the middle (a field), and keeps it as the most recent of events, of
// which seen are read.
func (u *unpacker) event(events *[eventRefs][]byte, seen *int) ([]byte, bool) {
	k, ok1 := u.number(',')
	pre, ok2 := u.number(',')
	suf, ok3 := u.number(',')
	mid := u.field("")
	if !ok1 || !ok2 || !ok3 || u.bad || k < 0 || k > int64(*seen) || pre < 0 || suf < 0 {
		return nil, false
	}
	var old []byte
	if k > 0 {
		old = events[k-1]
	}
	if pre+suf > int64(len(old)) || (k == 0 && pre+suf > 0) {
		return nil, false
	}
	ev := make([]byte, 0, int(pre)+len(mid)+int(suf))
	ev = append(append(append(ev, old[:pre]...), mid...), old[len(old)-int(suf):]...)
	copy(events[1:], events[:eventRefs-1])
	events[0] = ev
	*seen = min(*seen+1, eventRefs)
	return ev, true
}

// delta reads a string written against prev (packer.delta).
func (u *unpacker) delta(prev string) (string, bool) {
	n, ok := u.number(',')
	if !ok || n < 0 || n > int64(len(prev)) {
		return "", false
	}
	return prev[:n] + u.field(""), true
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
