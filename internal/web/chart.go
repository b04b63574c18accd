package web

import (
	"fmt"
	"html"
	"slices"
	"strings"

	"github.com/iamq/iamq/internal/history"
)

// The chart's size, in SVG user units.
const (
	chartW, chartH         = 800, 300
	padL, padR, padT, padB = 60, 20, 20, 40
)

// chart draws the actions each version grants, oldest version on the left,
// one slot per version recovered or run of versions not recovered (shaded:
// nothing is known there, so no line crosses it). The x axis is the order
// of versions, not time: dates that are unknown are not placed anywhere.
// Each point carries data-version, data-actions and data-date.
func chart(title string, newestFirst []history.Entry) string {
	es := slices.Clone(newestFirst)
	slices.Reverse(es)
	var slots []history.Entry
	top := 1
	for _, e := range es {
		if e.Counted || e.Kind == history.Gap {
			slots = append(slots, e)
			top = max(top, e.Actions)
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" class="chart" aria-label="%s">`,
		chartW, chartH, html.EscapeString(title))
	fmt.Fprintf(&b, `<title>%s</title>`, html.EscapeString(title))
	plotW, plotH := float64(chartW-padL-padR), float64(chartH-padT-padB)
	x := func(i int) float64 {
		if len(slots) < 2 {
			return padL + plotW/2
		}
		return padL + plotW*float64(i)/float64(len(slots)-1)
	}
	y := func(n int) float64 { return padT + plotH*(1-float64(n)/float64(top)) }
	// Axes and the y scale.
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" class="axis"/>`, padL, chartH-padB, chartW-padR, chartH-padB)
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" class="axis"/>`, padL, padT, padL, chartH-padB)
	for _, n := range []int{0, top / 2, top} {
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" class="tick" text-anchor="end">%d</text>`, padL-6, y(n)+4, n)
	}
	var line []string
	flush := func() {
		if len(line) > 1 {
			fmt.Fprintf(&b, `<polyline class="line" points="%s"/>`, strings.Join(line, " "))
		}
		line = line[:0]
	}
	year := ""
	for i, e := range slots {
		if e.Kind == history.Gap {
			flush()
			fmt.Fprintf(&b, `<rect class="gap" x="%.1f" y="%d" width="6" height="%.0f" data-gap="%s"><title>%s not recovered</title></rect>`,
				x(i)-3, padT, plotH, html.EscapeString(e.VersionText()), html.EscapeString(e.VersionText()))
			continue
		}
		line = append(line, fmt.Sprintf("%.1f,%.1f", x(i), y(e.Actions)))
		if e.DateKnown() && e.Date.Format("2006") != year {
			year = e.Date.Format("2006")
			fmt.Fprintf(&b, `<text x="%.1f" y="%d" class="tick" text-anchor="middle">%s</text>`, x(i), chartH-padB+16, year)
		}
	}
	flush()
	for i, e := range slots {
		if e.Kind == history.Gap {
			continue
		}
		cls := "point"
		if e.Kind.Breaking() {
			cls += " breaking"
		}
		fmt.Fprintf(&b, `<circle class="%s" cx="%.1f" cy="%.1f" r="3" data-version="%s" data-actions="%d" data-date="%s"><title>%s: %d actions, %s</title></circle>`,
			cls, x(i), y(e.Actions), html.EscapeString(e.Version), e.Actions, html.EscapeString(e.DateText()),
			html.EscapeString(e.Version), e.Actions, html.EscapeString(e.DateText()))
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d" class="tick">versions, oldest first (shaded: not recovered)</text>`, padL, chartH-6)
	b.WriteString(`</svg>`)
	return b.String()
}
