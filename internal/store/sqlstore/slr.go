package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/iamq/iamq/internal/store"
)

// PutDeletionTask creates or replaces a deletion task.
func (s *Engine) PutDeletionTask(ctx context.Context, t store.DeletionTask) error {
	if t.AccountID == "" || t.ID == "" || t.Status == "" {
		return fmt.Errorf("%w: deletion task %q of account %q, status %q", store.ErrInvalid, t.ID, t.AccountID, t.Status)
	}
	usage := ""
	if len(t.Usage) > 0 {
		b, err := json.Marshal(t.Usage)
		if err != nil {
			return fmt.Errorf("store: deletion task usage: %w", err)
		}
		usage = string(b)
	}
	return s.write(ctx, "", func(tx *sqlTx) error {
		_, err := tx.exec(`INSERT INTO slr_deletions (account, id, status, reason, usage, created) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (account, id) DO UPDATE SET status = excluded.status, reason = excluded.reason, usage = excluded.usage`,
			t.AccountID, t.ID, string(t.Status), t.Reason, usage, nanos(t.Created))
		return err
	})
}

// DeletionTask returns one of account's deletion tasks.
func (s *Engine) DeletionTask(ctx context.Context, account, id string) (store.DeletionTask, error) {
	t := store.DeletionTask{AccountID: account, ID: id}
	var status, usage string
	var created int64
	err := s.reader.QueryRowContext(ctx,
		`SELECT status, reason, usage, created FROM slr_deletions WHERE account = $1 AND id = $2`, account, id).
		Scan(&status, &t.Reason, &usage, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return store.DeletionTask{}, fmt.Errorf("%w: deletion task %s", store.ErrNotFound, id)
	}
	if err != nil {
		return store.DeletionTask{}, fmt.Errorf("store: deletion task: %w", err)
	}
	t.Status, t.Created = store.TaskStatus(status), fromNanos(created)
	if usage != "" {
		if err := json.Unmarshal([]byte(usage), &t.Usage); err != nil {
			return store.DeletionTask{}, fmt.Errorf("store: deletion task usage: %w", err)
		}
	}
	return t, nil
}
