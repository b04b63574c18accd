package sqlstore

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/iamq/iamq/internal/store"
)

// credOwner resolves a credential's owner to its stored id ("" for the
// root, whose credentials can only be signing certificates) and name.
func (t *sqlTx) credOwner(kind store.CredentialKind, owner store.EntityRef) (id, name string, err error) {
	switch {
	case owner.Kind == store.KindUser:
		return t.entity(owner, store.KindUser)
	case owner.Kind == store.KindAccount && kind == store.CredSigningCert:
		return "", "", nil
	}
	return "", "", fmt.Errorf("%w: a %s credential cannot be owned by %q", store.ErrInvalid, kind, owner.Kind)
}

// credQuota is the quota of a kind of credential per owner.
func credQuota(kind store.CredentialKind) (store.Quota, int) {
	switch kind {
	case store.CredSSHKey:
		return store.QuotaSSHKeysPerUser, store.MaxSSHKeys
	case store.CredSigningCert:
		return store.QuotaSigningCertsUser, store.MaxSigningCerts
	}
	return store.QuotaServiceCredsUser, store.MaxServiceCredentials
}

// credNotFound is IAM's NoSuchEntity text for an unknown credential id.
func credNotFound(kind store.CredentialKind, id string) error {
	what := map[store.CredentialKind]string{store.CredSSHKey: "The Public Key with id %s cannot be found.",
		store.CredSigningCert: "The Certificate with id %s cannot be found.",
		store.CredService:     "No such credential %s exists"}[kind]
	return fmt.Errorf("%w: "+what, store.ErrNotFound, id)
}

// CreateCredential stores a credential within its quota.
func (t *sqlTx) CreateCredential(c store.Credential) (store.Credential, error) {
	if err := t.mustWrite(); err != nil {
		return store.Credential{}, err
	}
	if c.Kind != store.CredSSHKey && c.Kind != store.CredSigningCert && c.Kind != store.CredService {
		return store.Credential{}, fmt.Errorf("%w: credential kind %q", store.ErrInvalid, c.Kind)
	}
	ownerID, ownerName, err := t.credOwner(c.Kind, c.Owner)
	if err != nil {
		return store.Credential{}, err
	}
	q, limit := credQuota(c.Kind)
	n, err := t.count(`SELECT COUNT(*) FROM user_credentials WHERE account = $1 AND kind = $2 AND owner_kind = $3
		AND owner_id = $4 AND service = $5`, t.acct.ID, string(c.Kind), string(c.Owner.Kind), ownerID, c.Service)
	if err != nil {
		return store.Credential{}, err
	}
	if n >= limit {
		return store.Credential{}, quotaError(q, limit)
	}
	if err := t.credDuplicate(c, ownerID); err != nil {
		return store.Credential{}, err
	}
	if c.ID == "" {
		c.ID = store.NewCredentialID(c.Kind)
	}
	if c.Status == "" {
		c.Status = store.KeyActive
	}
	if c.Created.IsZero() {
		c.Created = t.s.now().UTC()
	}
	c.AccountID, c.Owner.Name = t.acct.ID, ownerName
	if _, err := t.exec(`INSERT INTO user_credentials (id, account, kind, owner_kind, owner_id, status, created, expires,
		body, fingerprint, service, service_user, secret) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
		c.ID, t.acct.ID, string(c.Kind), string(c.Owner.Kind), ownerID, string(c.Status), nanos(c.Created), nanos(c.Expires),
		c.Body, c.Fingerprint, c.Service, c.ServiceUser, t.s.sealer.Seal([]byte(c.Secret), []byte(c.ID+"/secret"))); err != nil {
		return store.Credential{}, err
	}
	t.changed(store.KindCredential, store.OpCreate, c.ID)
	return c, nil
}

// credDuplicate refuses a key the user holds already, or a signing
// certificate some owner of the account holds already.
func (t *sqlTx) credDuplicate(c store.Credential, ownerID string) error {
	if c.Fingerprint == "" || c.Kind == store.CredService {
		return nil
	}
	query := `SELECT COUNT(*) FROM user_credentials WHERE account = $1 AND kind = $2 AND fingerprint = $3`
	args := []any{t.acct.ID, string(c.Kind), c.Fingerprint}
	if c.Kind == store.CredSSHKey {
		query += ` AND owner_id = $4`
		args = append(args, ownerID)
	}
	n, err := t.count(query, args...)
	if err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("%w: %s %s", store.ErrAlreadyExists, c.Kind, c.Fingerprint)
	}
	return nil
}

const credColumns = `c.id, c.account, c.kind, c.owner_kind, c.status, c.created, c.expires, c.body, c.fingerprint,
	c.service, c.service_user, COALESCE(u.name, '')`

const credJoins = ` FROM user_credentials c LEFT JOIN iam_users u ON c.owner_kind = 'user' AND u.id = c.owner_id`

func scanCredential(row interface{ Scan(...any) error }) (store.Credential, error) {
	var c store.Credential
	var kind, ownerKind, status string
	var created, expires int64
	err := row.Scan(&c.ID, &c.AccountID, &kind, &ownerKind, &status, &created, &expires, &c.Body, &c.Fingerprint,
		&c.Service, &c.ServiceUser, &c.Owner.Name)
	c.Kind, c.Owner.Kind, c.Status = store.CredentialKind(kind), store.Kind(ownerKind), store.KeyStatus(status)
	c.Created, c.Expires = fromNanos(created), fromNanos(expires)
	return c, err
}

// Credentials lists credentials of kind, oldest first.
func (t *sqlTx) Credentials(kind store.CredentialKind, owner store.EntityRef, service string) ([]store.Credential, error) {
	query := `SELECT ` + credColumns + credJoins + ` WHERE c.account = $1 AND c.kind = $2 AND (CAST($3 AS TEXT) = '' OR c.service = CAST($3 AS TEXT))`
	args := []any{t.acct.ID, string(kind), service}
	if owner.Kind != "" {
		ownerID, _, err := t.credOwner(kind, owner)
		if err != nil {
			return nil, err
		}
		query += ` AND c.owner_kind = $4 AND c.owner_id = $5`
		args = append(args, string(owner.Kind), ownerID)
	}
	rows, err := t.tx.QueryContext(t.ctx, query+` ORDER BY c.created, c.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	return scanCredentials(rows)
}

func scanCredentials(rows *sql.Rows) ([]store.Credential, error) {
	defer rows.Close()
	var out []store.Credential
	for rows.Next() {
		c, err := scanCredential(rows)
		if err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Credential returns one of the account's credentials by id.
func (t *sqlTx) Credential(kind store.CredentialKind, id string) (store.Credential, error) {
	row := t.tx.QueryRowContext(t.ctx, `SELECT `+credColumns+credJoins+` WHERE c.account = $1 AND c.kind = $2 AND c.id = $3`,
		t.acct.ID, string(kind), id)
	c, err := scanCredential(row)
	if errors.Is(err, sql.ErrNoRows) {
		return store.Credential{}, credNotFound(kind, id)
	} else if err != nil {
		return store.Credential{}, fmt.Errorf("store: %w", err)
	}
	return c, nil
}

// UpdateCredential sets a credential's status.
func (t *sqlTx) UpdateCredential(kind store.CredentialKind, id string, status store.KeyStatus) error {
	if status != store.KeyActive && status != store.KeyInactive {
		return fmt.Errorf("%w: credential status %q", store.ErrInvalid, status)
	}
	return t.credWrite(kind, id, store.OpUpdate, `UPDATE user_credentials SET status = $4 WHERE account = $1 AND kind = $2 AND id = $3`,
		string(status))
}

// ResetCredential replaces a credential's secret.
func (t *sqlTx) ResetCredential(kind store.CredentialKind, id, secret string) error {
	return t.credWrite(kind, id, store.OpUpdate, `UPDATE user_credentials SET secret = $4 WHERE account = $1 AND kind = $2 AND id = $3`,
		t.s.sealer.Seal([]byte(secret), []byte(id+"/secret")))
}

// DeleteCredential deletes a credential.
func (t *sqlTx) DeleteCredential(kind store.CredentialKind, id string) error {
	return t.credWrite(kind, id, store.OpDelete, `DELETE FROM user_credentials WHERE account = $1 AND kind = $2 AND id = $3`)
}

// credWrite runs a statement on one of the account's credentials of kind.
func (t *sqlTx) credWrite(kind store.CredentialKind, id string, op store.Op, query string, args ...any) error {
	r, err := t.exec(query, append([]any{t.acct.ID, string(kind), id}, args...)...)
	if err != nil {
		return err
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return credNotFound(kind, id)
	}
	t.changed(store.KindCredential, op, id)
	return nil
}
