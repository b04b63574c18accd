package sqlstore

import (
	"context"
	"fmt"

	"github.com/iamq/iamq/internal/store"
)

// ApplyCatalog stores a catalog update with its publishes in one
// transaction, unless an update with its ID is stored already.
func (s *Engine) ApplyCatalog(ctx context.Context, u store.CatalogUpdate) (bool, []store.AWSPolicyVersion, error) {
	if u.ID == "" || len(u.ID) > store.MaxHistoryID || len(u.Data) == 0 || len(u.Data) > store.MaxCatalogData ||
		len(u.Description) > store.MaxHistoryData {
		return false, nil, fmt.Errorf("%w: catalog update %.64q: an ID of at most %d bytes and 1 to %d bytes of data",
			store.ErrInvalid, u.ID, store.MaxHistoryID, store.MaxCatalogData)
	}
	for _, p := range u.Publishes {
		if err := checkPublish(p); err != nil {
			return false, nil, err
		}
		if p.Number == 0 {
			return false, nil, fmt.Errorf("%w: catalog update %q publishes %s without a Number", store.ErrInvalid, u.ID, p.ARN)
		}
	}
	var applied bool
	var out []store.AWSPolicyVersion
	err := s.write(ctx, awsLock, func(t *sqlTx) error {
		n, err := t.count(`SELECT COUNT(*) FROM catalog_updates WHERE id = $1`, u.ID)
		if err != nil || n > 0 {
			return err
		}
		var seq int64
		if err := t.tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM catalog_updates`).Scan(&seq); err != nil {
			return s.dbError(err)
		}
		if _, err := t.exec(`INSERT INTO catalog_updates (seq, id, data, description, applied) VALUES ($1, $2, $3, $4, $5)`,
			seq+1, u.ID, u.Data, u.Description, nanos(s.now().UTC())); err != nil {
			return err
		}
		for _, p := range u.Publishes {
			v, err := t.publishAWS(p)
			if err != nil {
				return err
			}
			out = append(out, v)
		}
		t.changed(store.KindAWSPolicy, store.OpCreate, "catalog/"+u.ID)
		applied = true
		return nil
	})
	if err != nil {
		return false, nil, err
	}
	return applied, out, nil
}

// CatalogUpdates lists the stored catalog updates in order.
func (s *Engine) CatalogUpdates(ctx context.Context, withData bool) ([]store.CatalogUpdate, error) {
	data := `''`
	if withData {
		data = `data`
	}
	rows, err := s.reader.QueryContext(ctx, `SELECT seq, id, `+data+`, description, applied FROM catalog_updates ORDER BY seq`)
	if err != nil {
		return nil, fmt.Errorf("store: catalog updates: %w", err)
	}
	defer rows.Close()
	var out []store.CatalogUpdate
	for rows.Next() {
		var u store.CatalogUpdate
		var applied int64
		var blob []byte
		if err := rows.Scan(&u.Seq, &u.ID, &blob, &u.Description, &applied); err != nil {
			return nil, fmt.Errorf("store: catalog updates: %w", err)
		}
		if withData {
			u.Data = blob
		}
		u.Applied = fromNanos(applied)
		out = append(out, u)
	}
	return out, rows.Err()
}
