package server

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"sync/atomic"
)

// newRequestIDs returns a generator of request ids shaped like AWS's (UUIDs):
// a random 64-bit prefix per process and a counter, unique without a system
// call per request.
func newRequestIDs() func() string {
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
