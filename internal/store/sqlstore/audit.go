package sqlstore

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/iamq/iamq/internal/store"
)

// AppendAudit adds records to the decision log in one write transaction:
// one row of packed records, and the per-entity, per-action sums of the
// records that were authorized.
func (s *Engine) AppendAudit(ctx context.Context, records []store.AuditRecord) error {
	if len(records) == 0 {
		return nil
	}
	first, last := records[0].Time, records[0].Time
	for _, r := range records {
		if r.ID == "" {
			return fmt.Errorf("%w: an audit record needs an id", store.ErrInvalid)
		}
		first, last = minTime(first, r.Time), maxTime(last, r.Time)
	}
	sums := sumAccesses(records)
	// The packing buffer is reused: a batch is some hundred kilobytes.
	buf, _ := s.packs.Get().(*[]byte)
	if buf == nil {
		buf = new([]byte)
	}
	*buf = appendPack((*buf)[:0], records)
	packed := string(*buf)
	s.packs.Put(buf)
	return s.writeRelaxed(ctx, func(t *sqlTx) error {
		if _, err := t.exec(`INSERT INTO audit_batches (id, first_at, last_at, records) VALUES ($1, $2, $3, $4)`,
			records[0].ID, nanos(first), nanos(last), packed); err != nil {
			return err
		}
		for _, a := range sums {
			if _, err := t.exec(`INSERT INTO audit_access (account, entity, action, service, region, last_at, calls)
				VALUES ($1, $2, $3, $4, $5, $6, $7)
				ON CONFLICT (account, entity, action) DO UPDATE SET
					calls = audit_access.calls + excluded.calls,
					region = CASE WHEN excluded.last_at > audit_access.last_at THEN excluded.region ELSE audit_access.region END,
					last_at = CASE WHEN excluded.last_at > audit_access.last_at THEN excluded.last_at ELSE audit_access.last_at END`,
				a.Account, a.Entity, a.Action, a.Service, a.Region, nanos(a.Last), a.Count); err != nil {
				return err
			}
		}
		return nil
	})
}

// accountAccess is an AuditAccess with its account.
type accountAccess struct {
	store.AuditAccess
	Account string
}

// sumAccesses sums up the authorized records per account, entity and
// action (a decision of "" was decided by no policy).
func sumAccesses(records []store.AuditRecord) []accountAccess {
	idx := map[[3]string]int{}
	var out []accountAccess
	last := -1 // the previous record's sum: a caller's calls mostly repeat
	for _, r := range records {
		if r.Decision == "" || r.Account == "" {
			continue
		}
		i := last
		if i < 0 || out[i].Account != r.Account || out[i].Entity != r.Entity || out[i].Action != r.Action {
			k := [3]string{r.Account, r.Entity, r.Action}
			var ok bool
			if i, ok = idx[k]; !ok {
				i = len(out)
				idx[k] = i
				out = append(out, accountAccess{Account: r.Account, AuditAccess: store.AuditAccess{Entity: r.Entity, Service: r.Service, Action: r.Action}})
			}
			last = i
		}
		a := &out[i]
		a.Count++
		if a.Last.IsZero() || r.Time.After(a.Last) {
			a.Last, a.Region = r.Time, r.Region
		}
	}
	return out
}

// AuditRecords returns the records q selects, oldest first; past the limit,
// the newest. Batches are read newest first until no older one can hold a
// record among the newest limit.
func (s *Engine) AuditRecords(ctx context.Context, q store.AuditQuery) ([]store.AuditRecord, error) {
	limit := q.Limit
	switch {
	case limit < 0 || limit > store.MaxAuditLimit:
		return nil, fmt.Errorf("%w: audit limit %d is not within 0..%d", store.ErrInvalid, limit, store.MaxAuditLimit)
	case limit == 0:
		limit = store.DefaultAuditLimit
	}
	sqlText := `SELECT last_at, records FROM audit_batches WHERE last_at >= $1`
	args := []any{nanos(q.Since)}
	if !q.Until.IsZero() {
		sqlText += ` AND first_at < $2`
		args = append(args, nanos(q.Until))
	}
	rows, err := s.reader.QueryContext(ctx, sqlText+` ORDER BY last_at DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: audit records: %w", err)
	}
	defer rows.Close()
	var out []store.AuditRecord
	action := strings.ToLower(q.Action)
	keep := func(r store.AuditRecord) {
		if (q.Account == "" || r.Account == q.Account) && (q.Principal == "" || r.Principal == q.Principal || r.Entity == q.Principal) &&
			(action == "" || strings.ToLower(r.Action) == action) && (q.Decision == "" || r.Decision == q.Decision) &&
			!r.Time.Before(q.Since) && (q.Until.IsZero() || r.Time.Before(q.Until)) {
			out = append(out, r)
		}
	}
	for rows.Next() {
		var lastAt int64
		var packed string
		if err := rows.Scan(&lastAt, &packed); err != nil {
			return nil, fmt.Errorf("store: audit records: %w", err)
		}
		if len(out) >= limit {
			newestFirst(out)
			out = out[:limit]
			if lastAt < nanos(out[limit-1].Time) {
				break // every record of this batch and the older ones is older
			}
		}
		if err := unpackAudit(packed, keep); err != nil {
			return nil, err
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: audit records: %w", err)
	}
	newestFirst(out)
	out = out[:min(len(out), limit)]
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}

// newestFirst sorts records by time then id, newest first.
func newestFirst(rs []store.AuditRecord) {
	sort.Slice(rs, func(i, j int) bool {
		if !rs[i].Time.Equal(rs[j].Time) {
			return rs[i].Time.After(rs[j].Time)
		}
		return rs[i].ID > rs[j].ID
	})
}

// maxAuditEntities bounds the entities of one AuditAccesses call (a policy
// attached to many entities is asked about in several calls).
const maxAuditEntities = 500

// AuditAccesses returns the sums of account's entities' authorized calls,
// per entity and action, for the actions last called at or after since.
func (s *Engine) AuditAccesses(ctx context.Context, account string, entities []string, since time.Time) ([]store.AuditAccess, error) {
	if len(entities) > maxAuditEntities {
		return nil, fmt.Errorf("%w: %d entities in one audit query (at most %d)", store.ErrInvalid, len(entities), maxAuditEntities)
	}
	args := []any{account, nanos(since)}
	sqlText := `SELECT entity, service, action, region, last_at, calls FROM audit_access WHERE account = $1 AND last_at >= $2`
	if len(entities) > 0 {
		var in []string
		for _, e := range entities {
			args = append(args, e)
			in = append(in, "$"+strconv.Itoa(len(args)))
		}
		sqlText += " AND entity IN (" + strings.Join(in, ", ") + ")"
	}
	rows, err := s.reader.QueryContext(ctx, sqlText+" ORDER BY entity, service, action", args...)
	if err != nil {
		return nil, fmt.Errorf("store: audit accesses: %w", err)
	}
	defer rows.Close()
	var out []store.AuditAccess
	for rows.Next() {
		var a store.AuditAccess
		var at int64
		if err := rows.Scan(&a.Entity, &a.Service, &a.Action, &a.Region, &at, &a.Count); err != nil {
			return nil, fmt.Errorf("store: audit accesses: %w", err)
		}
		a.Last = fromNanos(at)
		out = append(out, a)
	}
	return out, rows.Err()
}

// PruneAudit deletes the records made before tm: whole batches, and the
// older records of a batch that straddles tm; and the sums of the actions
// last called before tm.
func (s *Engine) PruneAudit(ctx context.Context, tm time.Time) (int, error) {
	deleted := 0
	err := s.write(ctx, "", func(t *sqlTx) error {
		rows, err := t.tx.QueryContext(ctx, `SELECT id, last_at, records FROM audit_batches WHERE first_at < $1`, nanos(tm))
		if err != nil {
			return err
		}
		type batch struct {
			id     string
			lastAt int64
			packed string
		}
		var old []batch
		for rows.Next() {
			var b batch
			if err := rows.Scan(&b.id, &b.lastAt, &b.packed); err != nil {
				rows.Close()
				return err
			}
			old = append(old, b)
		}
		rows.Close()
		for _, b := range old {
			var kept []store.AuditRecord
			if err := unpackAudit(b.packed, func(r store.AuditRecord) {
				if r.Time.Before(tm) {
					deleted++
				} else {
					kept = append(kept, r)
				}
			}); err != nil {
				return err
			}
			if len(kept) == 0 {
				_, err = t.exec(`DELETE FROM audit_batches WHERE id = $1`, b.id)
			} else {
				first := kept[0].Time
				for _, r := range kept {
					first = minTime(first, r.Time)
				}
				_, err = t.exec(`UPDATE audit_batches SET first_at = $2, records = $3 WHERE id = $1`, b.id, nanos(first), packAudit(kept))
			}
			if err != nil {
				return err
			}
		}
		_, err = t.exec(`DELETE FROM audit_access WHERE last_at < $1`, nanos(tm))
		return err
	})
	return deleted, err
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
