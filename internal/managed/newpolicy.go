package managed

import (
	"crypto/sha256"
	"encoding/base32"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/iamq/iamq/internal/catalog"
	"github.com/iamq/iamq/internal/history"
	"github.com/iamq/iamq/internal/store"
)

// newPolicy is the metadata of an AWS managed policy the embedded library
// lacks, stored with its first synced version (store.AWSPolicyPublish's
// NewPolicy) so that every node knows the policy.
type newPolicy struct {
	Name        string    `json:"name"`
	Path        string    `json:"path"`
	ID          string    `json:"id"`
	IDGenerated bool      `json:"idGenerated,omitempty"`
	Description string    `json:"description,omitempty"`
	Created     time.Time `json:"created"`
	Attachable  bool      `json:"attachable"`
}

// policy is the policy, with no versions yet.
func (m *newPolicy) policy() *Policy {
	return &Policy{Name: m.Name, Path: m.Path, ID: m.ID, IDGenerated: m.IDGenerated, Description: m.Description,
		CreateDate: m.Created, UpdateDate: m.Created, Attachable: m.Attachable}
}

// decodeNewPolicy reads stored metadata; nil when it is not usable.
func decodeNewPolicy(data string) *Policy {
	var m newPolicy
	if data == "" || json.Unmarshal([]byte(data), &m) != nil || m.Name == "" || m.Path == "" {
		return nil
	}
	return m.policy()
}

// newPolicyID derives a stable policy id for a policy the snapshot names no
// id for: ANPA and 17 base32 characters of the ARN's SHA-256 (as the
// library's generator does).
func newPolicyID(arn string) string {
	sum := sha256.Sum256([]byte(arn))
	return "ANPA" + base32.StdEncoding.EncodeToString(sum[:])[:17]
}

// syncNew builds the publish that adds sp, a policy iamq does not hold,
// with AWS's default version as its first (numbered as AWS numbers it).
func (r *Registry) syncNew(cat *catalog.Catalog, sp *SnapshotPolicy, id string) (*store.AWSPolicyPublish, *Synced, error) {
	if err := checkDocument(sp.Document); err != nil {
		return nil, nil, fmt.Errorf("%s %s: %w", sp.Name, sp.Version, err)
	}
	n, _ := strconv.Atoi(strings.TrimPrefix(sp.Version, "v"))
	m := newPolicy{Name: sp.Name, Path: sp.Path, ID: sp.ID, Description: sp.Description, Created: sp.Created.UTC(), Attachable: sp.Attachable}
	if m.ID == "" {
		m.ID, m.IDGenerated = newPolicyID(sp.ARN), true
	}
	if m.Created.IsZero() {
		m.Created = sp.Date.UTC()
	}
	meta, err := json.Marshal(m)
	if err != nil {
		return nil, nil, err
	}
	actions, err := GrantedActions(cat, sp.Document)
	if err != nil {
		return nil, nil, err
	}
	date := sp.Date
	if date.IsZero() {
		date = r.now()
	}
	e := history.Entry{ID: HistoryID(sp.ARN, sp.Version), Service: NewServiceIndex(cat).Of(sp.Name), PolicyARN: sp.ARN,
		PolicyName: sp.Name, Version: sp.Version, Kind: history.NewPolicy, Date: date.UTC(),
		Description: fmt.Sprintf("AWS published %s %s (synced): a policy new to iamq, granting %s.", sp.Name, sp.Version, plural(len(actions), "action")),
		Source:      "synced from AWS (iamq admin managed sync, snapshot " + id[:12] + ")",
		Actions:     len(actions), Counted: true, Added: len(actions), Diff: &history.Diff{Added: nonNil(actions), Removed: []string{}}}
	row, err := e.Row()
	if err != nil {
		return nil, nil, err
	}
	pub := &store.AWSPolicyPublish{ARN: sp.ARN, Document: sp.Document, Embedded: n - 1, SetDefault: true, Number: n,
		History: &row, Created: sp.Date, NewPolicy: string(meta)}
	return pub, &Synced{Policy: sp.Name, Version: sp.Version, AWSVersion: sp.Version, New: true, Entry: e}, nil
}
