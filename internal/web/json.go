package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/iamq/iamq/internal/history"
)

// historyPage is the JSON history's answer.
type historyPage struct {
	Entries     []history.Entry `json:"entries"`
	IsTruncated bool            `json:"isTruncated"`
	Marker      string          `json:"marker,omitempty"`
}

// Bounds of the JSON endpoint's query, checked before anything is read.
const (
	maxQuery  = 4096
	maxMarker = 1024
	maxName   = 128
)

// historyQuery reads the JSON endpoint's parameters: service, policy (a
// name or an ARN), marker, maxItems (1–1000) and diff (true: each entry's
// full diff).
func (h *Handler) historyQuery(r *http.Request) (history.Query, error) {
	if len(r.URL.RawQuery) > maxQuery {
		return history.Query{}, errors.New("the query string is too long")
	}
	v, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return history.Query{}, fmt.Errorf("the query string is malformed: %v", err)
	}
	for k, vs := range v {
		switch k {
		case "service", "policy", "marker", "maxItems", "diff":
		default:
			return history.Query{}, fmt.Errorf("unknown parameter %q: the parameters are service, policy, marker, maxItems and diff", k)
		}
		if len(vs) > 1 {
			return history.Query{}, fmt.Errorf("parameter %q given %d times", k, len(vs))
		}
	}
	q := history.Query{Service: v.Get("service"), Marker: v.Get("marker")}
	if len(q.Service) > maxName || len(q.Marker) > maxMarker {
		return history.Query{}, errors.New("service or marker too long")
	}
	if name := v.Get("policy"); name != "" {
		p, ok := h.policy(name)
		if !ok {
			if p, ok = h.o.Policies.Lookup(name); !ok {
				return history.Query{}, fmt.Errorf("no AWS managed policy %.128q", name)
			}
		}
		q.PolicyARN = p.ARN()
	}
	if s := v.Get("maxItems"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 1000 {
			return history.Query{}, errors.New("maxItems must be a number from 1 to 1000")
		}
		q.MaxItems = n
	}
	switch v.Get("diff") {
	case "", "false":
	case "true":
		q.WithDiff = true
	default:
		return history.Query{}, errors.New("diff must be true or false")
	}
	return q, nil
}

// serveJSON serves GET /managed-policies/history.
func (h *Handler) serveJSON(w http.ResponseWriter, r *http.Request) {
	q, err := h.historyQuery(r)
	if err != nil {
		jsonError(w, http.StatusBadRequest, "ValidationException", err.Error())
		return
	}
	p, err := h.o.History.List(r.Context(), q)
	if errors.Is(err, history.ErrInvalid) {
		jsonError(w, http.StatusBadRequest, "ValidationException", "Invalid marker or maxItems.")
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := historyPage{Entries: p.Entries, IsTruncated: p.Marker != "", Marker: p.Marker}
	if out.Entries == nil {
		out.Entries = []history.Entry{}
	}
	body, err := json.Marshal(out)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	serveConditional(w, r, "application/json", body, lastChange(p.Entries))
}

// jsonError answers in the REST-JSON error shape.
func jsonError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-Errortype", code)
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"message": msg})
}
