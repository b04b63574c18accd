package web

import (
	"bytes"
	"net/http"
	"time"

	"github.com/iamq/iamq/internal/history"
)

// rendered is a page or feed made once and served again until the history
// it shows grows.
type rendered struct {
	body     []byte
	ctype    string
	modified time.Time
	etag     string // filled in when cached
}

// serveCached serves what make renders for the history q selects, made
// again only when the newest entry q selects is another (entries are never
// changed, only appended) or variant (what else the page shows, such as a
// policy's default version) differs. It answers conditional GETs.
func (h *Handler) serveCached(w http.ResponseWriter, r *http.Request, q history.Query, variant string, make func() (rendered, error)) {
	q.MaxItems, q.Marker, q.WithDiff = 1, "", false
	top, err := h.o.History.List(r.Context(), q)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	stamp := ""
	if len(top.Entries) > 0 {
		stamp = top.Entries[0].ID + "@" + top.Entries[0].Stored.String()
	}
	v, err := h.pages.get(r.URL.Path+"?"+r.URL.RawQuery+"\x00"+variant+"\x00"+stamp+"\x00"+h.catalogKey(), func() (any, error) {
		p, err := make()
		p.etag = etag(p.body)
		return p, err
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := v.(rendered)
	serveTagged(w, r, p.ctype, p.body, p.etag, p.modified)
}

// page renders a template to bytes.
func (h *Handler) page(name string, data any) ([]byte, error) {
	var b bytes.Buffer
	err := h.tmpl.ExecuteTemplate(&b, name, data)
	return b.Bytes(), err
}

const htmlType = "text/html; charset=utf-8"
