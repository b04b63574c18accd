package catalog

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"
)

// The compact form, written by [Catalog.MarshalBinary] (run by gen.go) and
// embedded as catalog.bin:
//
//	magic "IAMQCAT1"
//	uvarint length of the index, then the index (uncompressed):
//	  source: name, via, version, updatedAt (RFC 3339), digest
//	  global keys: count, then name, category, type each
//	  services: count, then prefix, name, action count, blob offset,
//	  compressed length and raw length each
//	the blobs: each service deflated on its own, so that a lookup decodes
//	only the service it needs.
//
// A service blob is a string table (count, then length-prefixed strings),
// the totals of list items, action resource types and access levels, then
// resource types, condition keys and actions that refer to strings and
// resource types by number. Strings are uvarint-length-prefixed, lists are a
// uvarint count followed by their items.
const magic = "IAMQCAT1"

// ErrCorrupt reports a compact form that cannot be decoded.
var ErrCorrupt = errors.New("catalog: corrupt compact form")

// MarshalBinary writes the catalog's compact form, the one the package
// embeds. It decodes every service.
func (c *Catalog) MarshalBinary() ([]byte, error) {
	var blobs bytes.Buffer
	var ix enc
	ix.str(c.source.Name)
	ix.str(c.source.Via)
	ix.str(c.source.Version)
	ix.str(c.source.UpdatedAt.UTC().Format(time.RFC3339Nano))
	ix.str(c.source.Digest)
	ix.uint(len(c.globals.keys))
	for _, k := range c.globals.keys {
		ix.str(k.Name)
		ix.str(k.Category)
		ix.str(string(k.Type))
	}
	ix.uint(len(c.services))
	for _, s := range c.services {
		raw := encodeService(s.data())
		start := blobs.Len()
		zw, err := flate.NewWriter(&blobs, flate.BestCompression)
		if err != nil {
			return nil, err
		}
		if _, err := zw.Write(raw); err != nil {
			return nil, err
		}
		if err := zw.Close(); err != nil {
			return nil, err
		}
		ix.str(s.Prefix)
		ix.str(s.Name)
		ix.uint(s.actionCount)
		ix.uint(start)
		ix.uint(blobs.Len() - start)
		ix.uint(len(raw))
	}
	out := append([]byte(magic), binary.AppendUvarint(nil, uint64(len(ix.b)))...)
	out = append(out, ix.b...)
	return append(out, blobs.Bytes()...), nil
}

// enc appends uvarints and length-prefixed strings.
type enc struct{ b []byte }

func (e *enc) uint(n int)   { e.b = binary.AppendUvarint(e.b, uint64(n)) }
func (e *enc) str(s string) { e.uint(len(s)); e.b = append(e.b, s...) }
func (e *enc) bool(v bool) {
	if v {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}

// dec reads what enc writes. The first error sticks; reads after it return
// zero values, so a decoder checks err once at the end of a record.
type dec struct {
	s   string // the data, as one string so that decoded strings share it
	off int
	err error
}

func (d *dec) fail(what string) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: %s at byte %d", ErrCorrupt, what, d.off)
	}
}

func (d *dec) uint() int {
	if d.err != nil {
		return 0
	}
	var v uint64
	var shift uint
	for i := 0; ; i++ {
		if d.off >= len(d.s) || i == 10 {
			d.fail("truncated number")
			return 0
		}
		c := d.s[d.off]
		d.off++
		v |= uint64(c&0x7f) << shift
		if c < 0x80 {
			break
		}
		shift += 7
	}
	if v > 1<<40 {
		d.fail("number out of range")
		return 0
	}
	return int(v)
}

// count reads a list length; each item takes at least one byte.
func (d *dec) count() int {
	n := d.uint()
	if n > len(d.s)-d.off {
		d.fail("list longer than the data")
		return 0
	}
	return n
}

func (d *dec) byte() byte {
	if d.err != nil || d.off >= len(d.s) {
		d.fail("truncated")
		return 0
	}
	d.off++
	return d.s[d.off-1]
}

func (d *dec) str() string {
	n := d.uint()
	if d.err != nil || n > len(d.s)-d.off {
		d.fail("truncated string")
		return ""
	}
	d.off += n
	return d.s[d.off-n : d.off]
}

// decodeCompact decodes the magic and the index; services stay compressed.
func decodeCompact(b []byte) (*Catalog, error) {
	if len(b) < len(magic) || string(b[:len(magic)]) != magic {
		return nil, fmt.Errorf("%w: bad magic", ErrCorrupt)
	}
	n, w := binary.Uvarint(b[len(magic):])
	if w <= 0 || n > uint64(len(b)-len(magic)-w) {
		return nil, fmt.Errorf("%w: bad index length", ErrCorrupt)
	}
	start := len(magic) + w
	blobs := b[start+int(n):]
	d := &dec{s: string(b[start : start+int(n)])}
	var src Source
	src.Name, src.Via, src.Version = d.str(), d.str(), d.str()
	if at := d.str(); at != "" && d.err == nil {
		t, err := time.Parse(time.RFC3339Nano, at)
		if err != nil {
			return nil, fmt.Errorf("%w: source date: %v", ErrCorrupt, err)
		}
		src.UpdatedAt = t
	}
	src.Digest = d.str()
	globals := make([]ConditionKey, d.count())
	for i := range globals {
		globals[i] = ConditionKey{Name: d.str(), Category: d.str(), Type: KeyType(d.str())}
	}
	services := make([]*Service, d.count())
	for i := range services {
		s := &Service{Prefix: d.str(), Name: d.str(), actionCount: d.uint()}
		off, clen, rawLen := d.uint(), d.uint(), d.uint()
		if d.err == nil && (off > len(blobs) || clen > len(blobs)-off) {
			d.fail("service blob outside the data")
		}
		if d.err != nil {
			return nil, d.err
		}
		s.blob = blobs[off : off+clen : off+clen]
		s.rawLen = rawLen
		services[i] = s
	}
	if d.err != nil {
		return nil, d.err
	}
	return newCatalog(src, services, globals), nil
}

// decodeService inflates and decodes one service's blob.
func decodeService(prefix string, blob []byte, rawLen int) (*serviceData, error) {
	if rawLen > 64<<20 {
		return nil, fmt.Errorf("%w: service %s too large", ErrCorrupt, prefix)
	}
	raw := make([]byte, rawLen)
	zr := flate.NewReader(bytes.NewReader(blob))
	if _, err := io.ReadFull(zr, raw); err != nil {
		return nil, fmt.Errorf("%w: service %s: %v", ErrCorrupt, prefix, err)
	}
	return decodeServiceRaw(prefix, raw)
}
