package history

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Kind is the kind of a change, in the words of the AWS documentation's
// change tables ("Amazon MQ updates to AWS managed policies").
type Kind string

// The kinds of change.
const (
	// StartedTracking is a service's first row: it started tracking changes
	// to its AWS managed policies.
	StartedTracking Kind = "Started tracking changes"
	// NewPolicy is a policy's first version.
	NewPolicy Kind = "New policy"
	// FirstRecovered is the oldest version recovered of a policy whose
	// earlier versions were not: what came before is unknown.
	FirstRecovered Kind = "First recovered version"
	// AddedPermissions is a version that grants actions the one before did
	// not, and takes none away.
	AddedPermissions Kind = "Added permissions"
	// RemovedPermissions is a version that takes away actions the one
	// before granted: a breaking change.
	RemovedPermissions Kind = "Breaking change: permissions removed"
	// Updated is a version that neither adds nor removes actions (it
	// changes resources, conditions or wording).
	Updated Kind = "Updated policy"
	// Gap is a run of versions that were never recovered.
	Gap Kind = "Versions not recovered"
)

// Kinds returns every kind, in the order above.
func Kinds() []Kind {
	return []Kind{StartedTracking, NewPolicy, FirstRecovered, AddedPermissions, RemovedPermissions, Updated, Gap}
}

// Breaking reports whether the change removed permissions.
func (k Kind) Breaking() bool { return k == RemovedPermissions }

// Valid reports whether k is one of the kinds.
func (k Kind) Valid() bool {
	for _, x := range Kinds() {
		if k == x {
			return true
		}
	}
	return false
}

// Entry is one change in the history.
type Entry struct {
	// ID is stable across restarts and nodes: the policy ARN and version
	// ("arn:aws:iam::aws:policy/AmazonMQFullAccess#v5"), or the service and
	// kind for a service's own rows ("service/mq#started-tracking").
	ID string `json:"id"`
	// Service is the service prefix ("mq"); "" for a policy of no one
	// service (ReadOnlyAccess).
	Service string `json:"service,omitempty"`
	// PolicyARN and PolicyName name the policy; both "" for a service's row.
	PolicyARN  string `json:"policyArn,omitempty"`
	PolicyName string `json:"policyName,omitempty"`
	// Version is the version ("v5"); for a Gap, the first version missing,
	// and LastVersion the last ("v30", "v35").
	Version     string `json:"version,omitempty"`
	LastVersion string `json:"lastVersion,omitempty"`
	// AWSVersion is AWS's id of a version synced from AWS when it differs
	// from Version: AWS's id was taken by a locally published version, so
	// the synced one took the policy's next free id.
	AWSVersion  string `json:"awsVersion,omitempty"`
	Kind        Kind   `json:"kind"`
	Description string `json:"description"`
	// Date is when the change was made; zero when it is not known, and then
	// NotBefore and NotAfter are the bounds that are known (either may be
	// zero too). A date is never borrowed from another version.
	Date      time.Time `json:"date,omitzero"`
	NotBefore time.Time `json:"notBefore,omitzero"`
	NotAfter  time.Time `json:"notAfter,omitzero"`
	// Source says where the entry's facts come from.
	Source string `json:"source"`
	// Actions is how many actions the version grants, expanded against the
	// service catalog; Counted is false when it was not counted (gaps,
	// service rows).
	Actions int  `json:"actions"`
	Counted bool `json:"counted"`
	// Added and Removed count the actions gained and lost since Since, the
	// version compared against ("" when there is none).
	Since   string `json:"since,omitempty"`
	Added   int    `json:"added"`
	Removed int    `json:"removed"`
	// Diff lists those actions; it is filled in only where asked for
	// (Query.WithDiff, History.Entry).
	Diff *Diff `json:"diff,omitempty"`
	// Stored is when this store took the entry in.
	Stored time.Time `json:"stored,omitzero"`
}

// Diff is the actions a version gained and lost against another.
type Diff struct {
	Added   []string `json:"added"`
	Removed []string `json:"removed"`
}

// DateKnown reports whether the entry's date is known.
func (e *Entry) DateKnown() bool { return !e.Date.IsZero() }

// When is the time the entry sorts by: its date, else the latest bound
// known, else the earliest. It is for ordering only, never shown as a date.
func (e *Entry) When() time.Time {
	switch {
	case !e.Date.IsZero():
		return e.Date
	case !e.NotAfter.IsZero():
		return e.NotAfter
	}
	return e.NotBefore
}

// DateText is the entry's date for people: "2020-11-04", or "date unknown"
// with the known bounds ("date unknown (between 2025-02-22 and 2026-07-21)").
func (e *Entry) DateText() string {
	const day = "2006-01-02"
	switch {
	case !e.Date.IsZero():
		return e.Date.UTC().Format(day)
	case !e.NotBefore.IsZero() && !e.NotAfter.IsZero():
		return "date unknown (between " + e.NotBefore.UTC().Format(day) + " and " + e.NotAfter.UTC().Format(day) + ")"
	case !e.NotBefore.IsZero():
		return "date unknown (after " + e.NotBefore.UTC().Format(day) + ")"
	case !e.NotAfter.IsZero():
		return "date unknown (before " + e.NotAfter.UTC().Format(day) + ")"
	}
	return "date unknown"
}

// VersionText is "v5", or "v30–v35" for a gap of several versions.
func (e *Entry) VersionText() string {
	if e.LastVersion != "" && e.LastVersion != e.Version {
		return e.Version + "–" + e.LastVersion
	}
	return e.Version
}

// Bounds on entries, checked by Append before anything is stored.
const (
	maxText        = 2048 // bytes of any one text field
	maxDiffActions = 100000
)

// check reports what is wrong with e, or nil.
func (e *Entry) check() error {
	for name, s := range map[string]string{"ID": e.ID, "Service": e.Service, "PolicyARN": e.PolicyARN,
		"PolicyName": e.PolicyName, "Version": e.Version, "LastVersion": e.LastVersion,
		"Description": e.Description, "Source": e.Source, "Since": e.Since} {
		if len(s) > maxText || !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
			return fmt.Errorf("history entry %.64q: %s is not UTF-8 text of at most %d bytes", e.ID, name, maxText)
		}
	}
	switch {
	case e.ID == "":
		return fmt.Errorf("history entry without an ID")
	case !e.Kind.Valid():
		return fmt.Errorf("history entry %q: unknown kind %q", e.ID, e.Kind)
	case e.Version != "" && versionNumber(e.Version) < 0, e.LastVersion != "" && versionNumber(e.LastVersion) < 0:
		return fmt.Errorf("history entry %q: versions are v1, v2, …", e.ID)
	case e.Diff != nil && len(e.Diff.Added)+len(e.Diff.Removed) > maxDiffActions:
		return fmt.Errorf("history entry %q: a diff of more than %d actions", e.ID, maxDiffActions)
	case e.When().IsZero() && e.Kind != Gap:
		return fmt.Errorf("history entry %q: neither a date nor a bound", e.ID)
	}
	return nil
}

// versionNumber is 5 for "v5", -1 for anything else.
func versionNumber(v string) int {
	n, err := strconv.Atoi(strings.TrimPrefix(v, "v"))
	if err != nil || !strings.HasPrefix(v, "v") || n < 1 || strconv.Itoa(n) != v[1:] {
		return -1
	}
	return n
}

// sortKey orders entries: by When, then policy (or service), then version
// number, then ID, so that keys are unique and versions of one date keep
// their order. Times are UTC nanoseconds, zero-padded to sort as text.
func (e *Entry) sortKey() string {
	who := e.PolicyARN
	if who == "" {
		who = "service/" + e.Service
	}
	return fmt.Sprintf("%020d|%s|%08d|%s", max(e.When().UnixNano(), 0), who, max(versionNumber(e.Version), 0), e.ID)
}

// encode returns the entry's stored data (without its diff) and diff.
func (e *Entry) encode() (data, diff string, err error) {
	c := *e
	c.Diff, c.Stored = nil, time.Time{}
	b, err := json.Marshal(&c)
	if err != nil {
		return "", "", err
	}
	if e.Diff != nil {
		d, err := json.Marshal(e.Diff)
		if err != nil {
			return "", "", err
		}
		diff = string(d)
	}
	return string(b), diff, nil
}

// decode reads an entry back from its stored data and diff ("" for none).
func decode(data, diff string) (Entry, error) {
	var e Entry
	if err := json.Unmarshal([]byte(data), &e); err != nil {
		return Entry{}, fmt.Errorf("history entry: %w", err)
	}
	e.Diff = nil
	if diff != "" {
		e.Diff = &Diff{}
		if err := json.Unmarshal([]byte(diff), e.Diff); err != nil {
			return Entry{}, fmt.Errorf("history entry %q: diff: %w", e.ID, err)
		}
	}
	return e, nil
}

// SortNewestFirst orders entries as History.List returns them.
func SortNewestFirst(es []Entry) {
	keys := make(map[string]string, len(es))
	for i := range es {
		keys[es[i].ID] = es[i].sortKey()
	}
	slices.SortStableFunc(es, func(a, b Entry) int { return strings.Compare(keys[b.ID], keys[a.ID]) })
}
