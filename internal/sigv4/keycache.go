package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"sync"
)

// maxCachedKeys bounds the signing-key cache; when full it starts over, which
// costs four HMACs per key on the next request, nothing more.
const maxCachedKeys = 4096

// keyCache holds derived signing keys per secret, day, region and service
// (a derived key is valid for one day, so a day's worth is all it needs).
type keyCache struct {
	mu   sync.RWMutex
	keys map[cacheKey][sha256.Size]byte
}

type cacheKey struct {
	secret, date, region, service string
}

// signingKey returns HMAC chain "AWS4"+secret → date → region → service →
// "aws4_request", from the cache when it can.
func (c *keyCache) signingKey(secret string, s Scope) [sha256.Size]byte {
	k := cacheKey{secret, s.Date, s.Region, s.Service}
	c.mu.RLock()
	key, ok := c.keys[k]
	c.mu.RUnlock()
	if ok {
		return key
	}
	key = deriveKey(secret, s)
	c.mu.Lock()
	if c.keys == nil || len(c.keys) >= maxCachedKeys {
		c.keys = make(map[cacheKey][sha256.Size]byte)
	}
	c.keys[k] = key
	c.mu.Unlock()
	return key
}

func deriveKey(secret string, s Scope) [sha256.Size]byte {
	k := hmacSum([]byte("AWS4"+secret), s.Date)
	k = hmacSum(k, s.Region)
	k = hmacSum(k, s.Service)
	k = hmacSum(k, "aws4_request")
	return [sha256.Size]byte(k)
}

func hmacSum(key []byte, data string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(data))
	return h.Sum(nil)
}
