package managed

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/iamq/iamq/internal/analysis"
	"github.com/iamq/iamq/internal/catalog"
	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/policy"
)

// ErrCatalog reports a catalog file ApplyCatalog refuses: too large, or
// not in the schema of catalog.Load (which it then also wraps).
var ErrCatalog = errors.New("managed: invalid catalog update")

// CatalogResult is what ApplyCatalog did.
type CatalogResult struct {
	// ID is the file's SHA-256 (hex), the update's identity.
	ID string
	// Applied is false when the file changed nothing: it was applied
	// before, or the catalog in force holds it already.
	Applied bool
	// Changes are the services the file changes, against the catalog in
	// force before it.
	Changes []catalog.ServiceChange
	// Published are the job-function policies' new versions.
	Published []CatalogPublish
}

// CatalogPublish is one job-function policy's new version.
type CatalogPublish struct {
	Policy  string
	Version string
	Since   string
	Added   []string // the actions added
}

// ApplyCatalog applies a service catalog file (one service's, or all
// services', in the schema of shared/data/catalog; plain or gzip) to the
// live catalog. It diffs the file against the catalog in force and, for
// each job-function policy with a rule, publishes the current default
// version plus the rule's matches among the actions the diff adds (those
// the policy does not grant already), proven to allow everything the
// default allows. The file, the versions and their history entries are
// stored in one transaction; applying the same file again changes nothing.
// Every node takes the new catalog and versions in through Refresh.
func (r *Registry) ApplyCatalog(ctx context.Context, file []byte) (CatalogResult, error) {
	if len(file) == 0 || len(file) > store.MaxCatalogData {
		return CatalogResult{}, fmt.Errorf("%w: 1 to %d bytes", ErrCatalog, store.MaxCatalogData)
	}
	loaded, err := catalog.Load(bytes.NewReader(file), catalog.LoadOptions{})
	if err != nil {
		return CatalogResult{}, fmt.Errorf("%w: %w", ErrCatalog, err)
	}
	for _, s := range loaded.Services() {
		if len(s.Actions()) == 0 { // it would take every action of the service out of the catalog
			return CatalogResult{}, fmt.Errorf("%w: service %q has no actions", ErrCatalog, s.Prefix)
		}
	}
	sum := sha256.Sum256(file)
	res := CatalogResult{ID: hex.EncodeToString(sum[:])}
	if err := r.Refresh(ctx); err != nil { // another node may have applied updates
		return CatalogResult{}, err
	}
	live := r.Catalog()
	next := live.Overlay(loaded)
	res.Changes = catalog.Diff(live, next)
	if len(res.Changes) == 0 {
		return res, nil
	}
	var added []*catalog.Action
	for _, ch := range res.Changes {
		added = append(added, ch.AddedActions...)
	}
	u := store.CatalogUpdate{ID: res.ID, Data: file, Description: describeChanges(res.Changes)}
	for _, rule := range JobFunctionRules() {
		pub, p, err := r.grow(next, &rule, added, res.ID)
		if err != nil {
			return CatalogResult{}, err
		}
		if p != nil {
			u.Publishes = append(u.Publishes, *pub)
			res.Published = append(res.Published, *p)
		}
	}
	applied, _, err := r.st.ApplyCatalog(ctx, u)
	if err != nil {
		return CatalogResult{}, err
	}
	if !applied {
		return CatalogResult{ID: res.ID}, nil
	}
	res.Applied = true
	return res, r.Refresh(ctx)
}

// grow builds the next version of rule's policy: its default plus the
// actions of added the rule matches and the default does not grant
// (expanded against next); nil when there are none.
func (r *Registry) grow(next *catalog.Catalog, rule *Rule, added []*catalog.Action, id string) (*store.AWSPolicyPublish, *CatalogPublish, error) {
	p, err := r.policyNamed(rule.Policy)
	if err != nil {
		return nil, nil, err
	}
	oldText, err := r.Document(p, p.DefaultVersion)
	if err != nil {
		return nil, nil, err
	}
	granted, err := GrantedActions(next, oldText)
	if err != nil {
		return nil, nil, err
	}
	var adds []string
	for _, a := range added {
		if name := a.String(); rule.Matches(a) && !slices.Contains(granted, name) {
			adds = append(adds, name)
		}
	}
	if len(adds) == 0 {
		return nil, nil, nil
	}
	slices.Sort(adds)
	sid := "CatalogUpdate" + id[:12]
	newText, err := appendStatement(oldText, sid, adds)
	if err != nil {
		return nil, nil, fmt.Errorf("%s %s: %w", p.Name, p.DefaultVersion, err)
	}
	oldDoc, err1 := policy.Parse(oldText)
	newDoc, err2 := policy.Parse(newText)
	if err := errors.Join(err1, err2); err != nil {
		return nil, nil, err
	}
	check := analysis.Covers(oldDoc, newDoc, analysis.Options{Catalog: next})
	if check.Verdict != analysis.Proven { // adding a statement cannot narrow: a bug if it does
		return nil, nil, &RemovalError{Policy: p.Name, Since: p.DefaultVersion, Result: check}
	}
	upd := Update{Document: newText, Source: "catalog update " + id,
		Description: fmt.Sprintf("Services launched operations (catalog update %s); the rule of %s matches %s.",
			id[:12], p.Name, plural(len(adds), "new action"))}
	e, err := r.entry(next, p, oldText, upd, check)
	if err != nil {
		return nil, nil, err
	}
	row, err := e.Row()
	if err != nil {
		return nil, nil, err
	}
	pub := &store.AWSPolicyPublish{ARN: p.ARN(), Document: newText, Embedded: r.embedded(p), SetDefault: true,
		Number: p.VersionCount + 1, History: &row}
	return pub, &CatalogPublish{Policy: p.Name, Version: e.Version, Since: p.DefaultVersion, Added: adds}, nil
}

// appendStatement returns document with one more Allow statement granting
// actions on every resource. The existing statements are kept as written.
func appendStatement(document, sid string, actions []string) (string, error) {
	var doc struct {
		Version   string          `json:"Version"`
		ID        string          `json:"Id,omitempty"`
		Statement json.RawMessage `json:"Statement"`
	}
	if err := json.Unmarshal([]byte(document), &doc); err != nil {
		return "", err
	}
	var stmts []json.RawMessage
	if t := bytes.TrimSpace(doc.Statement); len(t) > 0 && t[0] == '{' {
		stmts = []json.RawMessage{t}
	} else if err := json.Unmarshal(doc.Statement, &stmts); err != nil {
		return "", err
	}
	add, err := json.Marshal(struct {
		Sid      string
		Effect   string
		Action   []string
		Resource string
	}{sid, "Allow", actions, "*"})
	if err != nil {
		return "", err
	}
	stmts = append(stmts, add)
	all, err := json.Marshal(stmts)
	if err != nil {
		return "", err
	}
	doc.Statement = all
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return "", err
	}
	return strings.TrimSpace(b.String()), nil
}

// describeChanges names what a catalog update changes, briefly.
func describeChanges(changes []catalog.ServiceChange) string {
	parts := make([]string, 0, len(changes))
	for _, ch := range changes {
		parts = append(parts, fmt.Sprintf("%s: %d added, %d removed, %d changed level", ch.Prefix,
			len(ch.AddedActions), len(ch.RemovedActions), len(ch.LevelChanges)))
	}
	return cut(strings.Join(parts, "; "), maxEntryText)
}
