package sqlstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/iamq/iamq/internal/store"
)

// AppendAudit adds records to the decision log in one write transaction.
func (s *Engine) AppendAudit(ctx context.Context, records []store.AuditRecord) error {
	if len(records) == 0 {
		return nil
	}
	return s.write(ctx, "", func(t *sqlTx) error {
		for _, r := range records {
			if r.ID == "" {
				return fmt.Errorf("%w: an audit record needs an id", store.ErrInvalid)
			}
			if _, err := t.exec(`INSERT INTO audit_log (id, at, account, principal, entity, service, action, region, decision, error_code, event)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
				r.ID, nanos(r.Time), r.Account, r.Principal, r.Entity, r.Service, r.Action, r.Region,
				r.Decision, r.ErrorCode, string(r.Event)); err != nil {
				return err
			}
		}
		return nil
	})
}

// AuditRecords returns the records q selects, oldest first; past the limit,
// the newest.
func (s *Engine) AuditRecords(ctx context.Context, q store.AuditQuery) ([]store.AuditRecord, error) {
	limit := q.Limit
	switch {
	case limit < 0 || limit > store.MaxAuditLimit:
		return nil, fmt.Errorf("%w: audit limit %d is not within 0..%d", store.ErrInvalid, limit, store.MaxAuditLimit)
	case limit == 0:
		limit = store.DefaultAuditLimit
	}
	var where []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args))))
	}
	if q.Account != "" {
		add("account = ?", q.Account)
	}
	if q.Principal != "" {
		args = append(args, q.Principal)
		n := "$" + strconv.Itoa(len(args))
		where = append(where, "(principal = "+n+" OR entity = "+n+")")
	}
	if q.Action != "" {
		add("LOWER(action) = ?", strings.ToLower(q.Action))
	}
	if q.Decision != "" {
		add("decision = ?", q.Decision)
	}
	if !q.Since.IsZero() {
		add("at >= ?", nanos(q.Since))
	}
	if !q.Until.IsZero() {
		add("at < ?", nanos(q.Until))
	}
	sqlText := `SELECT id, at, account, principal, entity, service, action, region, decision, error_code, event FROM audit_log`
	if len(where) > 0 {
		sqlText += " WHERE " + strings.Join(where, " AND ")
	}
	args = append(args, limit)
	sqlText += " ORDER BY at DESC, id DESC LIMIT $" + strconv.Itoa(len(args))
	rows, err := s.reader.QueryContext(ctx, sqlText, args...)
	if err != nil {
		return nil, fmt.Errorf("store: audit records: %w", err)
	}
	defer rows.Close()
	var out []store.AuditRecord
	for rows.Next() {
		var r store.AuditRecord
		var at int64
		var event string
		if err := rows.Scan(&r.ID, &at, &r.Account, &r.Principal, &r.Entity, &r.Service, &r.Action, &r.Region, &r.Decision, &r.ErrorCode, &event); err != nil {
			return nil, fmt.Errorf("store: audit records: %w", err)
		}
		r.Time, r.Event = fromNanos(at), []byte(event)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: audit records: %w", err)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}

// maxAuditEntities bounds the entities of one AuditAccesses call (a policy
// attached to many entities is asked about in several calls).
const maxAuditEntities = 500

// AuditAccesses sums up the authorized calls of account's entities since a
// time, per entity and action.
func (s *Engine) AuditAccesses(ctx context.Context, account string, entities []string, since time.Time) ([]store.AuditAccess, error) {
	if len(entities) > maxAuditEntities {
		return nil, fmt.Errorf("%w: %d entities in one audit query (at most %d)", store.ErrInvalid, len(entities), maxAuditEntities)
	}
	args := []any{account, nanos(since)}
	sqlText := `SELECT entity, service, action, MAX(at), COUNT(*) FROM audit_log
		WHERE account = $1 AND at >= $2 AND decision <> ''`
	if len(entities) > 0 {
		var in []string
		for _, e := range entities {
			args = append(args, e)
			in = append(in, "$"+strconv.Itoa(len(args)))
		}
		sqlText += " AND entity IN (" + strings.Join(in, ", ") + ")"
	}
	sqlText += " GROUP BY entity, service, action ORDER BY entity, service, action"
	rows, err := s.reader.QueryContext(ctx, sqlText, args...)
	if err != nil {
		return nil, fmt.Errorf("store: audit accesses: %w", err)
	}
	defer rows.Close()
	var out []store.AuditAccess
	for rows.Next() {
		var a store.AuditAccess
		var at int64
		if err := rows.Scan(&a.Entity, &a.Service, &a.Action, &at, &a.Count); err != nil {
			return nil, fmt.Errorf("store: audit accesses: %w", err)
		}
		a.Last = fromNanos(at)
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: audit accesses: %w", err)
	}
	return out, s.fillAuditRegions(ctx, account, out)
}

// fillAuditRegions sets each access's Region to its latest call's.
func (s *Engine) fillAuditRegions(ctx context.Context, account string, accs []store.AuditAccess) error {
	for i := range accs {
		a := &accs[i]
		err := s.reader.QueryRowContext(ctx, `SELECT region FROM audit_log WHERE account = $1 AND entity = $2 AND action = $3 AND at = $4 LIMIT 1`,
			account, a.Entity, a.Action, nanos(a.Last)).Scan(&a.Region)
		if err != nil {
			return fmt.Errorf("store: audit accesses: %w", err)
		}
	}
	return nil
}

// PruneAudit deletes the records made before tm.
func (s *Engine) PruneAudit(ctx context.Context, tm time.Time) (int, error) {
	var n int64
	err := s.write(ctx, "", func(t *sqlTx) error {
		r, err := t.exec(`DELETE FROM audit_log WHERE at < $1`, nanos(tm))
		if err != nil {
			return err
		}
		n, err = r.RowsAffected()
		return err
	})
	return int(n), err
}
