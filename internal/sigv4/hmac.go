package sigv4

import "crypto/sha256"

// hmacBlock is SHA-256's block size, the width of HMAC's padded key.
const hmacBlock = 64

// appendHMACPrefix appends key XOR ipad, the first block of an HMAC-SHA256
// inner hash (RFC 2104); the message is appended after it and the whole passed
// to [hmacFinish]. key is at most one block long, as every SigV4 key is.
func appendHMACPrefix(b []byte, key []byte) []byte {
	var pad [hmacBlock]byte
	copy(pad[:], key)
	for i := range pad {
		pad[i] ^= 0x36
	}
	return append(b, pad[:]...)
}

// hmacFinish returns HMAC-SHA256(key, msg) given inner = (key XOR ipad) || msg.
// Unlike crypto/hmac it allocates nothing, which matters on a path taken by
// every request; verifier tests check it against crypto/hmac.
func hmacFinish(key []byte, inner []byte) [sha256.Size]byte {
	sum := sha256.Sum256(inner)
	var outer [hmacBlock + sha256.Size]byte
	copy(outer[:], key)
	for i := range hmacBlock {
		outer[i] ^= 0x5c
	}
	copy(outer[hmacBlock:], sum[:])
	return sha256.Sum256(outer[:])
}

// equalConstantTime reports whether a and b are equal, taking a time that
// depends on their lengths only.
func equalConstantTime(a []byte, b string) bool {
	if len(a) != len(b) {
		return false
	}
	var v byte
	for i := range a {
		v |= a[i] ^ b[i]
	}
	return v == 0
}
