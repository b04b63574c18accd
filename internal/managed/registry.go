package managed

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/iamq/iamq/internal/catalog"
	"github.com/iamq/iamq/internal/store"
	"github.com/iamq/iamq/policy"
)

// ErrInvalidDocument reports a document that Publish refuses: it is not a
// valid identity policy.
var ErrInvalidDocument = errors.New("managed: invalid policy document")

// RegistryOptions configure a Registry. The zero value is the default.
type RegistryOptions struct {
	// Logger receives operational logs; nil discards them.
	Logger *slog.Logger
	// Now is the clock that dates published changes; nil means time.Now.
	Now func() time.Time
	// Catalog is the service catalog before any catalog update the store
	// holds is applied; nil means catalog.Embedded().
	Catalog *catalog.Catalog
}

// Registry is the AWS managed policies as they stand now: the embedded
// Library, with the versions the service published since (kept in the
// store) laid over it. It answers what the IAM API and the authorizer ask
// (Policies, Lookup, Document, DefaultVersion) from memory, so that callers
// may ask it inside a store transaction; Publish, Start and Refresh read and
// write the store. Managed policies are references: identities hold the
// ARN, and DefaultVersion names the version in force, so a published default
// applies to every attached identity in every account at once.
//
// It is safe for concurrent use.
type Registry struct {
	lib *Library
	st  store.Store
	log *slog.Logger
	now func() time.Time

	refresh sync.Mutex // one Refresh at a time, so an older read never replaces a newer

	mu        sync.RWMutex
	loaded    bool
	policies  []*Policy          // the library's, with published policies replaced
	byARN     map[string]*Policy // only the policies that have published versions
	docs      map[string]string  // ARN + "@" + version id → published document
	listeners []func()
	ctx       context.Context // Start's: it bounds the loads Apply makes
	cat       liveCatalog
}

// NewRegistry returns a Registry over lib and the versions published in st.
func NewRegistry(lib *Library, st store.Store, o RegistryOptions) *Registry {
	r := &Registry{lib: lib, st: st, log: o.Logger, now: o.Now, docs: map[string]string{}}
	if r.log == nil {
		r.log = slog.New(slog.DiscardHandler)
	}
	if r.now == nil {
		r.now = time.Now
	}
	r.cat.base = o.Catalog
	return r
}

// OnChange registers fn, called after the registry took in newly published
// versions (its own or, once started, any node's). The authorizer's
// InvalidateAll belongs here: a compiled set built from the old default
// between the store's commit and the registry's refresh is then dropped.
func (r *Registry) OnChange(fn func()) {
	r.mu.Lock()
	r.listeners = append(r.listeners, fn)
	r.mu.Unlock()
}

// Policies returns every AWS managed policy, sorted by name, with its
// published versions. The slice and the policies are shared: callers must
// not change them.
func (r *Registry) Policies() ([]*Policy, error) {
	if err := r.ensure(); err != nil {
		return nil, err
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.policies, nil
}

// Lookup returns the policy with the given ARN, with its published versions.
func (r *Registry) Lookup(arn string) (*Policy, bool) {
	if r.ensure() != nil {
		return nil, false
	}
	r.mu.RLock()
	p, ok := r.byARN[arn]
	r.mu.RUnlock()
	if ok {
		return p, true
	}
	return r.lib.Lookup(arn)
}

// Document returns the text of one version of p: a published version's as
// published, an embedded one's from the library.
func (r *Registry) Document(p *Policy, versionID string) (string, error) {
	v, ok := p.Version(versionID)
	if !ok {
		return "", fmt.Errorf("%w: %s %s", ErrNoVersion, p.ARN(), versionID)
	}
	if !v.published {
		return r.lib.Document(p, versionID)
	}
	r.mu.RLock()
	doc, ok := r.docs[p.ARN()+"@"+versionID]
	r.mu.RUnlock()
	if !ok {
		return "", fmt.Errorf("%w: %s %s", ErrNoVersion, p.ARN(), versionID)
	}
	return doc, nil
}

// DefaultVersion returns the id and document of the version in force of the
// AWS managed policy arn (authz.AWSPolicies); an unknown ARN is an error
// wrapping store.ErrNotFound.
func (r *Registry) DefaultVersion(ctx context.Context, arn string) (versionID, document string, err error) {
	p, ok := r.Lookup(arn)
	if !ok {
		return "", "", fmt.Errorf("policy %s: %w", arn, store.ErrNotFound)
	}
	doc, err := r.Document(p, p.DefaultVersion)
	return p.DefaultVersion, doc, err
}

// Publish publishes a new version of the AWS managed policy arn, numbered
// after every version it has had, and makes it the default when
// setDefault. It is the raw store write, without the monotonic check and
// without a history entry: tests use it to set up versions. Services
// publish with PublishUpdate (and ApplyCatalog), which prove the update and
// record it. The document must be a valid identity policy; AWS managed
// policies are exempt from the customer size quota.
func (r *Registry) Publish(ctx context.Context, arn, document string, setDefault bool) (Version, error) {
	p, ok := r.lib.Lookup(arn)
	if !ok {
		return Version{}, fmt.Errorf("publish %s: %w", arn, store.ErrNotFound)
	}
	if err := checkDocument(document); err != nil {
		return Version{}, err
	}
	pv, err := r.st.PublishAWSPolicyVersion(ctx, store.AWSPolicyPublish{ARN: arn, Document: document,
		Embedded: p.VersionCount, SetDefault: setDefault})
	if err != nil {
		return Version{}, err
	}
	if err := r.Refresh(ctx); err != nil {
		return Version{}, err
	}
	return Version{ID: pv.ID, CreateDate: pv.Created, published: true}, nil
}

// checkDocument refuses a document that is not a valid identity policy.
func checkDocument(document string) error {
	d, err := policy.Parse(document)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidDocument, err)
	}
	for _, f := range d.Validate(policy.KindIdentity) {
		if f.Severity == policy.SeverityError {
			return fmt.Errorf("%w: %s", ErrInvalidDocument, f.Message)
		}
	}
	return nil
}

// ensure loads the published versions on first use. A registry that was
// started is loaded already; otherwise the first caller reads the store.
func (r *Registry) ensure() error {
	r.mu.RLock()
	loaded := r.loaded
	r.mu.RUnlock()
	if loaded {
		return nil
	}
	return r.Refresh(context.Background())
}

// Refresh reads the published versions from the store, lays them over the
// library and tells the OnChange listeners.
func (r *Registry) Refresh(ctx context.Context) error {
	r.refresh.Lock()
	defer r.refresh.Unlock()
	all, err := r.lib.Policies()
	if err != nil {
		return err
	}
	list, err := r.st.AWSPolicyVersions(ctx)
	if err != nil {
		return err
	}
	if err := r.refreshCatalog(ctx); err != nil {
		return err
	}
	r.mu.RLock()
	known := r.docs
	r.mu.RUnlock()
	docs := make(map[string]string, len(list))
	for _, v := range list {
		key := v.ARN + "@" + v.ID
		if doc, ok := known[key]; ok { // versions never change
			docs[key] = doc
			continue
		}
		full, err := r.st.AWSPolicyVersion(ctx, v.ARN, v.ID)
		if err != nil {
			return err
		}
		docs[key] = full.Document
	}
	byARN := overlay(r.lib, list, r.log)
	policies := all
	if len(byARN) > 0 {
		policies = make([]*Policy, len(all))
		for i, p := range all {
			if o, ok := byARN[p.ARN()]; ok {
				p = o
			}
			policies[i] = p
		}
		for a, p := range byARN { // policies a sync added
			if _, ok := r.lib.Lookup(a); !ok {
				policies = append(policies, p)
			}
		}
		sort.Slice(policies, func(i, j int) bool { return policies[i].Name < policies[j].Name })
	}
	r.mu.Lock()
	r.loaded, r.policies, r.byARN, r.docs = true, policies, byARN, docs
	listeners := r.listeners
	r.mu.Unlock()
	for _, fn := range listeners {
		fn()
	}
	return nil
}

// overlay builds, for each policy with published versions, a copy of the
// library's policy with those versions appended; the default and the update
// date follow the published default, if any.
func overlay(lib *Library, list []store.AWSPolicyVersion, log *slog.Logger) map[string]*Policy {
	out := map[string]*Policy{}
	for _, v := range list {
		p, ok := out[v.ARN]
		if !ok {
			base, found := lib.Lookup(v.ARN)
			if !found && v.Policy != "" { // added by a sync
				base, found = decodeNewPolicy(v.Policy), decodeNewPolicy(v.Policy) != nil
			}
			if !found {
				log.Warn("published version of an AWS managed policy the library lacks", "arn", v.ARN, "version", v.ID)
				continue
			}
			c := *base
			c.Versions = append([]Version(nil), base.Versions...)
			p = &c
			out[v.ARN] = p
		}
		p.Versions = append(p.Versions, Version{ID: v.ID, CreateDate: v.Created, published: true})
		if n, _ := strconv.Atoi(strings.TrimPrefix(v.ID, "v")); n > p.VersionCount {
			p.VersionCount = n
		}
		if v.IsDefault {
			p.DefaultVersion, p.UpdateDate = v.ID, v.Created
		}
	}
	return out
}

// Start loads the published versions; the process's store.Follower then
// keeps them in step with the store's change sequence through Apply, so that
// a version published on any node is in force here within about a second.
// ctx bounds the loads that Apply makes.
func (r *Registry) Start(ctx context.Context) error {
	r.mu.Lock()
	r.ctx = ctx
	r.mu.Unlock()
	return r.Refresh(ctx)
}

// Apply reloads the published versions when changes publish one (or may
// have: a reset, pruned changes). The process's store.Follower calls it with
// every change, in order.
func (r *Registry) Apply(changes []store.Change) {
	if !slices.ContainsFunc(changes, func(c store.Change) bool { return c.Kind == store.KindAWSPolicy || c.Kind == store.KindAll }) {
		return
	}
	r.mu.RLock()
	ctx := r.ctx
	r.mu.RUnlock()
	if ctx == nil {
		return // not started: nothing loaded to keep in step
	}
	if err := r.Refresh(ctx); err != nil && ctx.Err() == nil {
		r.log.Warn("refreshing published AWS managed policies", "err", err)
	}
}
