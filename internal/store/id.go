package store

import (
	"crypto/rand"
	"fmt"
)

// IDPrefix is the prefix of an AWS-like unique id; it says what the id names.
type IDPrefix string

// The id prefixes IAM uses.
const (
	PrefixUser            IDPrefix = "AIDA"
	PrefixGroup           IDPrefix = "AGPA"
	PrefixRole            IDPrefix = "AROA"
	PrefixPolicy          IDPrefix = "ANPA"
	PrefixInstanceProfile IDPrefix = "AIPA"
	PrefixAccessKey       IDPrefix = "AKIA" // long-term access key
	PrefixTemporaryKey    IDPrefix = "ASIA" // temporary access key
)

// idAlphabet is what follows the prefix in IAM ids: upper-case letters and
// the digits 2–7 (base32 without padding), 32 symbols so that a byte maps
// without bias.
const idAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

// secretAlphabet is the alphabet of secret access keys (base64 letters).
const secretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

// NewID returns a random id: the prefix and then 17 characters for entities
// (21 in all) or 16 for access keys (20 in all), from crypto/rand.
func NewID(p IDPrefix) string {
	n := 17
	if p == PrefixAccessKey || p == PrefixTemporaryKey {
		n = 16
	}
	return string(p) + randomString(idAlphabet, n)
}

// NewSecret returns a random 40-character secret access key.
func NewSecret() string { return randomString(secretAlphabet, 40) }

// randomString draws n symbols of alphabet, whose length divides 256.
func randomString(alphabet string, n int) string {
	if 256%len(alphabet) != 0 {
		panic(fmt.Sprintf("store: alphabet of %d symbols is biased", len(alphabet)))
	}
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
