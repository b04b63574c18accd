package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/iamq/iamq/internal/store"
)

// historyLock is the name whose write lock serializes history appends (the
// history belongs to no account; the lock only needs a key).
const historyLock = "history"

// AppendHistory stores the entries whose ID is not stored yet.
func (s *Engine) AppendHistory(ctx context.Context, entries []store.HistoryEntry) (int, error) {
	for _, e := range entries {
		if err := checkHistoryEntry(e); err != nil {
			return 0, err
		}
	}
	stored := 0
	err := s.write(ctx, historyLock, func(t *sqlTx) error {
		now := nanos(s.now().UTC())
		for _, e := range entries {
			r, err := t.tx.ExecContext(ctx, `INSERT INTO policy_history (id, sort_key, service, policy_arn, data, diff, stored)
				VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
				e.ID, e.Key, e.Service, e.PolicyARN, e.Data, e.Diff, now)
			if err != nil {
				if s.d.IsUniqueViolation(err) {
					return fmt.Errorf("%w: history entry %q: its key %q is another entry's", store.ErrAlreadyExists, e.ID, e.Key)
				}
				return s.dbError(err)
			}
			n, err := r.RowsAffected()
			if err != nil {
				return s.dbError(err)
			}
			stored += int(n)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return stored, nil
}

// checkHistoryEntry bounds an entry before it is written.
func checkHistoryEntry(e store.HistoryEntry) error {
	switch {
	case e.ID == "" || e.Key == "":
		return fmt.Errorf("%w: a history entry needs an ID and a Key", store.ErrInvalid)
	case len(e.ID) > store.MaxHistoryID || len(e.Key) > store.MaxHistoryID || len(e.Service) > store.MaxHistoryID ||
		len(e.PolicyARN) > store.MaxHistoryID:
		return fmt.Errorf("%w: history entry %.64q: ID, Key, Service and PolicyARN are at most %d bytes", store.ErrInvalid, e.ID, store.MaxHistoryID)
	case len(e.Data) > store.MaxHistoryData || len(e.Diff) > store.MaxHistoryDiff:
		return fmt.Errorf("%w: history entry %q: data or diff too large", store.ErrInvalid, e.ID)
	case strings.ContainsRune(e.Key, 0) || strings.ContainsRune(e.ID, 0):
		return fmt.Errorf("%w: history entry %q: NUL in ID or Key", store.ErrInvalid, e.ID)
	}
	return nil
}

// History lists a page of the history, greatest Key first.
func (s *Engine) History(ctx context.Context, q store.HistoryQuery) (store.Page[store.HistoryEntry], error) {
	n, err := pageSize(q.ListOptions)
	if err != nil {
		return store.Page[store.HistoryEntry]{}, err
	}
	after, err := decodeMarker(q.Marker, 1)
	if err != nil {
		return store.Page[store.HistoryEntry]{}, err
	}
	diff := "''"
	if q.WithDiff {
		diff = "diff"
	}
	// An empty marker part means "from the start": every key is below
	// the sentinel "\xff…" that no UTF-8 key reaches.
	before := after[0]
	if before == "" {
		before = "\U0010FFFF"
	}
	rows, err := s.reader.QueryContext(ctx, `SELECT id, sort_key, service, policy_arn, data, `+diff+`, stored
		FROM policy_history
		WHERE ($1 = '' OR service = $1) AND ($2 = '' OR policy_arn = $2) AND sort_key < $3
		ORDER BY sort_key DESC LIMIT $4`, q.Service, q.PolicyARN, before, n+1)
	if err != nil {
		return store.Page[store.HistoryEntry]{}, fmt.Errorf("store: history: %w", err)
	}
	defer rows.Close()
	var page store.Page[store.HistoryEntry]
	for rows.Next() {
		e, err := scanHistory(rows)
		if err != nil {
			return store.Page[store.HistoryEntry]{}, fmt.Errorf("store: history: %w", err)
		}
		if len(page.Items) == n {
			page.Marker = encodeMarker(page.Items[n-1].Key)
			break
		}
		page.Items = append(page.Items, e)
	}
	if err := rows.Err(); err != nil {
		return store.Page[store.HistoryEntry]{}, fmt.Errorf("store: history: %w", err)
	}
	return page, nil
}

// HistoryEntry returns one entry with its diff.
func (s *Engine) HistoryEntry(ctx context.Context, id string) (store.HistoryEntry, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT id, sort_key, service, policy_arn, data, diff, stored
		FROM policy_history WHERE id = $1`, id)
	if err != nil {
		return store.HistoryEntry{}, fmt.Errorf("store: history entry: %w", err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return store.HistoryEntry{}, fmt.Errorf("store: history entry: %w", err)
		}
		return store.HistoryEntry{}, fmt.Errorf("%w: history entry %q", store.ErrNotFound, id)
	}
	e, err := scanHistory(rows)
	if err != nil {
		return store.HistoryEntry{}, fmt.Errorf("store: history entry: %w", err)
	}
	return e, nil
}

func scanHistory(rows *sql.Rows) (store.HistoryEntry, error) {
	var e store.HistoryEntry
	var stored int64
	err := rows.Scan(&e.ID, &e.Key, &e.Service, &e.PolicyARN, &e.Data, &e.Diff, &stored)
	if errors.Is(err, sql.ErrNoRows) {
		return e, err
	}
	e.Stored = fromNanos(stored)
	return e, err
}
