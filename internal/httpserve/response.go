package httpserve

import (
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// response is the [http.ResponseWriter] of one request. The body is buffered
// and written, with the headers, when the handler returns.
type response struct {
	c           *conn
	req         *http.Request
	header      http.Header
	status      int
	wroteHeader bool
}

func (w *response) Header() http.Header { return w.header }

// WriteHeader records the status; informational (1xx) ones are not sent.
func (w *response) WriteHeader(status int) {
	if w.wroteHeader || status < 200 {
		if status < 100 || status > 999 {
			panic("httpserve: invalid WriteHeader code " + strconv.Itoa(status))
		}
		return
	}
	w.status, w.wroteHeader = status, true
}

func (w *response) Write(p []byte) (int, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if !bodyAllowed(w.status) {
		return 0, http.ErrBodyNotAllowed
	}
	return w.c.out.Write(p)
}

// WriteString lets io.WriteString skip a copy.
func (w *response) WriteString(s string) (int, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if !bodyAllowed(w.status) {
		return 0, http.ErrBodyNotAllowed
	}
	return w.c.out.WriteString(s)
}

// finish writes the status line, the headers and the body in one write.
// Like net/http it adds Date, Content-Length and, for a body without one, a
// sniffed Content-Type; a HEAD answer keeps its headers and drops its body.
func (w *response) finish(keep bool) error {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	h, body := w.header, w.c.out.Bytes()
	if _, ok := h["Date"]; !ok {
		h["Date"] = dates.now()
	}
	if bodyAllowed(w.status) {
		if _, ok := h["Content-Type"]; !ok && len(body) > 0 {
			h["Content-Type"] = []string{http.DetectContentType(body)}
		}
		// The length is the body's, whatever the handler said, except that
		// a HEAD answer may state the length of the GET it stands for.
		if v := h["Content-Length"]; len(v) != 1 || (w.req.Method != http.MethodHead && !isLength(v[0], len(body))) {
			h["Content-Length"] = []string{strconv.Itoa(len(body))}
		}
	}
	switch {
	case !keep:
		h["Connection"] = connectionClose
	case !w.req.ProtoAtLeast(1, 1):
		h["Connection"] = connectionKeepAlive // HTTP/1.0 closes unless told
	}
	delete(h, "Transfer-Encoding") // the body is always sent whole
	bw := w.c.writer()
	bw.WriteString(statusLine(w.req.ProtoAtLeast(1, 1), w.status))
	if err := h.Write(bw); err != nil {
		return err
	}
	bw.WriteString("\r\n")
	if w.req.Method != http.MethodHead {
		bw.Write(body)
	}
	return bw.Flush()
}

// isLength reports whether s is the decimal n.
func isLength(s string, n int) bool {
	m, err := strconv.Atoi(s)
	return err == nil && m == n && s[0] != '+'
}

var (
	connectionClose     = []string{"close"}
	connectionKeepAlive = []string{"keep-alive"}
)

// wantsClose reports whether the handler set "Connection: close".
func wantsClose(h http.Header) bool {
	for _, v := range h["Connection"] {
		if strings.EqualFold(strings.TrimSpace(v), "close") {
			return true
		}
	}
	return false
}

// bodyAllowed reports whether a status may carry a body (RFC 9110 §6.4.1).
func bodyAllowed(status int) bool {
	return status >= 200 && status != http.StatusNoContent && status != http.StatusNotModified
}

// statusLines holds the status lines of the common statuses, built once.
var statusLines = func() map[int]string {
	m := make(map[int]string)
	for code := 200; code < 600; code++ {
		if text := http.StatusText(code); text != "" {
			m[code] = "HTTP/1.1 " + strconv.Itoa(code) + " " + text + "\r\n"
		}
	}
	return m
}()

func statusLine(http11 bool, status int) string {
	line, ok := statusLines[status]
	if !ok {
		line = "HTTP/1.1 " + strconv.Itoa(status) + " status code " + strconv.Itoa(status) + "\r\n"
	}
	if !http11 {
		line = "HTTP/1.0" + line[len("HTTP/1.1"):]
	}
	return line
}

// dates formats the Date header once a second rather than per response.
var dates dateHeader

type dateHeader struct{ cur atomic.Pointer[dateValue] }

type dateValue struct {
	unix int64
	hdr  []string // shared between responses: header values are only read
}

func (d *dateHeader) now() []string {
	t := time.Now()
	if v := d.cur.Load(); v != nil && v.unix == t.Unix() {
		return v.hdr
	}
	v := &dateValue{unix: t.Unix(), hdr: []string{t.UTC().Format(http.TimeFormat)}}
	d.cur.Store(v)
	return v.hdr
}
