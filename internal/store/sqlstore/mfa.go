package sqlstore

import (
	"fmt"
	"time"

	"github.com/iamq/iamq/internal/store"
)

// mfaOwner resolves a device owner (a user or the root) to its kind and
// stored id ("" for the root) and name.
func (t *sqlTx) mfaOwner(owner store.EntityRef) (kind, id, name string, err error) {
	switch owner.Kind {
	case store.KindAccount:
		return string(store.KindAccount), "", "", nil
	case store.KindUser:
		id, name, err = t.entity(owner, store.KindUser)
		return string(store.KindUser), id, name, err
	}
	return "", "", "", fmt.Errorf("%w: an MFA device is assigned to a user or the root", store.ErrInvalid)
}

// CreateMFADevice creates an unassigned virtual MFA device.
func (t *sqlTx) CreateMFADevice(d store.MFADevice) (store.MFADevice, error) {
	if err := t.mustWrite(); err != nil {
		return store.MFADevice{}, err
	}
	if d.SerialNumber == "" || d.Name == "" || len(d.Seed) == 0 {
		return store.MFADevice{}, fmt.Errorf("%w: an MFA device needs a serial number, a name and a seed", store.ErrInvalid)
	}
	if n, err := t.count(`SELECT COUNT(*) FROM mfa_devices WHERE serial = $1`, d.SerialNumber); err != nil {
		return store.MFADevice{}, err
	} else if n > 0 {
		return store.MFADevice{}, fmt.Errorf("%w: MFADevice entity at the same path and name already exists.", store.ErrAlreadyExists)
	}
	if d.Path == "" {
		d.Path = "/"
	}
	if d.Created.IsZero() {
		d.Created = t.s.now().UTC()
	}
	d.ID, d.Owner, d.Enabled, d.LastStep = store.NewID(store.IDPrefix("MFAD")), store.EntityRef{}, time.Time{}, 0
	if _, err := t.exec(`INSERT INTO mfa_devices (id, account, serial, name, path, seed, created) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		d.ID, t.acct.ID, d.SerialNumber, d.Name, d.Path, t.s.sealer.Seal(d.Seed, []byte(d.SerialNumber)), nanos(d.Created)); err != nil {
		return store.MFADevice{}, err
	}
	if err := t.insertTags(d.ID, store.KindMFADevice, d.Tags); err != nil {
		return store.MFADevice{}, err
	}
	t.changed(store.KindMFADevice, store.OpCreate, d.SerialNumber)
	return d, nil
}

const mfaColumns = `d.id, d.serial, d.name, d.path, d.created, d.owner_kind, COALESCE(u.name, ''), d.enabled, d.last_step`

const mfaJoins = ` FROM mfa_devices d LEFT JOIN iam_users u ON d.owner_kind = 'user' AND u.id = d.owner_id`

func scanMFA(row interface{ Scan(...any) error }, extra ...any) (store.MFADevice, error) {
	var d store.MFADevice
	var kind string
	var created, enabled int64
	err := row.Scan(append([]any{&d.ID, &d.SerialNumber, &d.Name, &d.Path, &created, &kind, &d.Owner.Name, &enabled, &d.LastStep}, extra...)...)
	d.Owner.Kind, d.Created, d.Enabled = store.Kind(kind), fromNanos(created), fromNanos(enabled)
	return d, err
}

// MFADevice returns a device with its seed and tags.
func (t *sqlTx) MFADevice(serial string) (store.MFADevice, error) {
	var sealed []byte
	row := t.tx.QueryRowContext(t.ctx, `SELECT `+mfaColumns+`, d.seed`+mfaJoins+` WHERE d.account = $1 AND d.serial = $2`, t.acct.ID, serial)
	d, err := scanMFA(row, &sealed)
	if err != nil {
		return store.MFADevice{}, notFoundOr(err, "VirtualMFADevice with serial number "+serial+" doesn't exist.")
	}
	if d.Seed, err = t.s.sealer.Open(sealed, []byte(d.SerialNumber)); err != nil {
		return store.MFADevice{}, err
	}
	d.Tags, err = t.tagsOf(d.ID)
	return d, err
}

// MFADevices lists the devices assigned to owner.
func (t *sqlTx) MFADevices(owner store.EntityRef) ([]store.MFADevice, error) {
	kind, id, _, err := t.mfaOwner(owner)
	if err != nil {
		return nil, err
	}
	return t.mfaList(` AND d.owner_kind = $2 AND d.owner_id = $3`, kind, id)
}

// AllMFADevices lists the account's devices.
func (t *sqlTx) AllMFADevices() ([]store.MFADevice, error) {
	return t.mfaList(``)
}

func (t *sqlTx) mfaList(where string, args ...any) ([]store.MFADevice, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT `+mfaColumns+mfaJoins+` WHERE d.account = $1`+where+` ORDER BY d.serial`,
		append([]any{t.acct.ID}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	defer rows.Close()
	var out []store.MFADevice
	for rows.Next() {
		d, err := scanMFA(rows)
		if err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// AssignMFADevice assigns an unassigned device.
func (t *sqlTx) AssignMFADevice(serial string, owner store.EntityRef, at time.Time, step int64) error {
	kind, id, _, err := t.mfaOwner(owner)
	if err != nil {
		return err
	}
	d, err := t.MFADevice(serial)
	if err != nil {
		return err
	}
	if d.Owner.Kind != "" {
		return fmt.Errorf("%w: MFA Device is already in use.", store.ErrConflict)
	}
	return t.mfaWrite(serial, `UPDATE mfa_devices SET owner_kind = $3, owner_id = $4, enabled = $5, last_step = $6 WHERE account = $1 AND serial = $2`,
		kind, id, nanos(at), step)
}

// UnassignMFADevice removes a device's assignment.
func (t *sqlTx) UnassignMFADevice(serial string) error {
	return t.mfaWrite(serial, `UPDATE mfa_devices SET owner_kind = '', owner_id = '', enabled = 0 WHERE account = $1 AND serial = $2`)
}

// SetMFAStep records the last accepted time step.
func (t *sqlTx) SetMFAStep(serial string, step int64) error {
	return t.mfaWrite(serial, `UPDATE mfa_devices SET last_step = $3 WHERE account = $1 AND serial = $2`, step)
}

// DeleteMFADevice deletes an unassigned device.
func (t *sqlTx) DeleteMFADevice(serial string) error {
	d, err := t.MFADevice(serial)
	if err != nil {
		return err
	}
	if d.Owner.Kind != "" {
		return deleteConflict("MFA VirtualDevice in use. Must deactivate first.")
	}
	if _, err := t.exec(`DELETE FROM tags WHERE entity_id = $1`, d.ID); err != nil {
		return err
	}
	return t.mfaWrite(serial, `DELETE FROM mfa_devices WHERE account = $1 AND serial = $2`)
}

func (t *sqlTx) mfaWrite(serial, query string, args ...any) error {
	r, err := t.exec(query, append([]any{t.acct.ID, serial}, args...)...)
	if err != nil {
		return err
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return fmt.Errorf("%w: VirtualMFADevice with serial number %s doesn't exist.", store.ErrNotFound, serial)
	}
	t.changed(store.KindMFADevice, store.OpUpdate, serial)
	return nil
}

// TagMFADevice adds or replaces a device's tags.
func (t *sqlTx) TagMFADevice(serial string, tags []store.Tag) error {
	id, err := t.mfaID(serial)
	if err != nil {
		return err
	}
	if err := t.insertTags(id, store.KindMFADevice, tags); err != nil {
		return err
	}
	t.changed(store.KindMFADevice, store.OpUpdate, serial)
	return nil
}

// UntagMFADevice removes a device's tags by key.
func (t *sqlTx) UntagMFADevice(serial string, keys []string) error {
	id, err := t.mfaID(serial)
	if err != nil {
		return err
	}
	for _, k := range keys {
		if _, err := t.exec(`DELETE FROM tags WHERE entity_id = $1 AND tag_key = $2`, id, nameKey(k)); err != nil {
			return err
		}
	}
	t.changed(store.KindMFADevice, store.OpUpdate, serial)
	return nil
}

func (t *sqlTx) mfaID(serial string) (string, error) {
	if err := t.mustWrite(); err != nil {
		return "", err
	}
	var id string
	err := t.queryRow("VirtualMFADevice with serial number "+serial+" doesn't exist.", []any{&id},
		`SELECT id FROM mfa_devices WHERE account = $1 AND serial = $2`, t.acct.ID, serial)
	return id, err
}
