package managed

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/internal/store"
)

//go:generate go test -run TestGenerate -generate .

//go:embed data/index.json.gz
var embeddedIndex []byte

//go:embed data/documents.bin
var embeddedDocuments []byte

// Account is the pseudo-account that owns every AWS managed policy:
// arn:aws:iam::aws:policy/….
const Account = arn.AWSAccount

// ServiceRolePath is the path of the policies that only service-linked roles
// may carry: attaching one to a user, group or customer role fails with
// PolicyNotAttachable, although ListPolicies reports them attachable.
const ServiceRolePath = "/aws-service-role/"

// ErrNoVersion reports a version that the policy never had, or that was never
// recovered from the public sources.
var ErrNoVersion = errors.New("no such policy version")

// Policy is one AWS managed policy as IAM's GetPolicy describes it.
type Policy struct {
	Name string
	Path string
	ID   string
	// IDGenerated is true when the sources name no id for the policy (it is
	// newer than their snapshot) and ID was derived from the ARN.
	IDGenerated bool
	Description string
	CreateDate  time.Time
	UpdateDate  time.Time
	// DefaultVersion is the version in force, e.g. "v5".
	DefaultVersion string
	// Attachable is what ListPolicies reports (true even for service-role
	// policies, as AWS reports it).
	Attachable bool
	// VersionCount is how many versions AWS has published; Versions holds
	// those that were recovered, oldest first.
	VersionCount int
	Versions     []Version
}

// Version is one recovered version of an AWS managed policy.
type Version struct {
	ID         string
	CreateDate time.Time
	// DateUnknown is true when the sources do not know the version's date:
	// CreateDate is then the date of the next version whose date is known.
	DateUnknown bool
	offset      int
	length      int
	// published is true for a version the service published after the
	// library was built (Registry): its document is in the store.
	published bool
}

// Published reports whether the service published v after the embedded
// library was built.
func (v Version) Published() bool { return v.published }

// ARN returns arn:aws:iam::aws:policy<path><name>.
func (p *Policy) ARN() string { return arn.AWSManagedPolicy(p.Path, p.Name).String() }

// ServiceRole reports whether the policy may be carried only by a
// service-linked role.
func (p *Policy) ServiceRole() bool { return strings.HasPrefix(p.Path, ServiceRolePath) }

// Version returns the recovered version id, or false.
func (p *Policy) Version(id string) (Version, bool) {
	for _, v := range p.Versions {
		if v.ID == id {
			return v, true
		}
	}
	return Version{}, false
}

// Library is the set of AWS managed policies that ships with iamq, decoded on
// first use. It is safe for concurrent use; documents are decompressed on
// each request and not kept, so that carrying all 1,594 policies with their
// 6,194 versions costs little memory.
type Library struct {
	index, documents []byte

	once     sync.Once
	err      error
	policies []*Policy
	byARN    map[string]*Policy
}

// Builtin returns the library embedded in the binary.
func Builtin() *Library {
	return &Library{index: embeddedIndex, documents: embeddedDocuments}
}

func (l *Library) load() error {
	l.once.Do(func() {
		zr, err := gzip.NewReader(bytes.NewReader(l.index))
		if err != nil {
			l.err = fmt.Errorf("managed policy index: %w", err)
			return
		}
		var entries []indexPolicy
		if err := json.NewDecoder(zr).Decode(&entries); err != nil {
			l.err = fmt.Errorf("managed policy index: %w", err)
			return
		}
		l.policies = make([]*Policy, len(entries))
		l.byARN = make(map[string]*Policy, len(entries))
		for i, e := range entries {
			p := e.policy()
			l.policies[i] = p
			l.byARN[p.ARN()] = p
		}
		sort.Slice(l.policies, func(i, j int) bool { return l.policies[i].Name < l.policies[j].Name })
	})
	return l.err
}

// Policies returns every policy, sorted by name. The slice and the policies
// are shared: callers must not change them.
func (l *Library) Policies() ([]*Policy, error) {
	if err := l.load(); err != nil {
		return nil, err
	}
	return l.policies, nil
}

// Lookup returns the policy with the given ARN.
func (l *Library) Lookup(policyARN string) (*Policy, bool) {
	if l.load() != nil {
		return nil, false
	}
	p, ok := l.byARN[policyARN]
	return p, ok
}

// Document returns the text of one version of p, compact JSON in the order the
// source wrote it.
func (l *Library) Document(p *Policy, versionID string) (string, error) {
	v, ok := p.Version(versionID)
	if !ok {
		return "", fmt.Errorf("%w: %s %s", ErrNoVersion, p.ARN(), versionID)
	}
	if v.published {
		return "", fmt.Errorf("%w: %s %s is published, not embedded (ask the Registry)", ErrNoVersion, p.ARN(), versionID)
	}
	if v.offset < 0 || v.offset+v.length > len(l.documents) {
		return "", fmt.Errorf("managed policy %s %s: document out of range", p.ARN(), versionID)
	}
	zr := flate.NewReader(bytes.NewReader(l.documents[v.offset : v.offset+v.length]))
	defer zr.Close()
	var b strings.Builder
	if _, err := io.Copy(&b, zr); err != nil {
		return "", fmt.Errorf("managed policy %s %s: %w", p.ARN(), versionID, err)
	}
	return b.String(), nil
}

// DefaultVersion returns the id and document of the version in force of the
// AWS managed policy policyARN; an unknown ARN is an error wrapping
// store.ErrNotFound.
func (l *Library) DefaultVersion(ctx context.Context, policyARN string) (versionID, document string, err error) {
	p, ok := l.Lookup(policyARN)
	if !ok {
		return "", "", fmt.Errorf("policy %s: %w", policyARN, store.ErrNotFound)
	}
	doc, err := l.Document(p, p.DefaultVersion)
	return p.DefaultVersion, doc, err
}
