package sqlstore

import (
	"database/sql"
	"fmt"
	"time"

	"github.com/iamq/iamq/internal/store"
)

// This file keeps the Amazon MQ control plane's records (store.MQRecord).
// They are not IAM configuration, so their writes record no change: a
// CreateBroker must not drop the account's compiled policy sets.

const mqColumns = `account, kind, region, parent, id, name, created, expires, document`

// live is the SQL condition "not expired at $n".
func live(n int) string { return fmt.Sprintf("(expires = 0 OR expires > $%d)", n) }

func scanMQ(row interface{ Scan(...any) error }) (store.MQRecord, error) {
	var r store.MQRecord
	var kind, doc string
	var created, expires int64
	if err := row.Scan(&r.AccountID, &kind, &r.Region, &r.Parent, &r.ID, &r.Name, &created, &expires, &doc); err != nil {
		return store.MQRecord{}, err
	}
	r.Kind, r.Created, r.Expires, r.Document = store.MQKind(kind), fromNanos(created), fromNanos(expires), []byte(doc)
	return r, nil
}

// PutMQRecord creates or replaces a record.
func (t *sqlTx) PutMQRecord(r store.MQRecord, create bool, now time.Time) error {
	if err := t.mustWrite(); err != nil {
		return err
	}
	if r.Kind == "" || r.Region == "" || r.ID == "" {
		return fmt.Errorf("%w: Amazon MQ record %q/%q/%q", store.ErrInvalid, r.Kind, r.Region, r.ID)
	}
	if !create {
		res, err := t.exec(`UPDATE mq_records SET name = $6, expires = $7, document = $8
			WHERE account = $1 AND kind = $2 AND region = $3 AND parent = $4 AND id = $5 AND `+live(9),
			t.acct.ID, string(r.Kind), r.Region, r.Parent, r.ID, r.Name, nanos(r.Expires), string(r.Document), nanos(now))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("%w: %s %s", store.ErrNotFound, r.Kind, r.ID)
		}
		return nil
	}
	if r.Name != "" {
		// Live records of the name refuse it; expired ones are purged.
		var all, alive int
		if err := t.tx.QueryRowContext(t.ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN `+live(5)+` THEN 1 ELSE 0 END), 0)
			FROM mq_records WHERE account = $1 AND kind = $2 AND region = $3 AND name = $4`,
			t.acct.ID, string(r.Kind), r.Region, r.Name, nanos(now)).Scan(&all, &alive); err != nil {
			return t.s.dbError(err)
		}
		if alive > 0 {
			return fmt.Errorf("%w: %s %s", store.ErrAlreadyExists, r.Kind, r.Name)
		}
		if all > 0 {
			if err := t.clearExpired(r, now); err != nil {
				return err
			}
		}
	}
	inserted, err := t.insertMQ(r)
	if err != nil || inserted {
		return err
	}
	// The key is taken: by an expired record, which goes, or a live one.
	if err := t.clearExpired(r, now); err != nil {
		return err
	}
	if inserted, err = t.insertMQ(r); err == nil && !inserted {
		err = fmt.Errorf("%w: %s %s", store.ErrAlreadyExists, r.Kind, r.ID)
	}
	return err
}

// insertMQ inserts r unless its key is taken (inserted false).
func (t *sqlTx) insertMQ(r store.MQRecord) (inserted bool, err error) {
	res, err := t.exec(`INSERT INTO mq_records (`+mqColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT (account, kind, parent, region, id) DO NOTHING`,
		t.acct.ID, string(r.Kind), r.Region, r.Parent, r.ID, r.Name, nanos(r.Created), nanos(r.Expires), string(r.Document))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// clearExpired deletes the expired records, with their children, that hold
// r's key or name.
func (t *sqlTx) clearExpired(r store.MQRecord, now time.Time) error {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT id FROM mq_records WHERE account = $1 AND kind = $2 AND region = $3
		AND parent = $4 AND (id = $5 OR (name = $6 AND name <> '')) AND expires > 0 AND expires <= $7`,
		t.acct.ID, string(r.Kind), r.Region, r.Parent, r.ID, r.Name, nanos(now))
	if err != nil {
		return t.s.dbError(err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return t.s.dbError(err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	for _, id := range ids {
		if err := t.DeleteMQRecord(r.Kind, r.Region, r.Parent, id); err != nil {
			return err
		}
	}
	return nil
}

// MQRecord returns a live record.
func (t *sqlTx) MQRecord(kind store.MQKind, region, parent, id string, now time.Time) (store.MQRecord, error) {
	row := t.tx.QueryRowContext(t.ctx, `SELECT `+mqColumns+` FROM mq_records
		WHERE account = $1 AND kind = $2 AND region = $3 AND parent = $4 AND id = $5 AND `+live(6),
		t.acct.ID, string(kind), region, parent, id, nanos(now))
	r, err := scanMQ(row)
	if err == sql.ErrNoRows {
		return store.MQRecord{}, fmt.Errorf("%w: %s %s", store.ErrNotFound, kind, id)
	}
	if err != nil {
		return store.MQRecord{}, fmt.Errorf("store: %w", err)
	}
	return r, nil
}

// MQRecords lists live records by region then id. The marker is the last
// item's region and id; the queries walk the primary key from it (for one
// region, region = and id >; for all, a row value), never filtering the
// rows before it.
func (t *sqlTx) MQRecords(o store.MQListOptions) (store.Page[store.MQRecord], error) {
	n, err := pageSize(store.ListOptions{MaxItems: o.MaxItems})
	if err != nil {
		return store.Page[store.MQRecord]{}, err
	}
	after, err := decodeMarker(o.Marker, 2)
	if err != nil {
		return store.Page[store.MQRecord]{}, err
	}
	args := []any{t.acct.ID, string(o.Kind), o.Parent, nanos(o.Now)}
	where := `account = $1 AND kind = $2 AND parent = $3 AND ` + live(4)
	if o.Region != "" {
		if o.Marker != "" && after[0] != o.Region {
			return store.Page[store.MQRecord]{}, fmt.Errorf("%w: Invalid Marker: %s", store.ErrInvalid, o.Marker)
		}
		where += ` AND region = $5 AND id > $6 ORDER BY id LIMIT $7`
		args = append(args, o.Region, after[1], n+1)
	} else {
		where += ` AND (region, id) > ($5, $6) ORDER BY region, id LIMIT $7`
		args = append(args, after[0], after[1], n+1)
	}
	rows, err := t.tx.QueryContext(t.ctx, `SELECT `+mqColumns+` FROM mq_records WHERE `+where, args...)
	if err != nil {
		return store.Page[store.MQRecord]{}, fmt.Errorf("store: list: %w", err)
	}
	defer rows.Close()
	var page store.Page[store.MQRecord]
	for rows.Next() {
		r, err := scanMQ(rows)
		if err != nil {
			return store.Page[store.MQRecord]{}, fmt.Errorf("store: list: %w", err)
		}
		if len(page.Items) == n {
			last := page.Items[n-1]
			page.Marker = encodeMarker(last.Region, last.ID)
			break
		}
		page.Items = append(page.Items, r)
	}
	if err := rows.Err(); err != nil {
		return store.Page[store.MQRecord]{}, fmt.Errorf("store: list: %w", err)
	}
	return page, nil
}

// DeleteMQRecord deletes a record and its children.
func (t *sqlTx) DeleteMQRecord(kind store.MQKind, region, parent, id string) error {
	res, err := t.exec(`DELETE FROM mq_records WHERE account = $1 AND kind = $2 AND region = $3 AND parent = $4 AND id = $5`,
		t.acct.ID, string(kind), region, parent, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%w: %s %s", store.ErrNotFound, kind, id)
	}
	_, err = t.exec(`DELETE FROM mq_records WHERE account = $1 AND region = $2 AND parent = $3 AND kind <> $4`,
		t.acct.ID, region, id, string(kind))
	return err
}
