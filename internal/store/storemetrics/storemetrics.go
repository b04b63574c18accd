// Package storemetrics times a [store.Store]'s operations: [Wrap] returns a
// store that records how long each call took in the histogram
// iamq_store_duration_seconds, labelled by operation (View and Update time
// the whole transaction, the function they run included).
//
// It imports internal/store (and prometheus/client_golang).
package storemetrics

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/iamq/iamq/internal/store"
)

// bounds are the histogram's upper bounds in seconds: from a cached read
// (tens of microseconds) to a write waiting for SQLite's one writer.
var bounds = []float64{0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5}

// ops are the operations timed, each one series made when wrapped.
var ops = [...]string{"View", "Update", "CreateAccount", "Account", "Accounts", "UpdateAccount", "DeleteAccount", "Reset",
	"AccessKey", "RecordKeyUse", "DeleteExpiredKeys", "PublishAWSPolicyVersion", "AWSPolicyVersions", "AWSPolicyVersion",
	"PutDeletionTask", "DeletionTask", "Changes", "LastSeq", "PruneChanges",
	"AppendHistory", "History", "HistoryEntry", "ApplyCatalog", "CatalogUpdates", "PublishAWSPolicyVersions",
	"AppendAudit", "AuditRecords", "AuditAccesses", "PruneAudit",
	"PutPolicyGeneration", "PolicyGeneration", "PolicyGenerations"}

// Store is a store.Store whose operations are timed.
type Store struct {
	st  store.Store
	vec *prometheus.HistogramVec
	obs map[string]prometheus.Observer // read-only after Wrap
}

// Wrap returns st timed, its histogram registered with reg.
func Wrap(st store.Store, reg prometheus.Registerer) (*Store, error) {
	vec := prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "iamq_store_duration_seconds",
		Help: "Store operation latency by operation (View and Update: the whole transaction).", Buckets: bounds}, []string{"operation"})
	if err := reg.Register(vec); err != nil {
		return nil, err
	}
	s := &Store{st: st, vec: vec, obs: make(map[string]prometheus.Observer, len(ops))}
	for _, op := range ops {
		s.obs[op] = vec.WithLabelValues(op)
	}
	return s, nil
}

// done records the time since began under op.
func (s *Store) done(op string, began time.Time) { s.obs[op].Observe(time.Since(began).Seconds()) }

// The methods below are store.Store's, each timed under its own name.

// View runs the wrapped store's View.
func (s *Store) View(ctx context.Context, account string, fn func(store.Tx) error) error {
	defer s.done("View", time.Now())
	return s.st.View(ctx, account, fn)
}

func (s *Store) Update(ctx context.Context, account string, fn func(store.Tx) error) error {
	defer s.done("Update", time.Now())
	return s.st.Update(ctx, account, fn)
}

func (s *Store) CreateAccount(ctx context.Context, a store.Account) (store.Account, error) {
	defer s.done("CreateAccount", time.Now())
	return s.st.CreateAccount(ctx, a)
}

func (s *Store) Account(ctx context.Context, id string) (store.Account, error) {
	defer s.done("Account", time.Now())
	return s.st.Account(ctx, id)
}

func (s *Store) Accounts(ctx context.Context) ([]store.Account, error) {
	defer s.done("Accounts", time.Now())
	return s.st.Accounts(ctx)
}

func (s *Store) UpdateAccount(ctx context.Context, a store.Account) (store.Account, error) {
	defer s.done("UpdateAccount", time.Now())
	return s.st.UpdateAccount(ctx, a)
}

func (s *Store) DeleteAccount(ctx context.Context, id string) error {
	defer s.done("DeleteAccount", time.Now())
	return s.st.DeleteAccount(ctx, id)
}

func (s *Store) Reset(ctx context.Context) error {
	defer s.done("Reset", time.Now())
	return s.st.Reset(ctx)
}

func (s *Store) AccessKey(ctx context.Context, id string) (store.AccessKey, error) {
	defer s.done("AccessKey", time.Now())
	return s.st.AccessKey(ctx, id)
}

func (s *Store) RecordKeyUse(ctx context.Context, uses []store.KeyUse) error {
	defer s.done("RecordKeyUse", time.Now())
	return s.st.RecordKeyUse(ctx, uses)
}

func (s *Store) DeleteExpiredKeys(ctx context.Context, t time.Time) (int, error) {
	defer s.done("DeleteExpiredKeys", time.Now())
	return s.st.DeleteExpiredKeys(ctx, t)
}

func (s *Store) PublishAWSPolicyVersion(ctx context.Context, p store.AWSPolicyPublish) (store.AWSPolicyVersion, error) {
	defer s.done("PublishAWSPolicyVersion", time.Now())
	return s.st.PublishAWSPolicyVersion(ctx, p)
}

func (s *Store) AWSPolicyVersions(ctx context.Context) ([]store.AWSPolicyVersion, error) {
	defer s.done("AWSPolicyVersions", time.Now())
	return s.st.AWSPolicyVersions(ctx)
}

func (s *Store) AWSPolicyVersion(ctx context.Context, arn, versionID string) (store.AWSPolicyVersion, error) {
	defer s.done("AWSPolicyVersion", time.Now())
	return s.st.AWSPolicyVersion(ctx, arn, versionID)
}

func (s *Store) ApplyCatalog(ctx context.Context, u store.CatalogUpdate) (bool, []store.AWSPolicyVersion, error) {
	defer s.done("ApplyCatalog", time.Now())
	return s.st.ApplyCatalog(ctx, u)
}

func (s *Store) PublishAWSPolicyVersions(ctx context.Context, ps []store.AWSPolicyPublish) ([]store.AWSPolicyVersion, error) {
	defer s.done("PublishAWSPolicyVersions", time.Now())
	return s.st.PublishAWSPolicyVersions(ctx, ps)
}

func (s *Store) CatalogUpdates(ctx context.Context, withData bool) ([]store.CatalogUpdate, error) {
	defer s.done("CatalogUpdates", time.Now())
	return s.st.CatalogUpdates(ctx, withData)
}

func (s *Store) PutDeletionTask(ctx context.Context, t store.DeletionTask) error {
	defer s.done("PutDeletionTask", time.Now())
	return s.st.PutDeletionTask(ctx, t)
}

func (s *Store) DeletionTask(ctx context.Context, account, id string) (store.DeletionTask, error) {
	defer s.done("DeletionTask", time.Now())
	return s.st.DeletionTask(ctx, account, id)
}

func (s *Store) Changes(ctx context.Context, after int64, limit int) ([]store.Change, error) {
	defer s.done("Changes", time.Now())
	return s.st.Changes(ctx, after, limit)
}

func (s *Store) LastSeq(ctx context.Context) (int64, error) {
	defer s.done("LastSeq", time.Now())
	return s.st.LastSeq(ctx)
}

func (s *Store) PruneChanges(ctx context.Context, t time.Time) (int, error) {
	defer s.done("PruneChanges", time.Now())
	return s.st.PruneChanges(ctx, t)
}

func (s *Store) AppendHistory(ctx context.Context, entries []store.HistoryEntry) (int, error) {
	defer s.done("AppendHistory", time.Now())
	return s.st.AppendHistory(ctx, entries)
}

func (s *Store) History(ctx context.Context, q store.HistoryQuery) (store.Page[store.HistoryEntry], error) {
	defer s.done("History", time.Now())
	return s.st.History(ctx, q)
}

func (s *Store) HistoryEntry(ctx context.Context, id string) (store.HistoryEntry, error) {
	defer s.done("HistoryEntry", time.Now())
	return s.st.HistoryEntry(ctx, id)
}

func (s *Store) AppendAudit(ctx context.Context, records []store.AuditRecord) error {
	defer s.done("AppendAudit", time.Now())
	return s.st.AppendAudit(ctx, records)
}

func (s *Store) AuditRecords(ctx context.Context, q store.AuditQuery) ([]store.AuditRecord, error) {
	defer s.done("AuditRecords", time.Now())
	return s.st.AuditRecords(ctx, q)
}

func (s *Store) AuditAccesses(ctx context.Context, account string, entities []string, since time.Time) ([]store.AuditAccess, error) {
	defer s.done("AuditAccesses", time.Now())
	return s.st.AuditAccesses(ctx, account, entities, since)
}

func (s *Store) PruneAudit(ctx context.Context, t time.Time) (int, error) {
	defer s.done("PruneAudit", time.Now())
	return s.st.PruneAudit(ctx, t)
}

func (s *Store) PutPolicyGeneration(ctx context.Context, g store.PolicyGeneration, create bool) error {
	defer s.done("PutPolicyGeneration", time.Now())
	return s.st.PutPolicyGeneration(ctx, g, create)
}

func (s *Store) PolicyGeneration(ctx context.Context, account, id, clientToken string) (store.PolicyGeneration, error) {
	defer s.done("PolicyGeneration", time.Now())
	return s.st.PolicyGeneration(ctx, account, id, clientToken)
}

func (s *Store) PolicyGenerations(ctx context.Context, account, principal string) ([]store.PolicyGeneration, error) {
	defer s.done("PolicyGenerations", time.Now())
	return s.st.PolicyGenerations(ctx, account, principal)
}

// Subscribe is not timed: it returns at once and lasts as long as ctx.
func (s *Store) Subscribe(ctx context.Context) <-chan int64 { return s.st.Subscribe(ctx) }

// Close closes the wrapped store.
func (s *Store) Close() error { return s.st.Close() }

var _ store.Store = (*Store)(nil)
