package managed

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/iamq/iamq/arn"
)

// ErrSnapshot reports a snapshot file Sync refuses: too large, or in none
// of the forms ParseSnapshot reads.
var ErrSnapshot = errors.New("managed: invalid snapshot of AWS managed policies")

const (
	// MaxSnapshot bounds a snapshot file, read or unpacked (bytes): every
	// AWS managed policy with every recovered version is 33 MB as JSON.
	MaxSnapshot = 128 << 20
	// maxSnapshotPolicies bounds the policies of one snapshot (AWS has
	// about 1,600).
	maxSnapshotPolicies = 20000
)

// SnapshotPolicy is one AWS managed policy's default version in a snapshot.
type SnapshotPolicy struct {
	Name, ARN string
	// Version is AWS's id of the default version ("v69").
	Version string
	// Document is the default version's document, compact JSON.
	Document string
	// Path, ID, Description, Created and Attachable describe the policy,
	// for a policy iamq does not hold yet (zero when the snapshot lacks them).
	Path, ID, Description string
	Created               time.Time
	Attachable            bool
	// Date is the version's date (AWS's CreateDate), or the policy's
	// UpdateDate; zero when the snapshot names neither.
	Date time.Time
}

// snapshotFile holds the three forms a snapshot may take:
//   - the output of `aws iam get-account-authorization-details --filter
//     AWSManagedPolicy` (Policies[].PolicyVersionList; IAM API Reference,
//     "ManagedPolicyDetail"), documents URL-encoded (the API) or objects
//     (the CLI decodes them);
//   - a file of every policy as shared/data/managed-policies keeps them
//     (policies[].Versions, the default among them);
//   - one policy's file of that directory (PolicyName, Document).
type snapshotFile struct {
	Policies   []snapshotEntry `json:"Policies"`
	PoliciesLC []snapshotEntry `json:"policies"`
	snapshotEntry
}

type snapshotEntry struct {
	PolicyName        string            `json:"PolicyName"`
	Arn               string            `json:"Arn"`
	Path              string            `json:"Path"`
	PolicyID          string            `json:"PolicyId"`
	Description       string            `json:"Description"`
	CreateDate        string            `json:"CreateDate"`
	IsAttachable      *bool             `json:"IsAttachable"`
	DefaultVersionID  string            `json:"DefaultVersionId"`
	UpdateDate        string            `json:"UpdateDate"`
	Document          json.RawMessage   `json:"Document"`
	PolicyVersionList []snapshotVersion `json:"PolicyVersionList"`
	Versions          []snapshotVersion `json:"Versions"`
}

type snapshotVersion struct {
	VersionID        string          `json:"VersionId"`
	IsDefaultVersion bool            `json:"IsDefaultVersion"`
	CreateDate       *string         `json:"CreateDate"`
	Document         json.RawMessage `json:"Document"`
}

// ParseSnapshot reads a snapshot of AWS managed policies (plain or gzip;
// see snapshotFile for the forms) and returns each policy's default
// version, in the file's order.
func ParseSnapshot(data []byte) ([]SnapshotPolicy, error) {
	if len(data) == 0 || len(data) > MaxSnapshot {
		return nil, fmt.Errorf("%w: 1 to %d bytes", ErrSnapshot, MaxSnapshot)
	}
	if bytes.HasPrefix(data, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrSnapshot, err)
		}
		data, err = io.ReadAll(io.LimitReader(zr, MaxSnapshot+1))
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrSnapshot, err)
		}
		if len(data) > MaxSnapshot {
			return nil, fmt.Errorf("%w: more than %d bytes unpacked", ErrSnapshot, MaxSnapshot)
		}
	}
	var f snapshotFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrSnapshot, err)
	}
	entries := append(f.Policies, f.PoliciesLC...)
	if len(entries) == 0 && f.PolicyName != "" {
		entries = []snapshotEntry{f.snapshotEntry}
	}
	if len(entries) == 0 || len(entries) > maxSnapshotPolicies {
		return nil, fmt.Errorf("%w: 1 to %d policies", ErrSnapshot, maxSnapshotPolicies)
	}
	out := make([]SnapshotPolicy, 0, len(entries))
	seen := make(map[string]bool, len(entries))
	for i := range entries {
		p, err := entries[i].policy()
		if err != nil {
			return nil, fmt.Errorf("%w: policy %d (%.80q): %w", ErrSnapshot, i, entries[i].PolicyName, err)
		}
		if seen[p.ARN] {
			return nil, fmt.Errorf("%w: policy %s twice", ErrSnapshot, p.ARN)
		}
		seen[p.ARN] = true
		out = append(out, p)
	}
	return out, nil
}

// policy picks the entry's default version.
func (e *snapshotEntry) policy() (SnapshotPolicy, error) {
	a := e.Arn
	if a == "" && e.PolicyName != "" {
		a = arn.AWSManagedPolicy(e.Path, e.PolicyName).String()
	}
	if !arn.IsAWSManaged(a) {
		return SnapshotPolicy{}, fmt.Errorf("not an AWS managed policy ARN: %.200q", a)
	}
	name := a[strings.LastIndexByte(a, '/')+1:]
	if e.PolicyName != "" && e.PolicyName != name {
		return SnapshotPolicy{}, fmt.Errorf("PolicyName %.80q and Arn %.200q disagree", e.PolicyName, a)
	}
	id := e.DefaultVersionID
	raw, date := e.Document, e.UpdateDate
	for _, v := range append(e.PolicyVersionList, e.Versions...) {
		if v.IsDefaultVersion && id == "" {
			id = v.VersionID
		}
		if v.VersionID != id {
			continue
		}
		if len(v.Document) > 0 {
			raw = v.Document
		}
		if v.CreateDate != nil { // else UpdateDate, the default's date (CreateDateAsRecorded is unreliable)
			date = *v.CreateDate
		}
	}
	if n, err := strconv.Atoi(strings.TrimPrefix(id, "v")); err != nil || n < 1 || !strings.HasPrefix(id, "v") {
		return SnapshotPolicy{}, fmt.Errorf("no default version id (got %.40q)", id)
	}
	doc, err := snapshotDocument(raw)
	if err != nil {
		return SnapshotPolicy{}, fmt.Errorf("%s: %w", id, err)
	}
	p := SnapshotPolicy{Name: name, ARN: a, Version: id, Document: doc, Path: policyPath(a), ID: e.PolicyID,
		Description: cut(e.Description, maxDescription), Attachable: e.IsAttachable == nil || *e.IsAttachable}
	if len(p.ID) > 128 {
		return SnapshotPolicy{}, fmt.Errorf("PolicyId of %d bytes", len(p.ID))
	}
	if e.CreateDate != "" {
		if p.Created, err = time.Parse(time.RFC3339, e.CreateDate); err != nil {
			return SnapshotPolicy{}, fmt.Errorf("CreateDate %.40q: %w", e.CreateDate, err)
		}
	}
	if date != "" {
		if p.Date, err = time.Parse(time.RFC3339, date); err != nil {
			return SnapshotPolicy{}, fmt.Errorf("%s: date %.40q: %w", id, date, err)
		}
	}
	return p, nil
}

// snapshotDocument returns a document as compact JSON: an object as it
// stands, a string URL-decoded first (IAM returns documents "URL-encoded
// compliant with RFC 3986", IAM API Reference, PolicyVersion).
func snapshotDocument(raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return "", errors.New("no document")
	}
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", err
		}
		dec, err := url.PathUnescape(s)
		if err != nil {
			return "", fmt.Errorf("document: %w", err)
		}
		raw = []byte(dec)
	}
	if len(raw) > MaxDocument || !utf8.Valid(raw) {
		return "", fmt.Errorf("document: UTF-8 of at most %d bytes", MaxDocument)
	}
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return "", fmt.Errorf("document: %w", err)
	}
	if b.Len() == 0 || b.Bytes()[0] != '{' {
		return "", errors.New("document: not a JSON object")
	}
	return b.String(), nil
}

// policyPath is the path of an AWS managed policy's ARN
// ("arn:aws:iam::aws:policy/job-function/ViewOnlyAccess" → "/job-function/").
func policyPath(a string) string {
	res := a[strings.Index(a, ":policy/")+len(":policy"):]
	return res[:strings.LastIndexByte(res, '/')+1]
}
