package web

import (
	"bytes"
	"encoding/json"
	"html"
	"html/template"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/iamq/iamq/internal/catalog"
)

// docLine is one line of a pretty-printed document: text, and at most one
// action string, linked to the catalog with its access level.
type docLine struct {
	Before, Action, After string
	Level                 string
}

// annotate pretty-prints a document and marks the strings of its Action and
// NotAction elements.
func annotate(cat *catalog.Catalog, document string) ([]docLine, error) {
	var b bytes.Buffer
	if err := json.Indent(&b, []byte(document), "", "  "); err != nil {
		return nil, err
	}
	levels := map[string]string{}
	var out []docLine
	inList := false
	for _, line := range strings.Split(b.String(), "\n") {
		t := strings.TrimSpace(line)
		isKey := strings.HasPrefix(t, `"Action":`) || strings.HasPrefix(t, `"NotAction":`)
		switch {
		case isKey && strings.HasSuffix(t, "["):
			inList = true
			out = append(out, docLine{Before: line})
			continue
		case inList && strings.HasPrefix(t, "]"):
			inList = false
		case inList || isKey:
			if l, ok := actionLine(line); ok {
				if _, seen := levels[l.Action]; !seen {
					levels[l.Action] = levelOf(cat, l.Action)
				}
				l.Level = levels[l.Action]
				out = append(out, l)
				continue
			}
		}
		out = append(out, docLine{Before: line})
	}
	return out, nil
}

// actionLine splits a line around its last JSON string.
func actionLine(line string) (docLine, bool) {
	end := strings.LastIndexByte(line, '"')
	if end <= 0 {
		return docLine{}, false
	}
	start := strings.LastIndexByte(line[:end], '"')
	for start > 0 && line[start-1] == '\\' { // an escaped quote inside the string
		start = strings.LastIndexByte(line[:start-1], '"')
	}
	if start < 0 {
		return docLine{}, false
	}
	s, err := strconv.Unquote(line[start : end+1])
	if err != nil {
		return docLine{}, false
	}
	return docLine{Before: line[:start+1], Action: s, After: line[end:]}, true
}

// levelOf is an action's access level, or for a pattern the levels of the
// actions it names and how many there are.
func levelOf(cat *catalog.Catalog, pattern string) string {
	if !strings.ContainsAny(pattern, "*?") {
		if a, ok := cat.Action(pattern); ok {
			return a.AccessLevel()
		}
		return "not in the catalog"
	}
	actions := cat.Expand(pattern)
	if len(actions) == 0 {
		return "matches no action in the catalog"
	}
	seen := map[string]bool{}
	for _, a := range actions {
		for _, l := range strings.Split(a.AccessLevel(), ", ") {
			seen[l] = true
		}
	}
	levels := make([]string, 0, len(seen))
	for l := range seen {
		levels = append(levels, l)
	}
	sort.Strings(levels)
	n := "1 action"
	if len(actions) != 1 {
		n = strconv.Itoa(len(actions)) + " actions"
	}
	return strings.Join(levels, ", ") + " (" + n + ")"
}

// documentHTML renders annotated lines: each action a link to its catalog
// page, its access level beside it. Written directly rather than through a
// template: a large document has thousands of lines.
func documentHTML(lines []docLine) template.HTML {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(html.EscapeString(l.Before))
		if l.Action != "" {
			level := html.EscapeString(l.Level)
			b.WriteString(`<a href="` + Prefix + "actions/" + url.PathEscape(l.Action) + `" title="` + level + `">`)
			b.WriteString(html.EscapeString(l.Action) + "</a>" + html.EscapeString(l.After))
			b.WriteString(` <span class="level">` + level + "</span>")
		}
		b.WriteByte('\n')
	}
	return template.HTML(b.String()) // every piece escaped above
}

// actionList renders a diff's actions as list items (none: "none").
func actionList(actions []string) template.HTML {
	if len(actions) == 0 {
		return "<li>none</li>"
	}
	var b strings.Builder
	for _, a := range actions {
		e := html.EscapeString(a)
		b.WriteString(`<li data-name="` + e + `"><a href="` + Prefix + "actions/" + url.PathEscape(a) + `">` + e + "</a></li>")
	}
	return template.HTML(b.String()) // every piece escaped above
}
