package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/gorilla/feeds"

	"github.com/iamq/iamq/internal/history"
	"github.com/iamq/iamq/internal/managed"
)

// feedType is the content type of a feed format (its file extension).
func feedType(format string) (string, bool) {
	switch format {
	case "rss":
		return "application/rss+xml; charset=utf-8", true
	case "atom":
		return "application/atom+xml; charset=utf-8", true
	case "json":
		return "application/feed+json; charset=utf-8", true
	}
	return "", false
}

// maxFeedItems bounds a feed: the newest changes, as feeds usually hold.
const maxFeedItems = 1000

// serveFeed serves a feed of every change, a service's or a policy's.
func (h *Handler) serveFeed(w http.ResponseWriter, r *http.Request) {
	format, isFeed := strings.CutPrefix(r.PathValue("file"), "feed.")
	ctype, ok := feedType(format)
	if !ok || !isFeed {
		h.notFound(w, r, "Feeds are feed.rss, feed.atom and feed.json.")
		return
	}
	q, ok := h.feedQuery(w, r)
	if !ok {
		return
	}
	h.serveCached(w, r, q, baseURL(r), func() (rendered, error) {
		f, es, err := h.feed(r)
		if err != nil {
			return rendered{}, err
		}
		base := baseURL(r)
		f.Link = &feeds.Link{Href: base + strings.TrimSuffix(r.URL.Path, r.PathValue("file"))}
		f.Updated = lastChange(es)
		for _, e := range es {
			f.Add(h.item(base, e, format))
		}
		var body string
		switch format {
		case "rss":
			body, err = f.ToRss()
		case "atom":
			body, err = f.ToAtom()
		default:
			body, err = f.ToJSON()
		}
		return rendered{body: []byte(body), ctype: ctype, modified: f.Updated}, err
	})
}

// feedQuery is the history a feed's path names; a name or service that
// does not exist is answered 404.
func (h *Handler) feedQuery(w http.ResponseWriter, r *http.Request) (history.Query, bool) {
	switch name, service := r.PathValue("name"), r.PathValue("service"); {
	case name != "":
		p, ok := h.policy(name)
		if !ok {
			h.notFound(w, r, "No AWS managed policy by that name.")
			return history.Query{}, false
		}
		return history.Query{PolicyARN: p.ARN()}, true
	case service != "":
		if _, ok := h.knownService(service); !ok {
			h.notFound(w, r, "No service by that prefix has AWS managed policies.")
			return history.Query{}, false
		}
		return h.serviceQuery(service), true
	}
	return history.Query{}, true
}

// serviceQuery selects a service's history (noService: the policies of
// no one service).
func (h *Handler) serviceQuery(service string) history.Query { return history.Query{Service: service} }

// feed returns the feed the path names, without items, and its entries.
func (h *Handler) feed(r *http.Request) (*feeds.Feed, []history.Entry, error) {
	ctx := r.Context()
	f := &feeds.Feed{Author: &feeds.Author{Name: "iamq"}}
	var es []history.Entry
	var err error
	switch name, service := r.PathValue("name"), r.PathValue("service"); {
	case name != "":
		p, _ := h.policy(name) // feedQuery found it
		f.Title, f.Id = p.Name+": changes", "urn:iamq:managed-policies:policy:"+url.PathEscape(p.ARN())
		f.Description = "Changes to the AWS managed policy " + p.Name + " (" + p.ARN() + ")."
		es, err = h.entries(ctx, "", p)
	case service != "":
		f.Title, f.Id = h.serviceName(service)+": updates to AWS managed policies", "urn:iamq:managed-policies:service:"+service
		f.Description = "Changes to the AWS managed policies of " + h.serviceName(service) + "."
		es, err = h.entries(ctx, service, nil)
	default:
		f.Title, f.Id = "AWS managed policies: every change", "urn:iamq:managed-policies"
		f.Description = "Changes to every AWS managed policy."
		es, err = h.newest(ctx, maxFeedItems)
	}
	if len(es) > maxFeedItems {
		es = es[:maxFeedItems]
	}
	return f, es, err
}

// newest returns the n newest entries of the whole history.
func (h *Handler) newest(ctx context.Context, n int) ([]history.Entry, error) {
	p, err := h.o.History.List(ctx, history.Query{MaxItems: n})
	return p.Entries, err
}

// item is one entry as a feed item. Its id is stable (the entry's id); its
// date is the change's date, and a date that is unknown is not given
// (RSS and JSON Feed allow that), except in Atom, which requires one:
// there it is when this history took the entry in, and the title says the
// change's own date is unknown.
func (h *Handler) item(base string, e history.Entry, format string) *feeds.Item {
	it := &feeds.Item{Id: itemID(e), Title: itemTitle(e),
		Description: e.Description + " (" + e.DateText() + "; source: " + e.Source + ")", Created: e.Date}
	link := base + Prefix + "services/" + serviceSegment(e.Service)
	if e.PolicyName != "" {
		link = base + Prefix + "policies/" + url.PathEscape(e.PolicyName) + "#" + anchor(e)
	}
	it.Link = &feeds.Link{Href: link}
	if format == "atom" && e.Date.IsZero() {
		it.Updated = e.Stored
	}
	return it
}

// itemID is an entry's feed item id: the same on every node and restart.
func itemID(e history.Entry) string {
	return "urn:iamq:managed-policies:change:" + url.PathEscape(e.ID)
}

// itemTitle is "AmazonMQFullAccess v5: Added permissions (2020-11-04)".
func itemTitle(e history.Entry) string {
	who := e.PolicyName
	if who == "" {
		who = e.Service
	}
	if v := e.VersionText(); v != "" {
		who += " " + v
	}
	return fmt.Sprintf("%s: %s (%s)", who, e.Kind, e.DateText())
}

// anchor is the id of an entry's row on its policy's page.
func anchor(e history.Entry) string { return strings.ReplaceAll(e.VersionText(), "–", "-") }

func serviceSegment(s string) string {
	if s == "" {
		return noService
	}
	return s
}

// baseURL is the scheme and host the request came to.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// knownService reports whether prefix has policies (noService included).
func (h *Handler) knownService(prefix string) ([]*managed.Policy, bool) {
	svcs, err := h.index()
	if err != nil {
		return nil, false
	}
	ps, ok := svcs[prefix]
	return ps, ok
}
