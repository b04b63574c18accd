package sqlstore

import (
	"encoding/json"
	"fmt"

	"github.com/iamq/iamq/internal/store"
)

// providerData is what a provider's data column holds.
type providerData struct {
	ClientIDs   []string    `json:"clientIds,omitempty"`
	Thumbprints []string    `json:"thumbprints,omitempty"`
	Metadata    string      `json:"metadata,omitempty"`
	ValidUntil  int64       `json:"validUntil,omitempty"`
	Tags        []store.Tag `json:"tags,omitempty"`
}

func encodeProvider(p store.Provider) (string, error) {
	b, err := json.Marshal(providerData{ClientIDs: p.ClientIDs, Thumbprints: p.Thumbprints, Metadata: p.Metadata,
		ValidUntil: nanos(p.ValidUntil), Tags: p.Tags})
	if err != nil {
		return "", fmt.Errorf("store: provider %s: %w", p.Name, err)
	}
	return string(b), nil
}

func validProvider(p store.Provider) error {
	if (p.Kind != store.ProviderOIDC && p.Kind != store.ProviderSAML) || p.Name == "" {
		return fmt.Errorf("%w: provider %q of kind %q", store.ErrInvalid, p.Name, p.Kind)
	}
	return nil
}

// CreateProvider creates an identity provider.
func (t *sqlTx) CreateProvider(p store.Provider) (store.Provider, error) {
	if err := validProvider(p); err != nil {
		return store.Provider{}, err
	}
	if err := t.mustWrite(); err != nil {
		return store.Provider{}, err
	}
	n, err := t.count(`SELECT COUNT(*) FROM identity_providers WHERE account = $1 AND kind = $2 AND name = $3`, t.acct.ID, string(p.Kind), p.Name)
	if err != nil {
		return store.Provider{}, err
	}
	if n > 0 {
		return store.Provider{}, fmt.Errorf("%w: Provider with url %s already exists.", store.ErrAlreadyExists, p.Name)
	}
	if n, err = t.count(`SELECT COUNT(*) FROM identity_providers WHERE account = $1 AND kind = $2`, t.acct.ID, string(p.Kind)); err != nil {
		return store.Provider{}, err
	}
	if n >= store.MaxProviders {
		return store.Provider{}, fmt.Errorf("%w: Cannot exceed quota for %s identity providers: %d.", store.ErrLimitExceeded, p.Kind, store.MaxProviders)
	}
	p.AccountID = t.acct.ID
	if p.Created.IsZero() {
		p.Created = t.s.now().UTC()
	}
	data, err := encodeProvider(p)
	if err != nil {
		return store.Provider{}, err
	}
	if _, err := t.exec(`INSERT INTO identity_providers (account, kind, name, created, data) VALUES ($1, $2, $3, $4, $5)`,
		t.acct.ID, string(p.Kind), p.Name, nanos(p.Created), data); err != nil {
		return store.Provider{}, err
	}
	t.changed(store.KindProvider, store.OpCreate, p.Name)
	return p, nil
}

// Provider returns an identity provider.
func (t *sqlTx) Provider(kind store.ProviderKind, name string) (store.Provider, error) {
	var created int64
	var data string
	if err := t.queryRow("provider "+name, []any{&created, &data},
		`SELECT created, data FROM identity_providers WHERE account = $1 AND kind = $2 AND name = $3`, t.acct.ID, string(kind), name); err != nil {
		return store.Provider{}, err
	}
	return decodeProvider(t.acct.ID, kind, name, created, data)
}

func decodeProvider(account string, kind store.ProviderKind, name string, created int64, data string) (store.Provider, error) {
	var d providerData
	if err := json.Unmarshal([]byte(data), &d); err != nil {
		return store.Provider{}, fmt.Errorf("store: provider %s: %w", name, err)
	}
	p := store.Provider{AccountID: account, Kind: kind, Name: name, Created: fromNanos(created), ClientIDs: d.ClientIDs,
		Thumbprints: d.Thumbprints, Metadata: d.Metadata, Tags: d.Tags}
	if d.ValidUntil != 0 {
		p.ValidUntil = fromNanos(d.ValidUntil)
	}
	return p, nil
}

// Providers lists the account's providers of kind by name.
func (t *sqlTx) Providers(kind store.ProviderKind) ([]store.Provider, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT name, created, data FROM identity_providers WHERE account = $1 AND kind = $2 ORDER BY name`,
		t.acct.ID, string(kind))
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	defer rows.Close()
	var out []store.Provider
	for rows.Next() {
		var name, data string
		var created int64
		if err := rows.Scan(&name, &created, &data); err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		p, err := decodeProvider(t.acct.ID, kind, name, created, data)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	return out, nil
}

// UpdateProvider replaces a provider's data.
func (t *sqlTx) UpdateProvider(p store.Provider) (store.Provider, error) {
	if err := validProvider(p); err != nil {
		return store.Provider{}, err
	}
	old, err := t.Provider(p.Kind, p.Name)
	if err != nil {
		return store.Provider{}, err
	}
	p.AccountID, p.Created = old.AccountID, old.Created
	data, err := encodeProvider(p)
	if err != nil {
		return store.Provider{}, err
	}
	if _, err := t.exec(`UPDATE identity_providers SET data = $1 WHERE account = $2 AND kind = $3 AND name = $4`,
		data, t.acct.ID, string(p.Kind), p.Name); err != nil {
		return store.Provider{}, err
	}
	t.changed(store.KindProvider, store.OpUpdate, p.Name)
	return p, nil
}

// DeleteProvider deletes an identity provider.
func (t *sqlTx) DeleteProvider(kind store.ProviderKind, name string) error {
	r, err := t.exec(`DELETE FROM identity_providers WHERE account = $1 AND kind = $2 AND name = $3`, t.acct.ID, string(kind), name)
	if err != nil {
		return err
	}
	if n, err := r.RowsAffected(); err != nil || n == 0 {
		return fmt.Errorf("%w: provider %s", store.ErrNotFound, name)
	}
	t.changed(store.KindProvider, store.OpDelete, name)
	return nil
}
