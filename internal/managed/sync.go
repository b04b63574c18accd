package managed

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/iamq/iamq/internal/analysis"
	"github.com/iamq/iamq/internal/catalog"
	"github.com/iamq/iamq/internal/history"
	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/policy"
)

// SyncOptions are Sync's options.
type SyncOptions struct {
	// DryRun checks and reports every step and stores nothing.
	DryRun bool
}

// SyncResult is what Sync did (or, on a dry run, would do).
type SyncResult struct {
	// ID is the snapshot file's SHA-256 (hex).
	ID string
	// Synced are the policies whose default version changed at AWS, in
	// the snapshot's order, each published (unless DryRun).
	Synced []Synced
	// Unchanged counts the policies whose default is AWS's already.
	Unchanged int
	// Missing are the ARNs of policies iamq holds and the snapshot lacks:
	// they are left as they are.
	Missing []string
	// New are the ARNs of policies in the snapshot that iamq did not hold:
	// each is added (in Synced too, New set).
	New []string
	// Stored is false on a dry run, and when nothing changed.
	Stored bool
}

// Synced is one policy's step to AWS's default version.
type Synced struct {
	Policy string
	// Version is iamq's id of the synced version; AWSVersion is AWS's id,
	// different only when a locally published version had taken it.
	Version, AWSVersion string
	// Since is the version in force before ("" for a new policy).
	Since string
	// New is true for a policy iamq did not hold, added.
	New bool
	// Check is Covers(version in force, AWS's version): not Proven is a
	// removal, published anyway (it is AWS's fact) as a breaking change.
	Check analysis.Result
	Entry history.Entry
}

// Breaking reports whether AWS's version may remove access.
func (s Synced) Breaking() bool { return !s.New && s.Check.Verdict != analysis.Proven }

// Finding is the analysis's finding, in words, for a breaking step.
func (s Synced) Finding() string {
	return (&RemovalError{Policy: s.Policy, Since: s.Since, Result: s.Check}).Finding()
}

// Sync brings the AWS managed policies up to a snapshot of AWS's (see
// ParseSnapshot). For each policy whose default document differs from
// AWS's default, it checks the step with analysis.Covers and publishes
// AWS's version as the new default, with AWS's date and version id and a
// history entry; a step that may remove access is published too, as a
// breaking change naming the counterexample. AWS's id taken by a locally
// published version makes the synced version take the policy's next free
// id, and its history entry keeps AWS's id (AWSVersion). Policies the
// snapshot lacks, and policies iamq does not hold, are reported and left
// alone. Everything is stored in one transaction; a second sync of the same
// snapshot changes nothing.
func (r *Registry) Sync(ctx context.Context, file []byte, o SyncOptions) (SyncResult, error) {
	snap, err := ParseSnapshot(file)
	if err != nil {
		return SyncResult{}, err
	}
	sum := sha256.Sum256(file)
	res := SyncResult{ID: hex.EncodeToString(sum[:])}
	if err := r.Refresh(ctx); err != nil { // another node may have published
		return SyncResult{}, err
	}
	cat := r.Catalog()
	in := make(map[string]bool, len(snap))
	var pubs []store.AWSPolicyPublish
	for i := range snap {
		sp := &snap[i]
		in[sp.ARN] = true
		var pub *store.AWSPolicyPublish
		var s *Synced
		if p, ok := r.Lookup(sp.ARN); ok {
			pub, s, err = r.syncOne(cat, p, sp, res.ID)
		} else {
			res.New = append(res.New, sp.ARN)
			pub, s, err = r.syncNew(cat, sp, res.ID)
		}
		if err != nil {
			return SyncResult{}, err
		}
		if pub == nil {
			res.Unchanged++
			continue
		}
		pubs = append(pubs, *pub)
		res.Synced = append(res.Synced, *s)
	}
	all, err := r.Policies()
	if err != nil {
		return SyncResult{}, err
	}
	for _, p := range all {
		if !in[p.ARN()] {
			res.Missing = append(res.Missing, p.ARN())
		}
	}
	if o.DryRun || len(pubs) == 0 {
		return res, nil
	}
	if err := r.unchangedSince(ctx, res.Synced); err != nil {
		return SyncResult{}, err
	}
	if _, err := r.st.PublishAWSPolicyVersions(ctx, pubs); err != nil {
		return SyncResult{}, err
	}
	res.Stored = true
	return res, r.Refresh(ctx)
}

// syncOne builds the publish of sp over p's version in force; nil when p's
// default is AWS's document already.
func (r *Registry) syncOne(cat *catalog.Catalog, p *Policy, sp *SnapshotPolicy, id string) (*store.AWSPolicyPublish, *Synced, error) {
	oldText, err := r.Document(p, p.DefaultVersion)
	if err != nil {
		return nil, nil, err
	}
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(oldText)); err == nil && b.String() == sp.Document {
		return nil, nil, nil
	}
	if err := checkDocument(sp.Document); err != nil {
		return nil, nil, fmt.Errorf("%s %s: %w", sp.Name, sp.Version, err)
	}
	oldDoc, err := policy.Parse(oldText)
	if err != nil {
		return nil, nil, fmt.Errorf("%s %s: %w", p.Name, p.DefaultVersion, err)
	}
	newDoc, _ := policy.Parse(sp.Document) // checkDocument parsed it
	check := analysis.Covers(oldDoc, newDoc, analysis.Options{Catalog: cat})
	// AWS's id when it is free, else the next free one; Embedded makes the
	// store number it so (the store numbers after Embedded and every
	// published version, and refuses any other number).
	num, embedded := p.VersionCount+1, r.embedded(p)
	if n, _ := strconv.Atoi(strings.TrimPrefix(sp.Version, "v")); n > p.VersionCount {
		num, embedded = n, n-1
	}
	vid := "v" + strconv.Itoa(num)
	date := "an unknown date"
	if !sp.Date.IsZero() {
		date = sp.Date.UTC().Format("2006-01-02 15:04:05Z")
	}
	u := Update{Document: sp.Document, Date: sp.Date, AllowRemoval: true, Reason: "it is AWS's own update, synced",
		Description: fmt.Sprintf("AWS published %s %s on %s (synced).", p.Name, sp.Version, date),
		Source:      "synced from AWS (iamq admin managed sync, snapshot " + id[:12] + ")"}
	e, err := r.entry(cat, p, oldText, u, check)
	if err != nil {
		return nil, nil, err
	}
	e.ID, e.Version = HistoryID(p.ARN(), vid), vid
	if vid != sp.Version {
		e.AWSVersion = sp.Version
		e.Description = cut(fmt.Sprintf("AWS's id %s was taken by a version published here: iamq numbers it %s. %s",
			sp.Version, vid, e.Description), maxEntryText)
	}
	row, err := e.Row()
	if err != nil {
		return nil, nil, err
	}
	pub := &store.AWSPolicyPublish{ARN: p.ARN(), Document: sp.Document, Embedded: embedded, SetDefault: true,
		Number: num, History: &row, Created: sp.Date}
	return pub, &Synced{Policy: p.Name, Version: vid, AWSVersion: sp.Version, Since: p.DefaultVersion, Check: check, Entry: e}, nil
}

// unchangedSince refreshes the registry and checks that no policy synced
// got a version meanwhile (another node's publish): the steps were checked
// against the versions in force before. The store refuses a number taken
// meanwhile, but a synced version numbered after a gap (AWS's v9 over v5)
// would not see a local v6 published in between.
func (r *Registry) unchangedSince(ctx context.Context, synced []Synced) error {
	if err := r.Refresh(ctx); err != nil {
		return err
	}
	for _, s := range synced {
		if s.New {
			if _, ok := r.Lookup(s.Entry.PolicyARN); ok {
				return fmt.Errorf("%w: %s was added during the sync; sync again", store.ErrConflict, s.Policy)
			}
			continue
		}
		if p, ok := r.Lookup(s.Entry.PolicyARN); !ok || p.DefaultVersion != s.Since {
			return fmt.Errorf("%w: %s got a version during the sync; sync again", store.ErrConflict, s.Policy)
		}
	}
	return nil
}
