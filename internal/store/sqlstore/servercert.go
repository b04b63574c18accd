package sqlstore

import (
	"database/sql"
	"fmt"

	"github.com/iamq/iamq/internal/store"
)

// certNotFound is IAM's NoSuchEntity text for a server certificate.
func certNotFound(name string) error {
	return fmt.Errorf("%w: The Server Certificate with name %s cannot be found.", store.ErrNotFound, name)
}

// CreateServerCertificate stores a server certificate within the quota.
func (t *sqlTx) CreateServerCertificate(c store.ServerCertificate) (store.ServerCertificate, error) {
	if err := t.mustWrite(); err != nil {
		return store.ServerCertificate{}, err
	}
	if taken, err := t.taken("server_certificates", c.Name); err != nil {
		return store.ServerCertificate{}, err
	} else if taken {
		return store.ServerCertificate{}, fmt.Errorf("%w: The Server Certificate with name %s already exists.", store.ErrAlreadyExists, c.Name)
	}
	n, err := t.count(`SELECT COUNT(*) FROM server_certificates WHERE account = $1`, t.acct.ID)
	if err != nil {
		return store.ServerCertificate{}, err
	}
	if n >= store.MaxServerCertificates {
		return store.ServerCertificate{}, quotaError(store.QuotaServerCertsPerAcc, store.MaxServerCertificates)
	}
	if c.ID == "" {
		c.ID = store.NewID(store.PrefixServerCertificate)
	}
	t.defaults(&c.Path, &c.Uploaded)
	c.AccountID = t.acct.ID
	if _, err := t.exec(`INSERT INTO server_certificates (account, id, name, name_key, path, created, expires, body, chain, private_key)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, t.acct.ID, c.ID, c.Name, nameKey(c.Name), c.Path, nanos(c.Uploaded),
		nanos(c.Expires), c.Body, c.Chain, t.s.sealer.Seal([]byte(c.PrivateKey), []byte(c.ID+"/private-key"))); err != nil {
		return store.ServerCertificate{}, err
	}
	if err := t.insertTags(c.ID, store.KindServerCertificate, c.Tags); err != nil {
		return store.ServerCertificate{}, err
	}
	t.changed(store.KindServerCertificate, store.OpCreate, c.Name)
	return c, nil
}

const certColumns = `id, name, name_key, path, created, expires`

func (t *sqlTx) scanCert(row interface{ Scan(...any) error }, extra ...any) (store.ServerCertificate, []string, error) {
	var c store.ServerCertificate
	var key string
	var created, expires int64
	err := row.Scan(append([]any{&c.ID, &c.Name, &key, &c.Path, &created, &expires}, extra...)...)
	c.AccountID, c.Uploaded, c.Expires = t.acct.ID, fromNanos(created), fromNanos(expires)
	return c, []string{key}, err
}

// ServerCertificate returns a server certificate by name, with its tags.
func (t *sqlTx) ServerCertificate(name string) (store.ServerCertificate, error) {
	var body, chain string
	row := t.tx.QueryRowContext(t.ctx, `SELECT `+certColumns+`, body, chain FROM server_certificates WHERE account = $1 AND name_key = $2`,
		t.acct.ID, nameKey(name))
	c, _, err := t.scanCert(row, &body, &chain)
	if err == sql.ErrNoRows {
		return store.ServerCertificate{}, certNotFound(name)
	} else if err != nil {
		return store.ServerCertificate{}, fmt.Errorf("store: %w", err)
	}
	c.Body, c.Chain = body, chain
	c.Tags, err = t.tagsOf(c.ID)
	return c, err
}

// ServerCertificates lists server certificates by name.
func (t *sqlTx) ServerCertificates(o store.ListOptions) (store.Page[store.ServerCertificate], error) {
	return list(t, o, 1, `SELECT `+certColumns+` FROM server_certificates WHERE account = $1 AND `+pathMatch(2)+
		` AND name_key > $3 ORDER BY name_key LIMIT $4`,
		[]any{t.acct.ID, o.PathPrefix}, func(r *sql.Rows) (store.ServerCertificate, []string, error) { return t.scanCert(r) })
}

// UpdateServerCertificate renames or moves a server certificate.
func (t *sqlTx) UpdateServerCertificate(name string, c store.ServerCertificate) error {
	old, err := t.ServerCertificate(name)
	if err != nil {
		return err
	}
	if c.Name == "" {
		c.Name = old.Name
	}
	if c.Path == "" {
		c.Path = old.Path
	}
	if nameKey(c.Name) != nameKey(old.Name) {
		if taken, err := t.taken("server_certificates", c.Name); err != nil {
			return err
		} else if taken {
			return fmt.Errorf("%w: The Server Certificate with name %s already exists.", store.ErrAlreadyExists, c.Name)
		}
	}
	if _, err := t.exec(`UPDATE server_certificates SET name = $3, name_key = $4, path = $5 WHERE account = $1 AND id = $2`,
		t.acct.ID, old.ID, c.Name, nameKey(c.Name), c.Path); err != nil {
		return err
	}
	t.changed(store.KindServerCertificate, store.OpUpdate, old.Name)
	return nil
}

// DeleteServerCertificate deletes a server certificate and its tags.
func (t *sqlTx) DeleteServerCertificate(name string) error {
	c, err := t.ServerCertificate(name)
	if err != nil {
		return err
	}
	for _, q := range []string{`DELETE FROM tags WHERE entity_id = $1`, `DELETE FROM server_certificates WHERE id = $1`} {
		if _, err := t.exec(q, c.ID); err != nil {
			return err
		}
	}
	t.changed(store.KindServerCertificate, store.OpDelete, c.Name)
	return nil
}
