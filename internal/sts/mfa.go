package sts

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/iamq/iamq/eval"
	"github.com/iamq/iamq/internal/authz"
	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/store"
)

// MFA is the SerialNumber and TokenCode of GetSessionToken and AssumeRole;
// the zero value means none was given.
type MFA struct {
	SerialNumber string
	TokenCode    string
}

// STS's refusals of an MFA code, as AWS words them (AccessDenied; the texts
// are quoted in public issues, e.g. 99designs/aws-vault's and the AWS CLI's:
// the first has two spaces after "code." and the second a space at its end).
const (
	msgMFANoDevice = "MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user."
	msgMFACode     = "MultiFactorAuthentication failed with invalid MFA one time pass code. "
)

// given reports whether either parameter was given.
func (m MFA) given() bool { return m.SerialNumber != "" || m.TokenCode != "" }

// validate checks the parameters' shapes (serialNumberType: 9–256
// characters of [\w+=/:,.@-]; tokenCodeType: six digits).
func (m MFA) validate() error {
	if m.SerialNumber != "" {
		if err := checkName(m.SerialNumber, "serialNumber", 9, 256, "/:", `[\w+=/:,.@-]*`); err != nil {
			return err
		}
	}
	if m.TokenCode != "" {
		if len(m.TokenCode) < 6 {
			return invalid(m.TokenCode, "tokenCode", "Member must have length greater than or equal to 6")
		}
		if len(m.TokenCode) > 6 {
			return invalid(m.TokenCode, "tokenCode", "Member must have length less than or equal to 6")
		}
		for i := 0; i < len(m.TokenCode); i++ {
			if m.TokenCode[i] < '0' || m.TokenCode[i] > '9' {
				return invalid(m.TokenCode, "tokenCode", `Member must satisfy regular expression pattern: [\d]*`)
			}
		}
	}
	return nil
}

// checkMFA verifies the code against the caller's device, once: an IAM user's
// or the root's (a role session has no MFA device). It returns the time of
// the authentication.
func (s *Service) checkMFA(ctx context.Context, caller authz.Principal, m MFA) (time.Time, error) {
	if err := m.validate(); err != nil {
		return time.Time{}, err
	}
	var owner store.EntityRef
	switch {
	case caller.Kind == eval.PrincipalUser && caller.Session == nil:
		owner = store.EntityRef{Kind: store.KindUser, Name: caller.Name}
	case caller.Kind == eval.PrincipalRoot && caller.Session == nil:
		owner = store.EntityRef{Kind: store.KindAccount}
	default:
		return time.Time{}, fmt.Errorf("%w: %s", ErrAccessDenied, msgMFANoDevice)
	}
	if m.SerialNumber == "" || m.TokenCode == "" {
		return time.Time{}, fmt.Errorf("%w: %s", ErrAccessDenied, msgMFANoDevice)
	}
	now := s.opts.Now()
	err := iam.VerifyMFA(ctx, s.store, now, caller.Account, owner, m.SerialNumber, m.TokenCode)
	switch {
	case errors.Is(err, iam.ErrMFADevice):
		return time.Time{}, fmt.Errorf("%w: %s", ErrAccessDenied, msgMFANoDevice)
	case errors.Is(err, iam.ErrMFACode):
		return time.Time{}, fmt.Errorf("%w: %s", ErrAccessDenied, msgMFACode)
	case err != nil:
		return time.Time{}, err
	}
	return now.UTC().Truncate(time.Second), nil
}
