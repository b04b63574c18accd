package iam

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"time"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/internal/store"
)

// The credential report (IAM User Guide, "Getting credential reports"): a
// CSV of the root and every user with the state of their passwords, MFA,
// access keys and signing certificates. One report per account is kept (in
// the account setting settingCredentialReport); a new one is generated at
// most every ReportLifetime, and an older one has expired.

// ReportLifetime is how long a credential report is served and how often
// one may be generated: "as often as once every four hours" (IAM User
// Guide, "Getting credential reports").
const ReportLifetime = 4 * time.Hour

// settingCredentialReport names the account setting that holds the report.
const settingCredentialReport = "credential-report"

// Sentinel errors of the credential report (GetCredentialReport's errors in
// IAM's model: ReportNotPresent and ReportExpired, both 410).
var (
	ErrReportNotPresent = errors.New("iam: credential report not present")
	ErrReportExpired    = errors.New("iam: credential report expired")
)

// ReportState is GenerateCredentialReport's State (reportStateType).
type ReportState string

// The states iamq answers. Generation runs within the call, so iamq never
// answers INPROGRESS (nor GetCredentialReport's ReportInProgress): STARTED
// says a new report was made, COMPLETE that the last one is still current.
const (
	ReportStarted  ReportState = "STARTED"
	ReportComplete ReportState = "COMPLETE"
)

// msgNoReport is the Description IAM gives with the first STARTED (as the
// AWS CLI shows it in IAM's documentation examples).
const msgNoReport = "No report exists. Starting a new report generation task"

// ReportStatus is GenerateCredentialReport's answer.
type ReportStatus struct {
	State       ReportState
	Description string // "" for none
}

// CredentialReport is GetCredentialReport's answer: the CSV and when it was
// generated.
type CredentialReport struct {
	Content   []byte
	Generated time.Time
}

// storedReport is the setting's value.
type storedReport struct {
	Generated int64  `json:"generated"` // Unix nanoseconds
	CSV       string `json:"csv"`
}

// GenerateCredentialReport makes a new report unless the account has one
// younger than ReportLifetime.
func (s *Service) GenerateCredentialReport(ctx context.Context, account string) (ReportStatus, error) {
	var out ReportStatus
	err := s.store.Update(ctx, account, func(tx store.Tx) error {
		now := s.now()
		old, err := loadReport(tx)
		switch {
		case err == nil && now.Sub(time.Unix(0, old.Generated)) < ReportLifetime:
			out = ReportStatus{State: ReportComplete}
			return nil
		case errors.Is(err, store.ErrNotFound):
			out = ReportStatus{State: ReportStarted, Description: msgNoReport}
		case err != nil:
			return err
		default:
			out = ReportStatus{State: ReportStarted}
		}
		content, err := buildReport(tx)
		if err != nil {
			return err
		}
		v, err := json.Marshal(storedReport{Generated: now.UnixNano(), CSV: string(content)})
		if err != nil {
			return err
		}
		return tx.PutAccountSetting(settingCredentialReport, string(v))
	})
	return out, err
}

// GetCredentialReport returns the account's report: ReportNotPresent when
// none was generated, ReportExpired when it is older than ReportLifetime.
// The texts are the model's documentation of the two errors.
func (s *Service) GetCredentialReport(ctx context.Context, account string) (CredentialReport, error) {
	var r storedReport
	err := s.store.View(ctx, account, func(tx store.Tx) error {
		var err error
		r, err = loadReport(tx)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return CredentialReport{}, refuse(ErrReportNotPresent,
			"The request was rejected because the credential report does not exist. To generate a credential report, use GenerateCredentialReport.")
	}
	if err != nil {
		return CredentialReport{}, err
	}
	generated := time.Unix(0, r.Generated).UTC()
	if s.now().Sub(generated) >= ReportLifetime {
		return CredentialReport{}, refuse(ErrReportExpired,
			"The request was rejected because the most recent credential report has expired. To generate a new credential report, use GenerateCredentialReport.")
	}
	return CredentialReport{Content: []byte(r.CSV), Generated: generated}, nil
}

func loadReport(tx store.Tx) (storedReport, error) {
	v, err := tx.AccountSetting(settingCredentialReport)
	if err != nil {
		return storedReport{}, err
	}
	var r storedReport
	if err := json.Unmarshal([]byte(v), &r); err != nil {
		return storedReport{}, err
	}
	return r, nil
}

// buildReport writes the CSV: the header, the root's row, then a row per
// user by name.
func buildReport(tx store.Tx) ([]byte, error) {
	acct := tx.Account()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.Write(reportHeader()); err != nil {
		return nil, err
	}
	rootKeys, err := tx.AccessKeys(store.EntityRef{Kind: store.KindAccount})
	if err != nil {
		return nil, err
	}
	pol, err := tx.PasswordPolicy()
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	rootRef := store.EntityRef{Kind: store.KindAccount}
	rootCerts, err := certFacts(tx, rootRef)
	if err != nil {
		return nil, err
	}
	rootMFA, err := mfaFacts(tx, rootRef)
	if err != nil {
		return nil, err
	}
	// The root's sign-in is not tracked: its password_last_used is
	// no_information.
	root := reportSubject{Name: "<root_account>", ARN: arn.Root(acct.ID).String(), Created: acct.Created,
		Root: true, Keys: rootKeys, MFA: rootMFA, Certs: rootCerts}
	if err := w.Write(reportRow(root)); err != nil {
		return nil, err
	}
	o := store.ListOptions{MaxItems: store.MaxMaxItems}
	for {
		page, err := tx.Users(o)
		if err != nil {
			return nil, err
		}
		for _, u := range page.Items {
			ref := store.EntityRef{Kind: store.KindUser, Name: u.Name}
			keys, err := tx.AccessKeys(ref)
			if err != nil {
				return nil, err
			}
			certs, err := certFacts(tx, ref)
			if err != nil {
				return nil, err
			}
			login, err := loginFacts(tx, u.Name, pol)
			if err != nil {
				return nil, err
			}
			mfa, err := mfaFacts(tx, ref)
			if err != nil {
				return nil, err
			}
			row := reportSubject{Name: u.Name, ARN: arn.IAMString(acct.ID, arn.TypeUser, u.Path, u.Name), Created: u.Created,
				Keys: keys, Login: login, MFA: mfa, Certs: certs,
			}
			if err := w.Write(reportRow(row)); err != nil {
				return nil, err
			}
		}
		if !page.Truncated() {
			break
		}
		o.Marker = page.Marker
	}
	w.Flush()
	return b.Bytes(), w.Error()
}

// certFacts are the report's facts of owner's signing certificates (the
// root's or a user's), oldest first.
func certFacts(tx store.Tx, owner store.EntityRef) ([]CertFacts, error) {
	certs, err := tx.Credentials(store.CredSigningCert, owner, "")
	if err != nil {
		return nil, err
	}
	facts := make([]CertFacts, len(certs))
	for i, c := range certs {
		facts[i] = CertFacts{Active: c.Status == store.KeyActive, Uploaded: c.Created}
	}
	return facts, nil
}

// loginFacts are the report's facts of user's console password under the
// account's policy: nil when the user has none. Console sign-ins are not
// tracked, so LastUsed stays zero (no_information).
func loginFacts(tx store.Tx, user string, pol store.PasswordPolicy) (*LoginFacts, error) {
	p, err := tx.LoginProfile(user)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &LoginFacts{LastChanged: p.PasswordLastChanged, NextRotation: NextRotation(p, pol)}, nil
}

// mfaFacts are the report's facts of owner's MFA: nil without a device.
func mfaFacts(tx store.Tx, owner store.EntityRef) (*MFAFacts, error) {
	devices, err := tx.MFADevices(owner)
	if err != nil || len(devices) == 0 {
		return nil, err
	}
	return &MFAFacts{Active: true}, nil
}
