package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"time"

	"github.com/iamq/iamq/internal/history"
)

// serveConditional serves body with a strong ETag (its SHA-256) and
// Last-Modified, answering 304 to a conditional GET that names them
// (http.ServeContent: If-None-Match first, then If-Modified-Since).
func serveConditional(w http.ResponseWriter, r *http.Request, contentType string, body []byte, modified time.Time) {
	serveTagged(w, r, contentType, body, etag(body), modified)
}

// etag is a body's strong entity tag.
func etag(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + hex.EncodeToString(sum[:16]) + `"`
}

// serveTagged is serveConditional with the ETag computed already.
func serveTagged(w http.ResponseWriter, r *http.Request, contentType string, body []byte, tag string, modified time.Time) {
	w.Header().Set("ETag", tag)
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Cache-Control", "public, max-age=60")
	http.ServeContent(w, r, "", modified, bytes.NewReader(body))
}

// lastChange is when the newest of the entries was made or stored: the
// last time anything they show changed.
func lastChange(es []history.Entry) time.Time {
	var t time.Time
	for _, e := range es {
		for _, u := range []time.Time{e.Stored, e.Date} {
			if u.After(t) {
				t = u
			}
		}
	}
	return t
}
