package iam

import (
	"context"
	"errors"
	"time"

	"github.com/iamq/iamq/internal/store"
)

// ErrPasswordChange: ChangePassword refused for the caller's state (a wrong
// old password, an expired password under HardExpiry). AWS does not
// publish the code it answers; iamq answers AccessDenied.
var ErrPasswordChange = ErrAccessDenied

// LoginProfileInput is CreateLoginProfile's and UpdateLoginProfile's
// request: nil fields were not given.
type LoginProfileInput struct {
	User          string
	Password      *string
	ResetRequired *bool
}

// CreateLoginProfile gives a user a console password, which the account's
// password policy must allow (PasswordPolicyViolation). The password is
// kept only as a slow salted hash.
func (s *Service) CreateLoginProfile(ctx context.Context, account string, in LoginProfileInput) (store.LoginProfile, error) {
	var v Validation
	v.Name(FieldUserName, in.User, MaxUserName)
	if in.Password == nil {
		v.model = append(v.model, "Value null at 'password' failed to satisfy constraint: Member must not be null")
	} else {
		checkPassword(&v, FieldPassword, *in.Password)
	}
	if err := v.Err(); err != nil {
		return store.LoginProfile{}, err
	}
	pol, err := s.readPolicy(ctx, account, in.User)
	if err != nil {
		return store.LoginProfile{}, err
	}
	if !PolicyAllows(pol, *in.Password) {
		return store.LoginProfile{}, refuse(ErrPasswordPolicy, MsgPasswordPolicy)
	}
	release, err := s.hashing(ctx)
	if err != nil {
		return store.LoginProfile{}, err
	}
	hash := HashPassword(*in.Password)
	release()
	now := s.now().UTC()
	p := store.LoginProfile{User: in.User, Hash: hash, ResetRequired: in.ResetRequired != nil && *in.ResetRequired,
		Created: now, PasswordLastChanged: now}
	err = s.store.Update(ctx, account, func(tx store.Tx) error {
		// The policy may have changed while the password was hashed.
		if pol2, err := policyOf(tx); err != nil || pol2 != pol {
			return conflictOr(err)
		}
		var err error
		p, err = tx.PutLoginProfile(p, true)
		return err
	})
	return p, err
}

// readPolicy reads the account's password policy, and checks that the user
// exists.
func (s *Service) readPolicy(ctx context.Context, account, user string) (store.PasswordPolicy, error) {
	var pol store.PasswordPolicy
	err := s.store.View(ctx, account, func(tx store.Tx) error {
		if _, err := tx.User(user); err != nil {
			return err
		}
		var err error
		pol, err = policyOf(tx)
		return err
	})
	return pol, err
}

// conflictOr returns err, or a retryable conflict when err is nil.
func conflictOr(err error) error {
	if err != nil {
		return err
	}
	return refuse(store.ErrConflict, "The request was rejected because it conflicted with another one; retry it.")
}

// GetLoginProfile returns a user's login profile (NoSuchEntity, worded for
// a missing user or a missing profile).
func (s *Service) GetLoginProfile(ctx context.Context, account, user string) (store.LoginProfile, error) {
	var v Validation
	v.Name(FieldUserName, user, MaxUserName)
	if err := v.Err(); err != nil {
		return store.LoginProfile{}, err
	}
	var p store.LoginProfile
	err := s.store.View(ctx, account, func(tx store.Tx) error {
		var err error
		p, err = tx.LoginProfile(user)
		return err
	})
	return p, err
}

// UpdateLoginProfile sets a user's password (checked against the policy and,
// when it prevents reuse, against the earlier ones) and whether it must be
// reset at the next sign-in.
func (s *Service) UpdateLoginProfile(ctx context.Context, account string, in LoginProfileInput) error {
	var v Validation
	v.Name(FieldUserName, in.User, MaxUserName)
	if in.Password != nil {
		checkPassword(&v, FieldPassword, *in.Password)
	}
	if err := v.Err(); err != nil {
		return err
	}
	return s.setPassword(ctx, account, in.User, in.Password, nil, in.ResetRequired)
}

// setPassword replaces a user's password (when pw is not nil) and its reset
// flag. When old is not nil, it must match the current password first. The
// checks and the hashing run outside the write transaction, which then
// verifies that nothing changed meanwhile (ErrConflict otherwise).
func (s *Service) setPassword(ctx context.Context, account, user string, pw, old *string, reset *bool) error {
	var prof store.LoginProfile
	var pol store.PasswordPolicy
	err := s.store.View(ctx, account, func(tx store.Tx) error {
		var err error
		if prof, err = tx.LoginProfile(user); err != nil {
			return err
		}
		pol, err = policyOf(tx)
		return err
	})
	if err != nil {
		return err
	}
	release, err := s.hashing(ctx)
	if err != nil {
		return err
	}
	defer release()
	next := prof
	if old != nil {
		if err := s.mayChange(prof, pol, *old); err != nil {
			return err
		}
	}
	if pw != nil {
		if next.Hash, next.History, err = newHashWith(pol, *pw, &prof); err != nil {
			return err
		}
		next.PasswordLastChanged = s.now().UTC()
	}
	if reset != nil {
		next.ResetRequired = *reset
	}
	return s.store.Update(ctx, account, func(tx store.Tx) error {
		cur, err := tx.LoginProfile(user)
		if err != nil {
			return err
		}
		if pol2, err := policyOf(tx); err != nil || cur.Hash != prof.Hash || pol2 != pol {
			return conflictOr(err)
		}
		_, err = tx.PutLoginProfile(next, false)
		return err
	})
}

// mayChange checks ChangePassword's old password and, under HardExpiry, that
// the password has not expired (IAM User Guide, "Set an account password
// policy for IAM users": after expiry only an administrator may reset it).
func (s *Service) mayChange(prof store.LoginProfile, pol store.PasswordPolicy, old string) error {
	if !CheckPassword(prof.Hash, old) {
		return refuse(ErrPasswordChange, "The old password is incorrect.")
	}
	if pol.HardExpiry && Expired(prof, pol, s.now()) {
		return refuse(ErrPasswordChange, "The password has expired; an administrator must reset it.")
	}
	return nil
}

// Expired reports whether a password is past the policy's MaxPasswordAge
// at now.
func Expired(p store.LoginProfile, pol store.PasswordPolicy, now time.Time) bool {
	next := NextRotation(p, pol)
	return !next.IsZero() && now.After(next)
}

// NextRotation is when a password expires under the policy's
// MaxPasswordAge: zero when passwords do not expire.
func NextRotation(p store.LoginProfile, pol store.PasswordPolicy) time.Time {
	if pol.MaxPasswordAge <= 0 {
		return time.Time{}
	}
	return p.PasswordLastChanged.AddDate(0, 0, pol.MaxPasswordAge)
}

// DeleteLoginProfile removes a user's console password.
func (s *Service) DeleteLoginProfile(ctx context.Context, account, user string) error {
	var v Validation
	v.Name(FieldUserName, user, MaxUserName)
	if err := v.Err(); err != nil {
		return err
	}
	return s.store.Update(ctx, account, func(tx store.Tx) error { return tx.DeleteLoginProfile(user) })
}

// ChangePassword changes the calling user's own password (IAM API
// Reference, ChangePassword): the old one must match, the new one must meet
// the policy, and a required reset is then done.
func (s *Service) ChangePassword(ctx context.Context, account, user, old, pw string) error {
	var v Validation
	checkPassword(&v, FieldOldPassword, old)
	checkPassword(&v, FieldNewPassword, pw)
	if err := v.Err(); err != nil {
		return err
	}
	done := false
	err := s.setPassword(ctx, account, user, &pw, &old, &done)
	if errors.Is(err, store.ErrNotFound) {
		// A user without a console password has none to change.
		return noSuchEntity("Login Profile for User %s cannot be found.", user)
	}
	return err
}

// AllowsOwnPasswordChange reports whether the account's password policy
// lets every IAM user change its own password (AllowUsersToChangePassword).
func (s *Service) AllowsOwnPasswordChange(ctx context.Context, account string) bool {
	var pol store.PasswordPolicy
	err := s.store.View(ctx, account, func(tx store.Tx) error {
		var err error
		pol, err = policyOf(tx)
		return err
	})
	return err == nil && pol.AllowUsersToChangePassword
}
