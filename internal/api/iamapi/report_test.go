package iamapi

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// TestCredentialReportSDK: through the SDK, GetCredentialReport before any
// report is the typed ReportNotPresent; GenerateCredentialReport is STARTED,
// then COMPLETE; the report is text/csv whose rows are the root and the
// users, with their keys.
func TestCredentialReportSDK(t *testing.T) {
	f := newIDFixture(t)
	ctx := context.Background()
	_, err := f.c.GetCredentialReport(ctx, &awsiam.GetCredentialReportInput{})
	var absent *iamtypes.CredentialReportNotPresentException
	if !errors.As(err, &absent) {
		t.Fatalf("GetCredentialReport(none) = %v, want CredentialReportNotPresentException", err)
	}
	must(f.c.CreateUser(ctx, &awsiam.CreateUserInput{UserName: aws.String("report-user")}))
	must(f.c.CreateAccessKey(ctx, &awsiam.CreateAccessKeyInput{UserName: aws.String("report-user")}))
	g := must(f.c.GenerateCredentialReport(ctx, &awsiam.GenerateCredentialReportInput{}))
	if g.State != iamtypes.ReportStateTypeStarted || aws.ToString(g.Description) != "No report exists. Starting a new report generation task" {
		t.Errorf("GenerateCredentialReport = %s %q, want STARTED", g.State, aws.ToString(g.Description))
	}
	g = must(f.c.GenerateCredentialReport(ctx, &awsiam.GenerateCredentialReportInput{}))
	if g.State != iamtypes.ReportStateTypeComplete || g.Description != nil {
		t.Errorf("GenerateCredentialReport(again) = %s %v, want COMPLETE", g.State, g.Description)
	}
	r := must(f.c.GetCredentialReport(ctx, &awsiam.GetCredentialReportInput{}))
	if r.ReportFormat != iamtypes.ReportFormatTypeTextCsv || r.GeneratedTime == nil {
		t.Errorf("GetCredentialReport = %s %v", r.ReportFormat, r.GeneratedTime)
	}
	rows, err := csv.NewReader(bytes.NewReader(r.Content)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || len(rows[0]) != 22 || rows[1][0] != "<root_account>" || rows[1][1] != "arn:aws:iam::"+idAccount+":root" ||
		rows[2][0] != "report-user" || rows[2][8] != "true" || rows[2][9] == "N/A" {
		t.Errorf("report = %q", rows)
	}
}
