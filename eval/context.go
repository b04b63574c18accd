package eval

import (
	"encoding/base64"

	"github.com/iamq/iamq/arn"
)

// Context holds a request's condition keys, each with zero or more typed
// values (IAM User Guide: "Single-valued vs. multivalued context keys"). Keys
// compare case-insensitively (ASCII). The zero value is an empty context;
// Reset empties it and keeps its memory, so one Context can serve request
// after request without allocating.
type Context struct {
	keys []contextKey
	vals []Value
	// buckets chain the first maxIndexed keys by hash (1-based indexes into
	// keys; 0 ends a chain), so a lookup compares about one key.
	buckets [contextBuckets]uint8
}

type contextKey struct {
	name       string
	hash       uint32
	start, end int
	next       uint8
}

const (
	contextBuckets = 32
	maxIndexed     = 255
)

// Reset removes every key, keeping the memory for reuse.
func (c *Context) Reset() {
	c.keys = c.keys[:0]
	c.vals = c.vals[:0]
	c.buckets = [contextBuckets]uint8{}
}

// Add adds values to key, creating the key if needed; adding to an existing
// key (in any case) appends to its values. Adding no values creates a key
// with an empty set of values, which conditions treat as an absent key.
func (c *Context) Add(key string, values ...Value) {
	h := foldHash(key)
	if i := c.find(key, h); i >= 0 {
		k := &c.keys[i]
		if i != len(c.keys)-1 || k.end != len(c.vals) {
			// Move the key's values to the end, so that they stay contiguous.
			start := len(c.vals)
			c.vals = append(c.vals, c.vals[k.start:k.end]...)
			k.start, k.end = start, len(c.vals)
		}
		c.vals = append(c.vals, values...)
		k.end = len(c.vals)
		return
	}
	start := len(c.vals)
	c.vals = append(c.vals, values...)
	k := contextKey{name: key, hash: h, start: start, end: len(c.vals)}
	if len(c.keys) < maxIndexed {
		b := &c.buckets[h%contextBuckets]
		k.next, *b = *b, uint8(len(c.keys)+1)
	}
	c.keys = append(c.keys, k)
}

// Lookup returns the values of key and whether the key is present.
func (c *Context) Lookup(key string) ([]Value, bool) {
	return c.lookupHash(key, foldHash(key))
}

func (c *Context) lookupHash(key string, h uint32) ([]Value, bool) {
	if c == nil {
		return nil, false
	}
	if i := c.find(key, h); i >= 0 {
		k := &c.keys[i]
		return c.vals[k.start:k.end], true
	}
	return nil, false
}

// find returns the index of key (with hash h) in c.keys, or -1.
func (c *Context) find(key string, h uint32) int {
	for i := c.buckets[h%contextBuckets]; i != 0; {
		k := &c.keys[i-1]
		if k.hash == h && equalFoldASCII(k.name, key) {
			return int(i - 1)
		}
		i = k.next
	}
	for i := maxIndexed; i < len(c.keys); i++ {
		if k := &c.keys[i]; k.hash == h && equalFoldASCII(k.name, key) {
			return i
		}
	}
	return -1
}

// Keys returns the keys, in the order they were added.
func (c *Context) Keys() []string {
	if c == nil {
		return nil
	}
	out := make([]string, len(c.keys))
	for i, k := range c.keys {
		out[i] = k.name
	}
	return out
}

// foldHash is FNV-1a over the ASCII-lowercased key.
func foldHash(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(lowerASCII(s[i]))
		h *= 16777619
	}
	return h
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	if a == b {
		return true // the common case: the policy and the request agree on case
	}
	for i := 0; i < len(a); i++ {
		if a[i] != b[i] && lowerASCII(a[i]) != lowerASCII(b[i]) {
			return false
		}
	}
	return true
}

func hasPrefixFoldASCII(s, prefix string) bool {
	return len(s) >= len(prefix) && equalFoldASCII(s[:len(prefix)], prefix)
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// The condition keys that Evaluate derives from the Request when the Context
// does not carry them (IAM User Guide: "AWS global condition context keys").
const (
	keyPrincipalArn     = "aws:PrincipalArn"
	keyPrincipalAccount = "aws:PrincipalAccount"
	keyPrincipalType    = "aws:PrincipalType"
	keyUsername         = "aws:username"
	keyUserID           = "aws:userid"
	keyPrincipalTag     = "aws:PrincipalTag/"
	keyResourceAccount  = "aws:ResourceAccount"
	keyServiceName      = "aws:PrincipalServiceName"
)

var principalTypes = [...]string{
	PrincipalUser: "User", PrincipalRoot: "Account", PrincipalRoleSession: "AssumedRole",
	PrincipalFederatedUser: "FederatedUser", PrincipalService: "", PrincipalWebIdentity: "",
}

// keyRef is a condition key compiled once: its hash for the Context, and
// which request field supplies it when the Context lacks it.
type keyRef struct {
	name    string
	hash    uint32
	derived derivedID
	tag     string // the tag key of aws:PrincipalTag/KEY
}

// derivedID names a global condition key that Evaluate derives from the
// request (IAM User Guide: "AWS global condition context keys").
type derivedID uint8

const (
	derivedNone derivedID = iota
	derivedPrincipalArn
	derivedPrincipalAccount
	derivedPrincipalType
	derivedUsername
	derivedUserID
	derivedResourceAccount
	derivedServiceName
	derivedPrincipalTag
)

func newKeyRef(name string) keyRef {
	k := keyRef{name: name, hash: foldHash(name)}
	for id, key := range map[derivedID]string{
		derivedPrincipalArn: keyPrincipalArn, derivedPrincipalAccount: keyPrincipalAccount,
		derivedPrincipalType: keyPrincipalType, derivedUsername: keyUsername, derivedUserID: keyUserID,
		derivedResourceAccount: keyResourceAccount, derivedServiceName: keyServiceName,
	} {
		if equalFoldASCII(name, key) {
			k.derived = id
		}
	}
	if hasPrefixFoldASCII(name, keyPrincipalTag) {
		k.derived, k.tag = derivedPrincipalTag, name[len(keyPrincipalTag):]
	}
	return k
}

// lookup returns the values of key: the Context's values if it has the key
// (vals), else the value derived from the request (derived). ok reports
// whether there is at least one value.
func lookup(r *Request, k *keyRef) (vals []Value, derived string, ok bool) {
	if vals, ok := r.Context.lookupHash(k.name, k.hash); ok {
		return vals, "", len(vals) > 0
	}
	if k.derived == derivedNone {
		return nil, "", false
	}
	s, ok := derivedKey(r, k)
	return nil, s, ok
}

// derivedKey returns the value of a global condition key that the request's
// principal or resource account determines.
func derivedKey(r *Request, k *keyRef) (string, bool) {
	p := &r.Principal
	service := p.Kind == PrincipalService || p.Kind == PrincipalWebIdentity
	switch k.derived {
	case derivedPrincipalArn:
		if service {
			return "", false
		}
		if p.Kind == PrincipalRoleSession && p.IdentityARN != "" {
			return p.IdentityARN, true
		}
		return p.ARN, p.ARN != ""
	case derivedPrincipalAccount:
		return p.Account, p.Account != "" && !service
	case derivedPrincipalType:
		if int(p.Kind) < len(principalTypes) {
			t := principalTypes[p.Kind]
			return t, t != ""
		}
	case derivedUsername:
		if p.Kind == PrincipalUser {
			name := arn.FriendlyName(p.ARN)
			return name, name != ""
		}
	case derivedUserID:
		return p.UserID, p.UserID != ""
	case derivedResourceAccount:
		return r.ResourceAccount, r.ResourceAccount != ""
	case derivedServiceName:
		return p.ARN, p.ARN != "" && p.Kind == PrincipalService
	case derivedPrincipalTag:
		for _, t := range p.Tags {
			if equalFoldASCII(t.Key, k.tag) {
				return t.Value, true
			}
		}
	}
	return "", false
}
