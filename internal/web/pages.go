package web

import (
	"fmt"
	"html"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/iamq/iamq/internal/catalog"
	"github.com/iamq/iamq/internal/history"
	"github.com/iamq/iamq/internal/managed"
)

// serviceRow is a line of the index.
type serviceRow struct {
	Segment, Prefix, Name string
	Policies              int
}

// serveIndex lists the services that have AWS managed policies.
func (h *Handler) serveIndex(w http.ResponseWriter, r *http.Request) {
	svcs, err := h.index()
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var rows []serviceRow
	for s, ps := range svcs {
		rows = append(rows, serviceRow{Segment: s, Prefix: s, Name: h.serviceName(s), Policies: len(ps)})
	}
	sort.Slice(rows, func(i, j int) bool {
		if (rows[i].Segment == noService) != (rows[j].Segment == noService) {
			return rows[j].Segment == noService
		}
		return strings.ToLower(rows[i].Name) < strings.ToLower(rows[j].Name)
	})
	h.render(w, r, "index.html", map[string]any{"Title": "AWS managed policies", "Services": rows, "Feed": Prefix + "feed"})
}

// serveService shows a service's policies and its change table.
func (h *Handler) serveService(w http.ResponseWriter, r *http.Request) {
	s := r.PathValue("service")
	ps, ok := h.knownService(s)
	if !ok {
		h.notFound(w, r, "No service by that prefix has AWS managed policies.")
		return
	}
	h.serveCached(w, r, h.serviceQuery(s), "", func() (rendered, error) {
		es, err := h.entries(r.Context(), s, nil)
		if err != nil {
			return rendered{}, err
		}
		name := h.serviceName(s)
		body, err := h.page("service.html", map[string]any{"Title": name + ": AWS managed policies", "Name": name, "Prefix": s,
			"Policies": ps, "Entries": es, "Feed": Prefix + "services/" + s + "/feed"})
		return rendered{body: body, ctype: htmlType, modified: lastChange(es)}, err
	})
}

// servePolicy shows a policy: metadata, chart, versions, a diff form and
// its current document.
func (h *Handler) servePolicy(w http.ResponseWriter, r *http.Request) {
	p, ok := h.policy(r.PathValue("name"))
	if !ok {
		h.notFound(w, r, "No AWS managed policy by that name.")
		return
	}
	h.serveCached(w, r, history.Query{PolicyARN: p.ARN()}, p.DefaultVersion, func() (rendered, error) {
		es, err := h.entries(r.Context(), "", p)
		if err != nil {
			return rendered{}, err
		}
		doc, err := h.document(p, p.DefaultVersion)
		if err != nil {
			return rendered{}, err
		}
		rows := versionRows(p.Name, es)
		svc := h.serviceOf(p)
		body, err := h.page("policy.html", map[string]any{"Title": p.Name, "P": p, "ARN": p.ARN(), "Service": svc,
			"ServiceName": h.serviceName(svc), "Rows": rows, "Versions": recovered(p), "Doc": doc,
			"Chart": template.HTML(chart(p.Name+": actions granted by each version", es)), // chart escapes its text
			"Feed":  Prefix + "policies/" + p.Name + "/feed", "Gaps": p.VersionCount - len(p.Versions)})
		return rendered{body: body, ctype: htmlType, modified: lastChange(es)}, err
	})
}

// recovered lists the versions whose documents are known, newest first.
func recovered(p *managed.Policy) []string {
	out := make([]string, 0, len(p.Versions))
	for i := len(p.Versions) - 1; i >= 0; i-- {
		out = append(out, p.Versions[i].ID)
	}
	return out
}

// document is a version's annotated document as HTML, made once.
func (h *Handler) document(p *managed.Policy, version string) (template.HTML, error) {
	v, err := h.cache.get("doc\x00"+p.ARN()+"\x00"+version+"\x00"+h.catalogKey(), func() (any, error) {
		text, err := h.o.Policies.Document(p, version)
		if err != nil {
			return nil, err
		}
		lines, err := annotate(h.catalog(), text)
		if err != nil {
			return nil, err
		}
		return documentHTML(lines), nil
	})
	if err != nil {
		return "", err
	}
	return v.(template.HTML), nil
}

// serveDiff shows the change between two versions of a policy (from and
// to; by default the version before the default and the default).
func (h *Handler) serveDiff(w http.ResponseWriter, r *http.Request) {
	p, ok := h.policy(r.PathValue("name"))
	if !ok {
		h.notFound(w, r, "No AWS managed policy by that name.")
		return
	}
	vs := recovered(p)
	from, to := r.URL.Query().Get("from"), r.URL.Query().Get("to")
	if to == "" && len(vs) > 0 {
		to = vs[0]
	}
	if from == "" && len(vs) > 1 {
		from = vs[1]
	}
	_, okFrom := p.Version(from)
	_, okTo := p.Version(to)
	if !okFrom || !okTo {
		w.WriteHeader(http.StatusBadRequest)
		h.render(w, r, "notfound.html", fmt.Sprintf("%s has no recovered version %.16q or %.16q: the recovered versions are %s.",
			p.Name, from, to, strings.Join(vs, ", ")))
		return
	}
	ch, err := h.diff(p, from, to)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, "diff.html", map[string]any{"Title": fmt.Sprintf("%s: %s → %s", p.Name, from, to), "P": p,
		"From": from, "To": to, "Change": ch, "Versions": vs, "Added": actionList(ch.Added), "Removed": actionList(ch.Removed)})
}

// diff compares two versions, once.
func (h *Handler) diff(p *managed.Policy, from, to string) (Change, error) {
	v, err := h.cache.get("diff\x00"+p.ARN()+"\x00"+from+"\x00"+to+"\x00"+h.catalogKey(), func() (any, error) {
		a, err := h.o.Policies.Document(p, from)
		if err != nil {
			return nil, err
		}
		b, err := h.o.Policies.Document(p, to)
		if err != nil {
			return nil, err
		}
		select {
		case h.diffing <- struct{}{}:
			defer func() { <-h.diffing }()
		case <-time.After(h.diffWait):
			return nil, errBusy
		}
		return h.differ().Diff(a, b)
	})
	if err != nil {
		return Change{}, err
	}
	return v.(Change), nil
}

// serveChart serves a policy's chart alone, as an SVG image.
func (h *Handler) serveChart(w http.ResponseWriter, r *http.Request) {
	p, ok := h.policy(r.PathValue("name"))
	if !ok {
		h.notFound(w, r, "No AWS managed policy by that name.")
		return
	}
	h.serveCached(w, r, history.Query{PolicyARN: p.ARN()}, "", func() (rendered, error) {
		es, err := h.entries(r.Context(), "", p)
		if err != nil {
			return rendered{}, err
		}
		return rendered{body: []byte(chart(p.Name+": actions granted by each version", es)), ctype: "image/svg+xml", modified: lastChange(es)}, nil
	})
}

// actionRow is an action of the catalog.
type actionRow struct {
	Name, Level, Description string
	ResourceTypes            []string
}

// maxPattern bounds an action pattern.
const maxPattern = 256

// serveActions shows the catalog's actions a pattern ("mq:CreateBroker",
// "ec2:Describe*") names, with their access levels.
func (h *Handler) serveActions(w http.ResponseWriter, r *http.Request) {
	pattern := r.PathValue("pattern")
	if len(pattern) > maxPattern || !strings.Contains(pattern, ":") {
		h.notFound(w, r, "An action is service:Name, such as mq:CreateBroker or ec2:Describe*.")
		return
	}
	cat := h.catalog()
	var rows []actionRow
	for _, a := range cat.Expand(pattern) {
		rows = append(rows, actionRow{Name: a.String(), Level: a.AccessLevel(), Description: a.Description, ResourceTypes: resourceTypes(a)})
	}
	h.render(w, r, "actions.html", map[string]any{"Title": pattern, "Pattern": pattern, "Actions": rows,
		"Source": cat.Source().Name})
}

func resourceTypes(a *catalog.Action) []string {
	var out []string
	for _, rt := range a.ResourceTypes {
		name := rt.Type.Name
		if rt.Required {
			name += "*"
		}
		out = append(out, name)
	}
	return out
}

// versionRows renders a policy's versions table, newest first: one row per
// entry, a gap shaded, a breaking change flagged, a link to the diff with
// the version compared against. Written directly rather than through a
// template: ReadOnlyAccess has 154 rows.
func versionRows(policy string, es []history.Entry) template.HTML {
	if len(es) == 0 {
		return `<tr><td colspan="5">No change recorded yet (the history may still be loading).</td></tr>`
	}
	var b strings.Builder
	esc := html.EscapeString
	for _, e := range es {
		class := ""
		switch {
		case e.Kind == history.Gap:
			class = "gap"
		case e.Kind.Breaking():
			class = "breaking"
		}
		b.WriteString(`<tr id="` + esc(anchor(e)) + `" class="` + class + `" data-version="` + esc(e.VersionText()) + `"><td>` + esc(e.VersionText()) + "</td><td>" + esc(string(e.Kind)))
		if e.Kind.Breaking() {
			b.WriteString(` <span class="flag">breaking</span>`)
		}
		b.WriteString("<br><small>" + esc(e.Description) + "</small></td><td>")
		if e.DateKnown() {
			b.WriteString(esc(e.DateText()))
		} else {
			b.WriteString(`<span class="unknown">` + esc(e.DateText()) + "</span>")
		}
		b.WriteString("</td><td>")
		if e.Counted {
			b.WriteString(strconv.Itoa(e.Actions))
		}
		b.WriteString("</td><td>")
		if e.Since != "" {
			q := url.Values{"from": {e.Since}, "to": {e.Version}}
			b.WriteString(`<a class="diff" href="` + Prefix + "policies/" + url.PathEscape(policy) + "/diff?" + esc(q.Encode()) + `">diff ` +
				esc(e.Since) + " → " + esc(e.Version) + "</a>")
		}
		b.WriteString("</td></tr>")
	}
	return template.HTML(b.String()) // every piece escaped above
}
