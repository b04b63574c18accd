package iamapi

import (
	"context"
	"encoding/base64"

	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/server"
)

func reportOps() []operation {
	return []operation{
		{"GenerateCredentialReport", (*api).generateCredentialReport, anyResource},
		{"GetCredentialReport", (*api).getCredentialReport, anyResource},
	}
}

// generateReportResult is GenerateCredentialReportResult.
type generateReportResult struct {
	State       iam.ReportState
	Description string `xml:",omitempty"`
}

func (a *api) generateCredentialReport(ctx context.Context, c *server.Call) (any, error) {
	st, err := a.iam.GenerateCredentialReport(ctx, c.Caller.Account)
	if err != nil {
		return nil, err
	}
	return generateReportResult(st), nil
}

// reportResult is GetCredentialReportResult: Content is a blob, base64 on
// the wire.
type reportResult struct {
	Content       string
	ReportFormat  string
	GeneratedTime string
}

func (a *api) getCredentialReport(ctx context.Context, c *server.Call) (any, error) {
	r, err := a.iam.GetCredentialReport(ctx, c.Caller.Account)
	if err != nil {
		return nil, err
	}
	return reportResult{Content: base64.StdEncoding.EncodeToString(r.Content), ReportFormat: "text/csv",
		GeneratedTime: server.ISODate(r.Generated)}, nil
}

func stsPrefsOps() []operation {
	return []operation{
		{"SetSecurityTokenServicePreferences", (*api).setSecurityTokenServicePreferences, anyResource},
	}
}

func (a *api) setSecurityTokenServicePreferences(ctx context.Context, c *server.Call) (any, error) {
	v := c.Form.String("GlobalEndpointTokenVersion")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, a.iam.SetSecurityTokenServicePreferences(ctx, c.Caller.Account, iam.TokenVersion(v))
}
