package iam

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/iamq/iamq/internal/managed"
	"github.com/iamq/iamq/internal/store"
)

// TestReportRow: each kind of row has IAM's 22 values, written as IAM
// writes them, including the groups the other branches' data will fill.
func TestReportRow(t *testing.T) {
	created := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	used := created.Add(48 * time.Hour)
	key := func(status store.KeyStatus, last time.Time, region, service string) store.AccessKey {
		return store.AccessKey{Status: status, Created: created, LastUsed: last, LastUsedRegion: region, LastUsedService: service}
	}
	tests := []struct {
		name string
		in   reportSubject
		want string
	}{
		{"root without keys", reportSubject{Name: "<root_account>", ARN: "arn:aws:iam::123456789012:root", Created: created, Root: true},
			"<root_account>,arn:aws:iam::123456789012:root,2026-01-02T03:04:05+00:00,not_supported,no_information,not_supported,not_supported,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A"},
		{"root with a key and a sign-in", reportSubject{Name: "<root_account>", ARN: "arn:aws:iam::123456789012:root", Created: created, Root: true,
			Login: &LoginFacts{LastUsed: used}, MFA: &MFAFacts{Active: true}, Keys: []store.AccessKey{key(store.KeyActive, time.Time{}, "", "")}},
			"<root_account>,arn:aws:iam::123456789012:root,2026-01-02T03:04:05+00:00,not_supported,2026-01-04T03:04:05+00:00,not_supported,not_supported,true,true,2026-01-02T03:04:05+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A"},
		{"user without credentials", reportSubject{Name: "bob", ARN: "arn:aws:iam::123456789012:user/bob", Created: created},
			"bob,arn:aws:iam::123456789012:user/bob,2026-01-02T03:04:05+00:00,false,N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A"},
		{"user with a used key and an inactive one", reportSubject{Name: "ci", ARN: "arn:aws:iam::123456789012:user/team/ci", Created: created,
			Keys: []store.AccessKey{key(store.KeyActive, used, "eu-west-1", "mq"), key(store.KeyInactive, time.Time{}, "", "")}},
			"ci,arn:aws:iam::123456789012:user/team/ci,2026-01-02T03:04:05+00:00,false,N/A,N/A,N/A,false,true,2026-01-02T03:04:05+00:00,2026-01-04T03:04:05+00:00,eu-west-1,mq,false,2026-01-02T03:04:05+00:00,N/A,N/A,N/A,false,N/A,false,N/A"},
		{"user with a global service's use", reportSubject{Name: "g", ARN: "arn:aws:iam::123456789012:user/g", Created: created,
			Keys: []store.AccessKey{key(store.KeyActive, used, "", "iam")}},
			"g,arn:aws:iam::123456789012:user/g,2026-01-02T03:04:05+00:00,false,N/A,N/A,N/A,false,true,2026-01-02T03:04:05+00:00,2026-01-04T03:04:05+00:00,N/A,iam,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A"},
		{"user with a password, MFA and certificates", reportSubject{Name: "alice", ARN: "arn:aws:iam::123456789012:user/alice", Created: created,
			Login: &LoginFacts{LastChanged: created, NextRotation: used}, MFA: &MFAFacts{Active: true},
			Certs: []CertFacts{{Active: true, Uploaded: created}, {Active: false, Uploaded: used}}},
			"alice,arn:aws:iam::123456789012:user/alice,2026-01-02T03:04:05+00:00,true,no_information,2026-01-02T03:04:05+00:00,2026-01-04T03:04:05+00:00,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,true,2026-01-02T03:04:05+00:00,false,2026-01-04T03:04:05+00:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := reportRow(tt.in)
			if len(got) != len(reportHeader()) {
				t.Fatalf("reportRow(%s) has %d values, want %d", tt.name, len(got), len(reportHeader()))
			}
			if s := strings.Join(got, ","); s != tt.want {
				t.Errorf("reportRow(%s) =\n%s\nwant\n%s", tt.name, s, tt.want)
			}
		})
	}
}

// TestCredentialReport: no report is ReportNotPresent; the first generation
// is STARTED with IAM's description, a second within four hours COMPLETE and
// the same report; the report holds the root first, then each user with
// their keys; after four hours it has expired and a new one is made.
func TestCredentialReport(t *testing.T) {
	forEachBackend(t, func(t *testing.T, _ *Service, st store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 11, 26, 1, 2, 3, 0, time.UTC)
		s := New(st, managed.Builtin(), Options{Now: func() time.Time { return now }})
		_, err := s.GetCredentialReport(ctx, testAccount)
		wantIDErr(t, "GetCredentialReport(none)", err, ErrReportNotPresent, "The request was rejected because the credential report does not exist. To generate a credential report, use GenerateCredentialReport.")
		for _, name := range []string{"zed", "amy"} {
			if _, err := s.CreateUser(ctx, testAccount, CreateUserInput{UserName: name, Path: "/p/"}); err != nil {
				t.Fatal(err)
			}
		}
		k, err := s.CreateAccessKey(ctx, testAccount, store.EntityRef{Kind: store.KindUser, Name: "amy"})
		if err != nil {
			t.Fatal(err)
		}
		if err := st.RecordKeyUse(ctx, []store.KeyUse{{AccessKeyID: k.ID, Time: now, Service: "mq", Region: "us-east-2"}}); err != nil {
			t.Fatal(err)
		}
		st1, err := s.GenerateCredentialReport(ctx, testAccount)
		if err != nil || st1 != (ReportStatus{State: ReportStarted, Description: "No report exists. Starting a new report generation task"}) {
			t.Fatalf("GenerateCredentialReport(first) = %+v, %v", st1, err)
		}
		if _, err := s.CreateUser(ctx, testAccount, CreateUserInput{UserName: "late"}); err != nil {
			t.Fatal(err)
		}
		now = now.Add(time.Hour)
		st2, err := s.GenerateCredentialReport(ctx, testAccount)
		if err != nil || st2 != (ReportStatus{State: ReportComplete}) {
			t.Fatalf("GenerateCredentialReport(within 4 hours) = %+v, %v", st2, err)
		}
		r, err := s.GetCredentialReport(ctx, testAccount)
		if err != nil || !r.Generated.Equal(now.Add(-time.Hour)) {
			t.Fatalf("GetCredentialReport = %+v, %v", r, err)
		}
		rows := readCSV(t, r.Content)
		if len(rows) != 4 || strings.Join(rows[0], ",") != strings.Join(reportHeader(), ",") {
			t.Fatalf("report rows = %q, want the header, the root, amy, zed", rows)
		}
		if rows[1][0] != "<root_account>" || rows[2][0] != "amy" || rows[3][0] != "zed" {
			t.Errorf("report users = %s, %s, %s; want <root_account>, amy, zed (late came after)", rows[1][0], rows[2][0], rows[3][0])
		}
		if amy := rows[2]; amy[1] != "arn:aws:iam::"+testAccount+":user/p/amy" || amy[8] != "true" || amy[10] != "2026-11-26T01:02:03+00:00" ||
			amy[11] != "us-east-2" || amy[12] != "mq" || amy[13] != "false" {
			t.Errorf("amy's row = %q", amy)
		}
		now = now.Add(3 * time.Hour)
		_, err = s.GetCredentialReport(ctx, testAccount)
		wantIDErr(t, "GetCredentialReport(after 4 hours)", err, ErrReportExpired, "")
		st3, err := s.GenerateCredentialReport(ctx, testAccount)
		if err != nil || st3 != (ReportStatus{State: ReportStarted}) {
			t.Fatalf("GenerateCredentialReport(expired) = %+v, %v", st3, err)
		}
		r, err = s.GetCredentialReport(ctx, testAccount)
		if err != nil || len(readCSV(t, r.Content)) != 5 || !r.Generated.Equal(now) {
			t.Fatalf("GetCredentialReport(regenerated) = %d rows, %v, %v; want 5 rows (late too)", len(readCSV(t, r.Content)), r.Generated, err)
		}
	})
}

func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}
