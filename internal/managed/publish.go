package managed

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/internal/analysis"
	"github.com/iamq/iamq/internal/catalog"
	"github.com/iamq/iamq/internal/history"
	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/policy"
)

// ErrNotMonotonic reports an update that PublishUpdate refuses because it
// may take access away: the analysis found a request the version in force
// allows and the update does not (RemovalError.Result.Request), or could not
// prove that there is none. AWS promises that services "do not remove
// permissions from an AWS managed policy" (IAM User Guide, "AWS managed
// policies"); AllowRemoval overrides, and the history marks the break.
var ErrNotMonotonic = errors.New("managed: the update may remove permissions")

// ErrNoReason reports an update that allows removal without saying why.
var ErrNoReason = errors.New("managed: a removal needs a reason")

// RemovalError is ErrNotMonotonic with the analysis's answer.
type RemovalError struct {
	Policy, Since string // the policy's name and the version in force
	Result        analysis.Result
}

// Error names the counterexample, or why coverage is unknown, and how to
// publish anyway.
func (e *RemovalError) Error() string {
	return "refused: " + e.Finding() + "; publish with --allow-removal --reason TEXT to break the promise knowingly"
}

// Finding is what the analysis found, in words: the request the version in
// force allows and the update does not, or why coverage is not proven.
func (e *RemovalError) Finding() string {
	if r := e.Result.Request; r != nil {
		return fmt.Sprintf("the update removes permissions: %s %s allows %s on %s%s and the update does not (%s)",
			e.Policy, e.Since, r.Action, r.Resource, contextText(r), e.Result.Reason)
	}
	return fmt.Sprintf("the update may remove permissions: coverage of %s %s is not proven (%s)", e.Policy, e.Since, e.Result.Reason)
}

// Is makes errors.Is(err, ErrNotMonotonic) hold.
func (e *RemovalError) Is(target error) bool { return target == ErrNotMonotonic }

func contextText(r *analysis.Request) string {
	if len(r.Context) == 0 {
		return ""
	}
	parts := make([]string, len(r.Context))
	for i, kv := range r.Context {
		parts[i] = kv.Key + "=" + strings.Join(kv.Values, ",")
	}
	return " with " + strings.Join(parts, " ")
}

// Update is a new version of an AWS managed policy, for PublishUpdate.
type Update struct {
	// Policy is the policy's name ("AmazonMQFullAccess") or ARN.
	Policy      string
	Document    string
	Description string    // what the change is, for the history
	Date        time.Time // the change's date (zero: now)
	// AllowRemoval publishes an update that may take access away, with
	// Reason; the history entry is then a breaking change.
	AllowRemoval bool
	Reason       string
	// Source says where the version comes from (zero: the admin command).
	Source string
}

// Published is what PublishUpdate did.
type Published struct {
	Policy  *Policy // as it stands after the publish
	Version Version
	Since   string          // the version it follows
	Check   analysis.Result // Covers(version in force, update)
	Entry   history.Entry   // the history entry stored with it
}

// maxDescription bounds an update's description and reason (bytes); the
// history entry's description, which adds the actions, is cut to
// maxEntryText (history's bound on a text).
const (
	maxDescription = 1024
	// MaxDocument bounds an update's document: AWS managed policies run to
	// about 100 KB (ReadOnlyAccess v188 is 91,266 characters without white
	// space), far above the customer quota they are exempt from.
	MaxDocument  = 1 << 20
	maxEntryText = 2048
)

// PublishUpdate publishes u as the new default version of an AWS managed
// policy, for every account at once, after proving it allows everything the
// version in force allows. It stores the version and its history entry (the
// kind, a description naming the actions added and removed, the date, the
// action-level diff) in one transaction, numbered after the policy's own
// versions (v46 after v45). A version published by another writer in
// between is store.ErrConflict: nothing was stored, try again.
func (r *Registry) PublishUpdate(ctx context.Context, u Update) (Published, error) {
	p, err := r.policyNamed(u.Policy)
	if err != nil {
		return Published{}, err
	}
	if len(u.Description) > maxDescription || len(u.Reason) > maxDescription || strings.TrimSpace(u.Description) == "" {
		return Published{}, fmt.Errorf("%w: a description of 1 to %d bytes (and a reason of at most %d)", ErrInvalidDocument, maxDescription, maxDescription)
	}
	if len(u.Document) > MaxDocument {
		return Published{}, fmt.Errorf("%w: larger than %d bytes", ErrInvalidDocument, MaxDocument)
	}
	if u.AllowRemoval && strings.TrimSpace(u.Reason) == "" {
		return Published{}, ErrNoReason
	}
	if err := checkDocument(u.Document); err != nil {
		return Published{}, err
	}
	oldText, err := r.Document(p, p.DefaultVersion)
	if err != nil {
		return Published{}, err
	}
	oldDoc, err := policy.Parse(oldText)
	if err != nil {
		return Published{}, fmt.Errorf("%s %s: %w", p.Name, p.DefaultVersion, err)
	}
	newDoc, _ := policy.Parse(u.Document) // checkDocument parsed it
	cat := r.Catalog()
	check := analysis.Covers(oldDoc, newDoc, analysis.Options{Catalog: cat})
	if check.Verdict != analysis.Proven && !u.AllowRemoval {
		return Published{}, &RemovalError{Policy: p.Name, Since: p.DefaultVersion, Result: check}
	}
	e, err := r.entry(cat, p, oldText, u, check)
	if err != nil {
		return Published{}, err
	}
	row, err := e.Row()
	if err != nil {
		return Published{}, err
	}
	pv, err := r.st.PublishAWSPolicyVersion(ctx, store.AWSPolicyPublish{ARN: p.ARN(), Document: u.Document,
		Embedded: r.embedded(p), SetDefault: true, Number: p.VersionCount + 1, History: &row})
	if err != nil {
		return Published{}, err
	}
	if err := r.Refresh(ctx); err != nil {
		return Published{}, err
	}
	now, _ := r.Lookup(p.ARN())
	return Published{Policy: now, Version: Version{ID: pv.ID, CreateDate: pv.Created, published: true}, Since: p.DefaultVersion,
		Check: check, Entry: e}, nil
}

// policyNamed finds a policy by ARN or by name.
func (r *Registry) policyNamed(name string) (*Policy, error) {
	if _, ok := arn.Split(name); ok {
		if p, ok := r.Lookup(name); ok {
			return p, nil
		}
		return nil, fmt.Errorf("policy %s: %w", name, store.ErrNotFound)
	}
	ps, err := r.Policies()
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		if p.Name == name {
			return p, nil
		}
	}
	return nil, fmt.Errorf("no AWS managed policy named %q: %w", name, store.ErrNotFound)
}

// embedded is how many versions the library holds of p.
func (r *Registry) embedded(p *Policy) int {
	if base, ok := r.lib.Lookup(p.ARN()); ok {
		return base.VersionCount
	}
	return p.VersionCount
}

// entry builds the history entry of publishing u over p's version in
// force: the actions added and removed (expanded against the live
// catalog cat), the kind (a breaking change when coverage was not proven).
func (r *Registry) entry(cat *catalog.Catalog, p *Policy, oldText string, u Update, check analysis.Result) (history.Entry, error) {
	before, err := GrantedActions(cat, oldText)
	if err != nil {
		return history.Entry{}, err
	}
	after, err := GrantedActions(cat, u.Document)
	if err != nil {
		return history.Entry{}, err
	}
	added, removed := DiffActions(before, after)
	next := fmt.Sprintf("v%d", p.VersionCount+1)
	kind, what := changeKind(added, removed, p.DefaultVersion, 0)
	if check.Verdict != analysis.Proven {
		kind = history.RemovedPermissions
		what += " Published knowingly: " + (&RemovalError{Policy: p.Name, Since: p.DefaultVersion, Result: check}).Finding() +
			". Reason: " + u.Reason
	}
	date := u.Date
	if date.IsZero() {
		date = r.now()
	}
	source := u.Source
	if source == "" {
		source = "published with iamq admin managed publish"
	}
	e := history.Entry{ID: HistoryID(p.ARN(), next), Service: NewServiceIndex(cat).Of(p.Name), PolicyARN: p.ARN(),
		PolicyName: p.Name, Version: next, Kind: kind, Description: cut(strings.TrimSpace(u.Description)+" "+what, maxEntryText),
		Date: date.UTC(), Source: source, Actions: len(after), Counted: true, Since: p.DefaultVersion,
		Added: len(added), Removed: len(removed), Diff: &history.Diff{Added: nonNil(added), Removed: nonNil(removed)}}
	return e, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// cut shortens s to at most n bytes, on a rune boundary, marking the cut.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = strings.ToValidUTF8(s[:n-len("…")], "")
	return s + "…"
}
