package sqlstore

import (
	"database/sql"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/iamq/iamq/internal/store"
)

// markerVersion starts every marker, so that a later format can tell old
// markers apart.
const markerVersion = "1:"

// encodeMarker makes an opaque marker of the sort key of the last item on a
// page. Keys never contain NUL, which separates the parts.
func encodeMarker(parts ...string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(markerVersion + strings.Join(parts, "\x00")))
}

// decodeMarker returns the n parts of a marker; "" gives n empty parts,
// which sort before every key.
func decodeMarker(m string, n int) ([]string, error) {
	if m == "" {
		return make([]string, n), nil
	}
	b, err := base64.RawURLEncoding.DecodeString(m)
	if err != nil || !strings.HasPrefix(string(b), markerVersion) {
		return nil, fmt.Errorf("%w: Invalid Marker: %s", store.ErrInvalid, m)
	}
	parts := strings.Split(strings.TrimPrefix(string(b), markerVersion), "\x00")
	if len(parts) != n {
		return nil, fmt.Errorf("%w: Invalid Marker: %s", store.ErrInvalid, m)
	}
	return parts, nil
}

// pageSize returns the page size that o asks for.
func pageSize(o store.ListOptions) (int, error) {
	switch {
	case o.MaxItems == 0:
		return store.DefaultMaxItems, nil
	case o.MaxItems < 0 || o.MaxItems > store.MaxMaxItems:
		return 0, fmt.Errorf("%w: MaxItems must be between 1 and %d.", store.ErrInvalid, store.MaxMaxItems)
	}
	return o.MaxItems, nil
}

// list runs a keyset query. query must select the item's columns, take the
// marker's parts as its first placeholders after args ($len(args)+1 …), and
// the limit as the last one; scan reads one row and returns the item's sort
// key. It fetches one more row than the page holds to know whether more
// follow.
func list[T any](t *sqlTx, o store.ListOptions, keyParts int, query string, args []any,
	scan func(*sql.Rows) (T, []string, error)) (store.Page[T], error) {
	n, err := pageSize(o)
	if err != nil {
		return store.Page[T]{}, err
	}
	after, err := decodeMarker(o.Marker, keyParts)
	if err != nil {
		return store.Page[T]{}, err
	}
	for _, p := range after {
		args = append(args, p)
	}
	args = append(args, n+1)
	rows, err := t.tx.QueryContext(t.ctx, query, args...)
	if err != nil {
		return store.Page[T]{}, fmt.Errorf("store: list: %w", err)
	}
	defer rows.Close()
	var page store.Page[T]
	var last []string
	for rows.Next() {
		item, key, err := scan(rows)
		if err != nil {
			return store.Page[T]{}, fmt.Errorf("store: list: %w", err)
		}
		if len(page.Items) == n {
			page.Marker = encodeMarker(last...)
			break
		}
		page.Items = append(page.Items, item)
		last = key
	}
	if err := rows.Err(); err != nil {
		return store.Page[T]{}, fmt.Errorf("store: list: %w", err)
	}
	return page, nil
}

// pathMatch is the SQL condition "path starts with $n" that needs no LIKE
// escaping (paths may hold "_").
func pathMatch(n int) string {
	return fmt.Sprintf("substr(path, 1, length(CAST($%d AS TEXT))) = CAST($%d AS TEXT)", n, n)
}

// nameKey folds a name for case-insensitive uniqueness and order.
func nameKey(name string) string { return strings.ToLower(name) }
