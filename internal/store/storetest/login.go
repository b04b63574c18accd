package storetest

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/internal/store"
)

func testLoginProfiles(t *testing.T, s store.Store) {
	a := newAccount(t, s)
	changed := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	update(t, s, a, func(tx store.Tx) error {
		if _, err := tx.CreateUser(store.User{Name: "Ann"}); err != nil {
			return err
		}
		_, err := tx.LoginProfile("ann")
		wantErr(t, "LoginProfile(none)", err, store.ErrNotFound)
		wantSuffix(t, "LoginProfile(none)", err, "Login Profile for User Ann cannot be found.")
		_, err = tx.PutLoginProfile(store.LoginProfile{User: "ann", Hash: "h1"}, false)
		wantErr(t, "PutLoginProfile(update none)", err, store.ErrNotFound)
		p, err := tx.PutLoginProfile(store.LoginProfile{User: "ann", Hash: "h1", ResetRequired: true, PasswordLastChanged: changed}, true)
		wantErr(t, "PutLoginProfile(create)", err, nil)
		if p.User != "Ann" || p.Created.IsZero() {
			t.Errorf("PutLoginProfile = %+v", p)
		}
		_, err = tx.PutLoginProfile(store.LoginProfile{User: "ann", Hash: "h2"}, true)
		wantErr(t, "PutLoginProfile(create again)", err, store.ErrAlreadyExists)
		_, err = tx.PutLoginProfile(store.LoginProfile{User: "nobody", Hash: "h"}, true)
		wantErr(t, "PutLoginProfile(no user)", err, store.ErrNotFound)
		_, err = tx.PutLoginProfile(store.LoginProfile{User: "ann", Hash: "h", History: []string{"a\nb"}}, false)
		wantErr(t, "PutLoginProfile(bad history)", err, store.ErrInvalid)
		return nil
	})
	err := s.Update(ctx, a, func(tx store.Tx) error { return tx.DeleteUser("ann") })
	wantErr(t, "DeleteUser(with a login profile)", err, store.ErrDeleteConflict)
	wantMessage(t, "DeleteUser(with a login profile)", err, "Cannot delete entity, must delete login profile first.")
	update(t, s, a, func(tx store.Tx) error {
		p, err := tx.LoginProfile("ANN")
		wantErr(t, "LoginProfile", err, nil)
		if p.Hash != "h1" || !p.ResetRequired || !p.PasswordLastChanged.Equal(changed) || len(p.History) != 0 {
			t.Errorf("LoginProfile = %+v", p)
		}
		_, err = tx.PutLoginProfile(store.LoginProfile{User: "ann", Hash: "h2", History: []string{"h1"}, Created: p.Created}, false)
		wantErr(t, "PutLoginProfile(update)", err, nil)
		p, err = tx.LoginProfile("ann")
		wantErr(t, "LoginProfile(updated)", err, nil)
		if p.Hash != "h2" || p.ResetRequired || len(p.History) != 1 || p.History[0] != "h1" || p.PasswordLastChanged.Equal(changed) {
			t.Errorf("LoginProfile(updated) = %+v", p)
		}
		wantErr(t, "DeleteLoginProfile", tx.DeleteLoginProfile("ann"), nil)
		wantErr(t, "DeleteLoginProfile(again)", tx.DeleteLoginProfile("ann"), store.ErrNotFound)
		return tx.DeleteUser("ann")
	})
}

func testPasswordPolicy(t *testing.T, s store.Store) {
	a := newAccount(t, s)
	update(t, s, a, func(tx store.Tx) error {
		_, err := tx.PasswordPolicy()
		wantErr(t, "PasswordPolicy(none)", err, store.ErrNotFound)
		wantSuffix(t, "PasswordPolicy(none)", err, "The Password Policy with domain name "+a+" cannot be found.")
		wantErr(t, "DeletePasswordPolicy(none)", tx.DeletePasswordPolicy(), store.ErrNotFound)
		want := store.PasswordPolicy{MinimumPasswordLength: 14, RequireSymbols: true, RequireLowercaseCharacters: true,
			AllowUsersToChangePassword: true, MaxPasswordAge: 90, PasswordReusePrevention: 24, HardExpiry: true}
		wantErr(t, "PutPasswordPolicy", tx.PutPasswordPolicy(want), nil)
		got, err := tx.PasswordPolicy()
		if err != nil || got != want {
			t.Errorf("PasswordPolicy = %+v, %v; want %+v", got, err, want)
		}
		want = store.PasswordPolicy{MinimumPasswordLength: 6, RequireNumbers: true, RequireUppercaseCharacters: true}
		wantErr(t, "PutPasswordPolicy(replace)", tx.PutPasswordPolicy(want), nil)
		if got, err := tx.PasswordPolicy(); err != nil || got != want {
			t.Errorf("PasswordPolicy(replaced) = %+v, %v; want %+v", got, err, want)
		}
		return tx.DeletePasswordPolicy()
	})
	if err := s.View(ctx, a, func(tx store.Tx) error { _, err := tx.PasswordPolicy(); return err }); err == nil {
		t.Error("PasswordPolicy after DeletePasswordPolicy = nil error")
	}
}

func testMFADevices(t *testing.T, s store.Store) {
	a := newAccount(t, s)
	serial := arn.IAMString(a, arn.TypeMFA, "/", "ann-phone")
	rootSerial := arn.IAMString(a, arn.TypeMFA, "/", "root")
	seed := []byte("12345678901234567890")
	at := time.Date(2026, 2, 3, 4, 5, 6, 0, time.UTC)
	update(t, s, a, func(tx store.Tx) error {
		if _, err := tx.CreateUser(store.User{Name: "ann"}); err != nil {
			return err
		}
		d, err := tx.CreateMFADevice(store.MFADevice{SerialNumber: serial, Name: "ann-phone", Seed: seed, Tags: []store.Tag{{Key: "k", Value: "v"}}})
		wantErr(t, "CreateMFADevice", err, nil)
		if d.Path != "/" || d.Owner.Kind != "" || d.ID == "" {
			t.Errorf("CreateMFADevice = %+v", d)
		}
		_, err = tx.CreateMFADevice(store.MFADevice{SerialNumber: serial, Name: "ann-phone", Seed: seed})
		wantErr(t, "CreateMFADevice(again)", err, store.ErrAlreadyExists)
		_, err = tx.CreateMFADevice(store.MFADevice{SerialNumber: rootSerial, Name: "root", Seed: seed})
		wantErr(t, "CreateMFADevice(root's)", err, nil)
		wantErr(t, "AssignMFADevice", tx.AssignMFADevice(serial, user("ANN"), at, 7), nil)
		wantErr(t, "AssignMFADevice(again)", tx.AssignMFADevice(serial, user("ann"), at, 7), store.ErrConflict)
		wantErr(t, "AssignMFADevice(root)", tx.AssignMFADevice(rootSerial, store.EntityRef{Kind: store.KindAccount}, at, 1), nil)
		wantErr(t, "AssignMFADevice(missing)", tx.AssignMFADevice(serial+"x", user("ann"), at, 7), store.ErrNotFound)
		wantErr(t, "SetMFAStep", tx.SetMFAStep(serial, 9), nil)
		return nil
	})
	err := s.Update(ctx, a, func(tx store.Tx) error { return tx.DeleteUser("ann") })
	wantErr(t, "DeleteUser(with an MFA device)", err, store.ErrDeleteConflict)
	wantMessage(t, "DeleteUser(with an MFA device)", err, "Cannot delete entity, must delete MFA device first.")
	err = s.Update(ctx, a, func(tx store.Tx) error { return tx.DeleteMFADevice(serial) })
	wantErr(t, "DeleteMFADevice(assigned)", err, store.ErrDeleteConflict)
	update(t, s, a, func(tx store.Tx) error {
		d, err := tx.MFADevice(serial)
		wantErr(t, "MFADevice", err, nil)
		if !bytes.Equal(d.Seed, seed) || d.Owner != user("ann") || !d.Enabled.Equal(at) || d.LastStep != 9 || len(d.Tags) != 1 {
			t.Errorf("MFADevice = %+v", d)
		}
		mine, err := tx.MFADevices(user("ann"))
		if err != nil || len(mine) != 1 || mine[0].SerialNumber != serial || mine[0].Seed != nil {
			t.Errorf("MFADevices(ann) = %+v, %v", mine, err)
		}
		all, err := tx.AllMFADevices()
		if err != nil || len(all) != 2 {
			t.Errorf("AllMFADevices = %+v, %v", all, err)
		}
		sum, err := tx.Summary()
		if err != nil || sum.MFADevices != 2 || sum.MFADevicesInUse != 2 || sum.RootMFA != 1 {
			t.Errorf("Summary = %+v, %v", sum, err)
		}
		wantErr(t, "TagMFADevice", tx.TagMFADevice(serial, []store.Tag{{Key: "K", Value: "w"}, {Key: "x", Value: "y"}}), nil)
		wantErr(t, "UntagMFADevice", tx.UntagMFADevice(serial, []string{"x"}), nil)
		if d, _ := tx.MFADevice(serial); len(d.Tags) != 1 || d.Tags[0].Value != "w" {
			t.Errorf("MFADevice tags = %+v", d.Tags)
		}
		wantErr(t, "UnassignMFADevice", tx.UnassignMFADevice(serial), nil)
		wantErr(t, "DeleteMFADevice", tx.DeleteMFADevice(serial), nil)
		_, err = tx.MFADevice(serial)
		wantErr(t, "MFADevice(deleted)", err, store.ErrNotFound)
		return tx.DeleteUser("ann")
	})
}

// wantSuffix checks that err's text ends with msg (a not-found error's text
// is the store's prefix and then IAM's message).
func wantSuffix(t *testing.T, what string, err error, msg string) {
	t.Helper()
	if err == nil || !strings.HasSuffix(err.Error(), msg) {
		t.Fatalf("%s = %v, want a message ending %q", what, err, msg)
	}
}
