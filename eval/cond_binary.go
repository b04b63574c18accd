package eval

import (
	"bytes"
	"encoding/base64"
)

// matchBinary is BinaryEquals: the request's bytes (a Binary value, or a
// String holding base64) equal the policy's base64-decoded value. IAM User
// Guide: "IAM JSON policy elements: Condition operators", section "Binary
// condition operators".
func matchBinary(pv *condValue, v *Value) bool {
	switch v.kind {
	case kindBinary:
		return bytes.Equal(v.b, pv.bin)
	case kindString:
		var buf [96]byte
		if base64.StdEncoding.DecodedLen(len(v.s)) > len(buf) {
			b, err := base64.StdEncoding.DecodeString(v.s)
			return err == nil && bytes.Equal(b, pv.bin)
		}
		n, err := base64.StdEncoding.Decode(buf[:], []byte(v.s))
		return err == nil && bytes.Equal(buf[:n], pv.bin)
	}
	return false
}
