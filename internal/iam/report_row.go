package iam

import (
	"time"

	"github.com/iamq/iamq/internal/store"
)

// The values the credential report writes (IAM User Guide, "Getting
// credential reports"; the booleans and times as IAM's reports spell them:
// lower-case true and false, times as 2006-01-02T15:04:05+00:00).
const (
	reportNA            = "N/A"
	reportNotSupported  = "not_supported"
	reportNoInformation = "no_information"
	reportTrue          = "true"
	reportFalse         = "false"
)

// reportHeader is the CSV's header: the report's 22 columns in IAM's order.
func reportHeader() []string {
	return []string{"user", "arn", "user_creation_time",
		"password_enabled", "password_last_used", "password_last_changed", "password_next_rotation",
		"mfa_active",
		"access_key_1_active", "access_key_1_last_rotated", "access_key_1_last_used_date",
		"access_key_1_last_used_region", "access_key_1_last_used_service",
		"access_key_2_active", "access_key_2_last_rotated", "access_key_2_last_used_date",
		"access_key_2_last_used_region", "access_key_2_last_used_service",
		"cert_1_active", "cert_1_last_rotated", "cert_2_active", "cert_2_last_rotated"}
}

// LoginFacts are what the report says of a user's console password (its
// login profile). A nil *LoginFacts is a user without a password.
type LoginFacts struct {
	LastUsed     time.Time // zero: never used
	LastChanged  time.Time
	NextRotation time.Time // zero: the password policy requires no rotation
}

// MFAFacts are what the report says of a user's MFA: whether a device is
// enabled. A nil *MFAFacts is a user without one.
type MFAFacts struct {
	Active bool
}

// CertFacts are what the report says of one signing certificate.
type CertFacts struct {
	Active   bool
	Uploaded time.Time
}

// reportSubject is one row's data: the root or a user.
type reportSubject struct {
	Name, ARN string
	Created   time.Time
	Root      bool
	Login     *LoginFacts
	MFA       *MFAFacts
	Keys      []store.AccessKey // oldest first: access_key_1 is the oldest
	Certs     []CertFacts       // oldest first
}

// reportRow is a row of the report: one function per group of columns.
func reportRow(s reportSubject) []string {
	row := make([]string, 0, 22)
	row = append(row, s.Name, s.ARN, reportTime(s.Created))
	row = append(row, passwordColumns(s.Root, s.Login)...)
	row = append(row, mfaColumns(s.MFA)...)
	row = append(row, keyColumns(s.Keys, 0)...)
	row = append(row, keyColumns(s.Keys, 1)...)
	row = append(row, certColumns(s.Certs, 0)...)
	return append(row, certColumns(s.Certs, 1)...)
}

// passwordColumns are password_enabled, password_last_used,
// password_last_changed and password_next_rotation. The root's are
// not_supported, except its last sign-in (no_information when unknown); a
// user without a password has false and N/A; a password never used is
// no_information.
func passwordColumns(root bool, p *LoginFacts) []string {
	switch {
	case root:
		last := reportNoInformation
		if p != nil && !p.LastUsed.IsZero() {
			last = reportTime(p.LastUsed)
		}
		return []string{reportNotSupported, last, reportNotSupported, reportNotSupported}
	case p == nil:
		return []string{reportFalse, reportNA, reportNA, reportNA}
	}
	last, next := reportNoInformation, reportNA
	if !p.LastUsed.IsZero() {
		last = reportTime(p.LastUsed)
	}
	if !p.NextRotation.IsZero() {
		next = reportTime(p.NextRotation)
	}
	return []string{reportTrue, last, reportTime(p.LastChanged), next}
}

// mfaColumns is mfa_active.
func mfaColumns(m *MFAFacts) []string {
	return []string{reportBool(m != nil && m.Active)}
}

// keyColumns are access_key_N_active, _last_rotated, _last_used_date,
// _last_used_region and _last_used_service for the key in slot i (0 or 1):
// false and N/A when there is none, N/A for what a key never used lacks.
func keyColumns(keys []store.AccessKey, i int) []string {
	if i >= len(keys) {
		return []string{reportFalse, reportNA, reportNA, reportNA, reportNA}
	}
	k := keys[i]
	used, region, service := reportNA, reportNA, reportNA
	if !k.LastUsed.IsZero() {
		used = reportTime(k.LastUsed)
		region, service = orNA(k.LastUsedRegion), orNA(k.LastUsedService)
	}
	return []string{reportBool(k.Status == store.KeyActive), reportTime(k.Created), used, region, service}
}

// certColumns are cert_N_active and cert_N_last_rotated for the
// certificate in slot i.
func certColumns(certs []CertFacts, i int) []string {
	if i >= len(certs) {
		return []string{reportFalse, reportNA}
	}
	return []string{reportBool(certs[i].Active), reportTime(certs[i].Uploaded)}
}

func reportTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05+00:00") }

func reportBool(b bool) string {
	if b {
		return reportTrue
	}
	return reportFalse
}

func orNA(s string) string {
	if s == "" {
		return reportNA
	}
	return s
}
