package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/iamq/iamq/internal/store"
)

// This file keeps Access Analyzer's policy generation jobs
// (store.PolicyGeneration). They are not IAM configuration: their writes
// record no change.

const genColumns = `account, id, principal, client_token, started, data`

func scanGeneration(row interface{ Scan(...any) error }) (store.PolicyGeneration, error) {
	var g store.PolicyGeneration
	var started int64
	var data string
	if err := row.Scan(&g.Account, &g.ID, &g.Principal, &g.ClientToken, &started, &data); err != nil {
		return store.PolicyGeneration{}, err
	}
	g.Started, g.Data = fromNanos(started), []byte(data)
	return g, nil
}

// PutPolicyGeneration creates or replaces a job.
func (s *Engine) PutPolicyGeneration(ctx context.Context, g store.PolicyGeneration, create bool) error {
	if g.Account == "" || g.ID == "" {
		return fmt.Errorf("%w: a policy generation job needs an account and an id", store.ErrInvalid)
	}
	return s.write(ctx, "", func(t *sqlTx) error {
		if !create {
			res, err := t.exec(`UPDATE policy_generations SET principal = $3, started = $4, data = $5 WHERE account = $1 AND id = $2`,
				g.Account, g.ID, g.Principal, nanos(g.Started), string(g.Data))
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return fmt.Errorf("%w: policy generation %s", store.ErrNotFound, g.ID)
			}
			return nil
		}
		var n int
		if err := t.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM policy_generations WHERE account = $1 AND (id = $2 OR (client_token = $3 AND $3 <> ''))`,
			g.Account, g.ID, g.ClientToken).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("%w: policy generation %s", store.ErrAlreadyExists, g.ID)
		}
		if _, err := t.exec(`INSERT INTO policy_generations (`+genColumns+`) VALUES ($1, $2, $3, $4, $5, $6)`,
			g.Account, g.ID, g.Principal, g.ClientToken, nanos(g.Started), string(g.Data)); err != nil {
			return err
		}
		// The oldest jobs past the bound go.
		_, err := t.exec(`DELETE FROM policy_generations WHERE account = $1 AND id IN (
			SELECT id FROM policy_generations WHERE account = $1 ORDER BY started DESC, id DESC LIMIT 1000000000 OFFSET $2)`,
			g.Account, store.MaxPolicyGenerations)
		return err
	})
}

// PolicyGeneration returns a job by id or client token.
func (s *Engine) PolicyGeneration(ctx context.Context, account, id, clientToken string) (store.PolicyGeneration, error) {
	q, arg := `SELECT `+genColumns+` FROM policy_generations WHERE account = $1 AND id = $2`, id
	if id == "" {
		if clientToken == "" {
			return store.PolicyGeneration{}, fmt.Errorf("%w: a policy generation job is named by its id or client token", store.ErrInvalid)
		}
		q, arg = `SELECT `+genColumns+` FROM policy_generations WHERE account = $1 AND client_token = $2`, clientToken
	}
	g, err := scanGeneration(s.reader.QueryRowContext(ctx, q, account, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return store.PolicyGeneration{}, fmt.Errorf("%w: policy generation %s", store.ErrNotFound, id)
	}
	if err != nil {
		return store.PolicyGeneration{}, fmt.Errorf("store: policy generation: %w", s.dbError(err))
	}
	return g, nil
}

// PolicyGenerations lists an account's jobs, newest first.
func (s *Engine) PolicyGenerations(ctx context.Context, account, principal string) ([]store.PolicyGeneration, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT `+genColumns+` FROM policy_generations
		WHERE account = $1 AND ($2 = '' OR principal = $2) ORDER BY started DESC, id DESC`, account, principal)
	if err != nil {
		return nil, fmt.Errorf("store: policy generations: %w", s.dbError(err))
	}
	defer rows.Close()
	var out []store.PolicyGeneration
	for rows.Next() {
		g, err := scanGeneration(rows)
		if err != nil {
			return nil, fmt.Errorf("store: policy generations: %w", s.dbError(err))
		}
		out = append(out, g)
	}
	return out, rows.Err()
}
