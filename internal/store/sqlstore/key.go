package sqlstore

import (
	"context"
	"fmt"

	"github.com/iamq/iamq/internal/store"
)

// keyOwner resolves an access key's owner to the stored owner id ("" for
// the root) and its name.
func (t *sqlTx) keyOwner(owner store.EntityRef) (id, name string, err error) {
	switch owner.Kind {
	case store.KindAccount:
		return "", "", nil
	case store.KindUser, store.KindRole:
		return t.entity(owner, store.KindUser, store.KindRole)
	}
	return "", "", fmt.Errorf("%w: an access key is owned by the root, a user or a role", store.ErrInvalid)
}

// CreateAccessKey creates a long-term or temporary access key.
func (t *sqlTx) CreateAccessKey(k store.AccessKey) (store.AccessKey, error) {
	if err := t.mustWrite(); err != nil {
		return store.AccessKey{}, err
	}
	ownerID, ownerName, err := t.keyOwner(k.Owner)
	if err != nil {
		return store.AccessKey{}, err
	}
	prefix := store.PrefixAccessKey
	if k.Temporary() {
		if k.SessionToken == "" {
			return store.AccessKey{}, fmt.Errorf("%w: a temporary key needs a session token", store.ErrInvalid)
		}
		prefix = store.PrefixTemporaryKey
	} else {
		if k.Owner.Kind == store.KindRole {
			return store.AccessKey{}, fmt.Errorf("%w: a role has temporary keys only", store.ErrInvalid)
		}
		n, err := t.count(`SELECT COUNT(*) FROM access_keys WHERE account = $1 AND owner_kind = $2 AND owner_id = $3 AND expires = 0`,
			t.acct.ID, string(k.Owner.Kind), ownerID)
		if err != nil {
			return store.AccessKey{}, err
		}
		if n >= store.MaxAccessKeys {
			return store.AccessKey{}, quotaError(store.QuotaAccessKeysPerUser, store.MaxAccessKeys)
		}
	}
	if k.ID == "" {
		k.ID = store.NewID(prefix)
	} else if n, err := t.count(`SELECT COUNT(*) FROM access_keys WHERE id = $1`, k.ID); err != nil {
		return store.AccessKey{}, err
	} else if n > 0 {
		return store.AccessKey{}, fmt.Errorf("%w: access key %s", store.ErrAlreadyExists, k.ID)
	}
	if k.Secret == "" {
		k.Secret = store.NewSecret()
	}
	if k.Status == "" {
		k.Status = store.KeyActive
	}
	if k.Created.IsZero() {
		k.Created = t.s.now().UTC()
	}
	k.AccountID, k.OwnerID, k.Owner.Name = t.acct.ID, ownerID, ownerName
	sl := t.s.sealer
	if _, err := t.exec(`INSERT INTO access_keys (id, account, owner_kind, owner_id, status, created, expires, secret, token, session)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		k.ID, t.acct.ID, string(k.Owner.Kind), ownerID, string(k.Status), nanos(k.Created), nanos(k.Expires),
		sl.Seal([]byte(k.Secret), []byte(k.ID)), sl.Seal([]byte(k.SessionToken), []byte(k.ID+"/token")),
		sl.Seal(k.Session, []byte(k.ID+"/session"))); err != nil {
		return store.AccessKey{}, err
	}
	t.changed(store.KindAccessKey, store.OpCreate, k.ID)
	return k, nil
}

const keyColumns = `k.id, k.account, k.owner_kind, k.owner_id, k.status, k.created, k.expires, k.last_used, k.last_service,
	k.last_region, COALESCE(u.name, r.name, '')`

const keyJoins = ` FROM access_keys k LEFT JOIN iam_users u ON k.owner_kind = 'user' AND u.id = k.owner_id
	LEFT JOIN iam_roles r ON k.owner_kind = 'role' AND r.id = k.owner_id`

// scanKey reads keyColumns and then extra.
func scanKey(row interface{ Scan(...any) error }, extra ...any) (store.AccessKey, error) {
	var k store.AccessKey
	var kind, status string
	var created, expires, lastUsed int64
	err := row.Scan(append([]any{&k.ID, &k.AccountID, &kind, &k.OwnerID, &status, &created, &expires, &lastUsed,
		&k.LastUsedService, &k.LastUsedRegion, &k.Owner.Name}, extra...)...)
	k.Owner.Kind, k.Status = store.Kind(kind), store.KeyStatus(status)
	k.Created, k.Expires, k.LastUsed = fromNanos(created), fromNanos(expires), fromNanos(lastUsed)
	return k, err
}

// AccessKey looks up a key in any account, with its secrets decrypted.
func (s *Engine) AccessKey(ctx context.Context, id string) (store.AccessKey, error) {
	var secret, token, session []byte
	row := s.reader.QueryRowContext(ctx, `SELECT `+keyColumns+`, k.secret, k.token, k.session`+keyJoins+` WHERE k.id = $1`, id)
	k, err := scanKey(row, &secret, &token, &session)
	if err != nil {
		return store.AccessKey{}, notFoundOr(err, "The Access Key with id "+id+" cannot be found.")
	}
	plain, err := s.sealer.Open(secret, []byte(k.ID))
	if err != nil {
		return store.AccessKey{}, err
	}
	tok, err := s.sealer.Open(token, []byte(k.ID+"/token"))
	if err != nil {
		return store.AccessKey{}, err
	}
	if k.Session, err = s.sealer.Open(session, []byte(k.ID+"/session")); err != nil {
		return store.AccessKey{}, err
	}
	k.Secret, k.SessionToken = string(plain), string(tok)
	return k, nil
}

// AccessKeys lists an owner's long-term keys, oldest first.
func (t *sqlTx) AccessKeys(owner store.EntityRef) ([]store.AccessKey, error) {
	ownerID, _, err := t.keyOwner(owner)
	if err != nil {
		return nil, err
	}
	rows, err := t.tx.QueryContext(t.ctx, `SELECT `+keyColumns+keyJoins+`
		WHERE k.account = $1 AND k.owner_kind = $2 AND k.owner_id = $3 AND k.expires = 0 ORDER BY k.created, k.id`,
		t.acct.ID, string(owner.Kind), ownerID)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	defer rows.Close()
	var out []store.AccessKey
	for rows.Next() {
		k, err := scanKey(rows)
		if err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// UpdateAccessKey sets a key's status.
func (t *sqlTx) UpdateAccessKey(id string, status store.KeyStatus) error {
	if status != store.KeyActive && status != store.KeyInactive {
		return fmt.Errorf("%w: access key status %q", store.ErrInvalid, status)
	}
	return t.keyWrite(id, store.OpUpdate, `UPDATE access_keys SET status = $3 WHERE account = $1 AND id = $2`, string(status))
}

// DeleteAccessKey deletes a key.
func (t *sqlTx) DeleteAccessKey(id string) error {
	return t.keyWrite(id, store.OpDelete, `DELETE FROM access_keys WHERE account = $1 AND id = $2`)
}

// keyWrite runs a statement on one of the account's keys.
func (t *sqlTx) keyWrite(id string, op store.Op, query string, args ...any) error {
	r, err := t.exec(query, append([]any{t.acct.ID, id}, args...)...)
	if err != nil {
		return err
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return fmt.Errorf("%w: The Access Key with id %s cannot be found.", store.ErrNotFound, id)
	}
	t.changed(store.KindAccessKey, op, id)
	return nil
}

// tagsOf returns an entity's tags by key.
func (t *sqlTx) tagsOf(entityID string) ([]store.Tag, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT key_text, value FROM tags WHERE entity_id = $1 ORDER BY tag_key`, entityID)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	defer rows.Close()
	var out []store.Tag
	for rows.Next() {
		var tg store.Tag
		if err := rows.Scan(&tg.Key, &tg.Value); err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		out = append(out, tg)
	}
	return out, rows.Err()
}

// tagQuota is the tag refusal for an entity kind, e.g. TagsPerUser.
func tagQuota(k store.Kind) error {
	name := map[store.Kind]string{store.KindUser: "User", store.KindRole: "Role", store.KindPolicy: "Policy", store.KindInstanceProfile: "InstanceProfile",
		store.KindServerCertificate: "ServerCertificate", store.KindMFADevice: "MFADevice"}[k]
	return &store.LimitError{Quota: store.QuotaTagsPerEntity, Limit: store.MaxTags,
		Message: fmt.Sprintf("Cannot exceed quota for TagsPer%s: %d", name, store.MaxTags)}
}

// insertTags adds or replaces tags of an entity, within the quota. Tag keys
// are unique case-insensitively, as IAM has them.
func (t *sqlTx) insertTags(entityID string, kind store.Kind, tags []store.Tag) error {
	if len(tags) == 0 {
		return nil
	}
	have, err := t.tagsOf(entityID)
	if err != nil {
		return err
	}
	keys := map[string]bool{}
	for _, tg := range have {
		keys[nameKey(tg.Key)] = true
	}
	for _, tg := range tags {
		keys[nameKey(tg.Key)] = true
	}
	if len(keys) > store.MaxTags {
		return tagQuota(kind)
	}
	for _, tg := range tags {
		if _, err := t.exec(`DELETE FROM tags WHERE entity_id = $1 AND tag_key = $2`, entityID, nameKey(tg.Key)); err != nil {
			return err
		}
		if _, err := t.exec(`INSERT INTO tags (account, entity_id, tag_key, key_text, value) VALUES ($1, $2, $3, $4, $5)`,
			t.acct.ID, entityID, nameKey(tg.Key), tg.Key, tg.Value); err != nil {
			return err
		}
	}
	return nil
}

// taggable are the kinds that carry tags.
var taggable = []store.Kind{store.KindUser, store.KindRole, store.KindPolicy, store.KindInstanceProfile, store.KindServerCertificate}

// Tags returns an entity's tags.
func (t *sqlTx) Tags(of store.EntityRef) ([]store.Tag, error) {
	id, _, err := t.entity(of, taggable...)
	if err != nil {
		return nil, err
	}
	return t.tagsOf(id)
}

// TagEntity adds or replaces tags.
func (t *sqlTx) TagEntity(of store.EntityRef, tags []store.Tag) error {
	id, name, err := t.entity(of, taggable...)
	if err != nil {
		return err
	}
	if err := t.mustWrite(); err != nil {
		return err
	}
	if err := t.insertTags(id, of.Kind, tags); err != nil {
		return err
	}
	t.changed(of.Kind, store.OpUpdate, name)
	return nil
}

// UntagEntity removes tags by key; absent keys are ignored, as in IAM.
func (t *sqlTx) UntagEntity(of store.EntityRef, keys []string) error {
	id, name, err := t.entity(of, taggable...)
	if err != nil {
		return err
	}
	for _, k := range keys {
		if _, err := t.exec(`DELETE FROM tags WHERE entity_id = $1 AND tag_key = $2`, id, nameKey(k)); err != nil {
			return err
		}
	}
	t.changed(of.Kind, store.OpUpdate, name)
	return nil
}
