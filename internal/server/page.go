package server

import (
	"net/http"
	"strings"
)

// Page serves h for GET (and HEAD) requests whose path starts with prefix,
// unsigned and unauthorized: for public pages and feeds, such as the
// change history of AWS managed policies under "/managed-policies/". prefix
// must begin and end with "/" and must not be "/" (which stays the Query
// endpoint); other methods under it get the REST-JSON not-found answer.
// Register pages before serving.
func (s *Server) Page(prefix string, h http.Handler) {
	if prefix == "/" || !strings.HasPrefix(prefix, "/") || !strings.HasSuffix(prefix, "/") || strings.ContainsAny(prefix, "{} ") {
		panic("server: page prefix " + prefix + " must be a path below / ending in /")
	}
	s.mux.Handle("GET "+prefix, h)
}
