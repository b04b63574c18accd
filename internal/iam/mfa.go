package iam

import (
	"context"
	"strings"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/internal/store"
)

// Fields and bounds of the MFA operations (botocore IAM model:
// virtualMFADeviceName 1–226 characters of [\w+=,.@-]; serialNumberType
// 9–256 characters of [\w+=/:,.@-]; authenticationCodeType six digits).
const (
	FieldVirtualMFADeviceName Field = "virtualMFADeviceName"
	FieldSerialNumber         Field = "serialNumber"
	FieldAuthCode1            Field = "authenticationCode1"
	FieldAuthCode2            Field = "authenticationCode2"
	MaxMFADeviceName                = 226
	MaxSerialNumber                 = 256
	// MaxMFADevicesPerUser: "You can register up to eight MFA devices of
	// any combination" per user or root (IAM User Guide, "AWS
	// Multi-factor authentication in IAM").
	MaxMFADevicesPerUser = 8
)

// NewMFADevice is CreateVirtualMFADevice's result: the device and, once,
// its seed as Base32 text and as a QR code PNG.
type NewMFADevice struct {
	Device           store.MFADevice
	Base32StringSeed string
	QRCodePNG        []byte
}

// CreateVirtualMFADevice creates an unassigned virtual MFA device with a new
// TOTP seed. label names the account in the QR code (its alias or id).
func (s *Service) CreateVirtualMFADevice(ctx context.Context, account, name, path, label string, tags []store.Tag) (NewMFADevice, error) {
	var v Validation
	if v.Length(FieldVirtualMFADeviceName, name, 1, MaxMFADeviceName) && !IsName(name) {
		v.constraint(FieldVirtualMFADeviceName, name, `Member must satisfy regular expression pattern: [\w+=,.@-]+`)
	}
	if path != "" {
		v.Path(FieldPath, path)
	}
	v.Tags(tags)
	if err := v.Err(); err != nil {
		return NewMFADevice{}, err
	}
	if path == "" {
		path = "/"
	}
	seed := NewSeed()
	qr, err := QRCodePNG(name, label, seed)
	if err != nil {
		return NewMFADevice{}, err
	}
	d := store.MFADevice{SerialNumber: arn.IAMString(account, arn.TypeMFA, path, name), Name: name, Path: path, Seed: seed,
		Created: s.now().UTC(), Tags: tags}
	err = s.store.Update(ctx, account, func(tx store.Tx) error {
		var err error
		d, err = tx.CreateMFADevice(d)
		return err
	})
	if err != nil {
		return NewMFADevice{}, err
	}
	return NewMFADevice{Device: d, Base32StringSeed: Base32Seed(seed), QRCodePNG: qr}, nil
}

// checkSerial checks a serial number (serialNumberType).
func checkSerial(v *Validation, serial string) {
	if v.Length(FieldSerialNumber, serial, 9, MaxSerialNumber) && !isSerial(serial) {
		v.constraint(FieldSerialNumber, serial, `Member must satisfy regular expression pattern: [\w+=/:,.@-]+`)
	}
}

func isSerial(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(isWord(s[i:i+1]) || strings.IndexByte("+=/:,.@-", c) >= 0) {
			return false
		}
	}
	return true
}

// checkCodes checks the two codes of EnableMFADevice and ResyncMFADevice.
func checkCodes(v *Validation, code1, code2 string) {
	for _, c := range []struct {
		f    Field
		code string
	}{{FieldAuthCode1, code1}, {FieldAuthCode2, code2}} {
		if v.Length(c.f, c.code, 6, 6) && !isCode(c.code) {
			v.constraint(c.f, c.code, `Member must satisfy regular expression pattern: [\d]+`)
		}
	}
}

// EnableMFADevice assigns a virtual MFA device to owner (a user or the
// root) after checking two consecutive codes from it.
func (s *Service) EnableMFADevice(ctx context.Context, account string, owner store.EntityRef, serial, code1, code2 string) error {
	var v Validation
	checkOwner(&v, owner)
	checkSerial(&v, serial)
	checkCodes(&v, code1, code2)
	if err := v.Err(); err != nil {
		return err
	}
	return s.store.Update(ctx, account, func(tx store.Tx) error {
		mine, err := tx.MFADevices(owner)
		if err != nil {
			return err
		}
		if len(mine) >= MaxMFADevicesPerUser {
			return &store.LimitError{Quota: "MFADevicesPerUser", Limit: MaxMFADevicesPerUser,
				Message: "Cannot exceed quota for MFADevicesPerUser: 8"}
		}
		d, err := tx.MFADevice(serial)
		if err != nil {
			return err
		}
		if d.Owner.Kind != "" {
			return refuse(store.ErrAlreadyExists, "MFA Device is already in use.")
		}
		step := matchPair(d.Seed, code1, code2, s.now(), codeWindow+1, d.LastStep)
		if step < 0 {
			return refuse(ErrMFACode, MsgInvalidCode)
		}
		return tx.AssignMFADevice(serial, owner, s.now().UTC(), step)
	})
}

// ownDevice returns the device serial when it is assigned to owner, else
// NoSuchEntity.
func ownDevice(tx store.Tx, owner store.EntityRef, serial string) (store.MFADevice, error) {
	d, err := tx.MFADevice(serial)
	if err == nil && !sameOwner(d.Owner, owner) {
		err = refuse(store.ErrNotFound, "MFA Device with serial number %s does not exist.", serial)
	}
	return d, err
}

// ResyncMFADevice resynchronizes an assigned device whose clock drifted:
// two consecutive codes within a wider window.
func (s *Service) ResyncMFADevice(ctx context.Context, account string, owner store.EntityRef, serial, code1, code2 string) error {
	var v Validation
	checkOwner(&v, owner)
	checkSerial(&v, serial)
	checkCodes(&v, code1, code2)
	if err := v.Err(); err != nil {
		return err
	}
	return s.store.Update(ctx, account, func(tx store.Tx) error {
		d, err := ownDevice(tx, owner, serial)
		if err != nil {
			return err
		}
		step := matchPair(d.Seed, code1, code2, s.now(), resyncWindow, d.LastStep)
		if step < 0 {
			return refuse(ErrMFACode, MsgInvalidCode)
		}
		return tx.SetMFAStep(serial, step)
	})
}

// DeactivateMFADevice removes a device from its owner; the device remains,
// unassigned, until DeleteVirtualMFADevice.
func (s *Service) DeactivateMFADevice(ctx context.Context, account string, owner store.EntityRef, serial string) error {
	var v Validation
	checkOwner(&v, owner)
	checkSerial(&v, serial)
	if err := v.Err(); err != nil {
		return err
	}
	return s.store.Update(ctx, account, func(tx store.Tx) error {
		if _, err := ownDevice(tx, owner, serial); err != nil {
			return err
		}
		return tx.UnassignMFADevice(serial)
	})
}

// DeleteVirtualMFADevice deletes an unassigned device (DeleteConflict while
// it is assigned).
func (s *Service) DeleteVirtualMFADevice(ctx context.Context, account, serial string) error {
	var v Validation
	checkSerial(&v, serial)
	if err := v.Err(); err != nil {
		return err
	}
	return s.store.Update(ctx, account, func(tx store.Tx) error { return tx.DeleteMFADevice(serial) })
}

// GetMFADevice returns a device (without its seed).
func (s *Service) GetMFADevice(ctx context.Context, account, serial string) (store.MFADevice, error) {
	var v Validation
	checkSerial(&v, serial)
	if err := v.Err(); err != nil {
		return store.MFADevice{}, err
	}
	var d store.MFADevice
	err := s.store.View(ctx, account, func(tx store.Tx) error {
		var err error
		d, err = tx.MFADevice(serial)
		return err
	})
	d.Seed = nil
	return d, err
}

// ListMFADevices lists owner's devices.
func (s *Service) ListMFADevices(ctx context.Context, account string, owner store.EntityRef, in ListInput) (Page[store.MFADevice], error) {
	var v Validation
	checkOwner(&v, owner)
	in.Check(&v)
	if err := v.Err(); err != nil {
		return Page[store.MFADevice]{}, err
	}
	var ds []store.MFADevice
	err := s.store.View(ctx, account, func(tx store.Tx) error {
		var err error
		ds, err = tx.MFADevices(owner)
		return err
	})
	if err != nil {
		return Page[store.MFADevice]{}, err
	}
	return pageSlice(ds, in, func(d store.MFADevice) string { return d.SerialNumber })
}

// AssignmentStatus filters ListVirtualMFADevices.
type AssignmentStatus string

// The values of AssignmentStatus.
const (
	StatusAny        AssignmentStatus = "Any"
	StatusAssigned   AssignmentStatus = "Assigned"
	StatusUnassigned AssignmentStatus = "Unassigned"
)

// VirtualMFADevice is a device of ListVirtualMFADevices, with its user.
type VirtualMFADevice struct {
	Device store.MFADevice
	User   *store.User // nil unless assigned to a user
}

// ListVirtualMFADevices lists the account's devices, filtered by status
// ("" is Any).
func (s *Service) ListVirtualMFADevices(ctx context.Context, account string, status AssignmentStatus, in ListInput) (Page[VirtualMFADevice], error) {
	var v Validation
	if status == "" {
		status = StatusAny
	}
	if status != StatusAny && status != StatusAssigned && status != StatusUnassigned {
		v.constraint("assignmentStatus", string(status), "Member must satisfy enum value set: [Unassigned, Any, Assigned]")
	}
	in.Check(&v)
	if err := v.Err(); err != nil {
		return Page[VirtualMFADevice]{}, err
	}
	var out []VirtualMFADevice
	err := s.store.View(ctx, account, func(tx store.Tx) error {
		all, err := tx.AllMFADevices()
		if err != nil {
			return err
		}
		for _, d := range all {
			assigned := d.Owner.Kind != ""
			if status == StatusAssigned && !assigned || status == StatusUnassigned && assigned {
				continue
			}
			vd := VirtualMFADevice{Device: d}
			if d.Owner.Kind == store.KindUser {
				u, err := tx.User(d.Owner.Name)
				if err != nil {
					return err
				}
				vd.User = &u
			}
			out = append(out, vd)
		}
		return nil
	})
	if err != nil {
		return Page[VirtualMFADevice]{}, err
	}
	return pageSlice(out, in, func(d VirtualMFADevice) string { return d.Device.SerialNumber })
}

// TagMFADevice adds or replaces a device's tags.
func (s *Service) TagMFADevice(ctx context.Context, account, serial string, tags []store.Tag) error {
	var v Validation
	checkSerial(&v, serial)
	if len(tags) == 0 {
		v.model = append(v.model, "Value null at 'tags' failed to satisfy constraint: Member must not be null")
	}
	v.Tags(tags)
	if err := v.Err(); err != nil {
		return err
	}
	return s.store.Update(ctx, account, func(tx store.Tx) error { return tx.TagMFADevice(serial, tags) })
}

// UntagMFADevice removes a device's tags by key.
func (s *Service) UntagMFADevice(ctx context.Context, account, serial string, keys []string) error {
	var v Validation
	checkSerial(&v, serial)
	v.TagKeys(keys)
	if err := v.Err(); err != nil {
		return err
	}
	return s.store.Update(ctx, account, func(tx store.Tx) error { return tx.UntagMFADevice(serial, keys) })
}

// ListMFADeviceTags lists a device's tags by key.
func (s *Service) ListMFADeviceTags(ctx context.Context, account, serial string, in ListInput) (Page[store.Tag], error) {
	d, err := s.GetMFADevice(ctx, account, serial)
	if err != nil {
		return Page[store.Tag]{}, err
	}
	var v Validation
	in.Check(&v)
	if err := v.Err(); err != nil {
		return Page[store.Tag]{}, err
	}
	return pageSlice(d.Tags, in, func(t store.Tag) string { return strings.ToLower(t.Key) })
}

// MFADeviceARN returns the stored serial number (ARN) of the device that
// serial names in account, for authorization; ok is false when there is
// none.
func (s *Service) MFADeviceARN(ctx context.Context, account, serial string) (string, bool) {
	d, err := s.GetMFADevice(ctx, account, serial)
	return d.SerialNumber, err == nil
}

// VerifyMFA checks one code of a device assigned to owner: see the
// package function VerifyMFA.
func (s *Service) VerifyMFA(ctx context.Context, account string, owner store.EntityRef, serial, code string) error {
	return VerifyMFA(ctx, s.store, s.now(), account, owner, serial, code)
}
