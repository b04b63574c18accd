package iamapi

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/server"
)

// standaloneOps are the operations iamq answers as AWS answers a standalone
// account: outside any organization, with no delegation partners, role
// templates or outbound token issuer (docs/iam-operations.md).
func standaloneOps() []operation {
	org := (*api).organizationsFeatures
	dr := (*api).delegationRequest
	return []operation{
		{"EnableOrganizationsRootCredentialsManagement", org, anyResource},
		{"DisableOrganizationsRootCredentialsManagement", org, anyResource},
		{"EnableOrganizationsRootSessions", org, anyResource},
		{"DisableOrganizationsRootSessions", org, anyResource},
		{"ListOrganizationsFeatures", org, anyResource},
		{"GenerateOrganizationsAccessReport", (*api).generateOrganizationsAccessReport, anyResource},
		{"GetOrganizationsAccessReport", (*api).getOrganizationsAccessReport, anyResource},
		{"CreateDelegationRequest", (*api).createDelegationRequest, anyResource},
		{"GetDelegationRequest", dr, delegationResource},
		{"AcceptDelegationRequest", dr, delegationResource},
		{"AssociateDelegationRequest", dr, delegationResource},
		{"RejectDelegationRequest", dr, delegationResource},
		{"UpdateDelegationRequest", dr, delegationResource},
		{"SendDelegationToken", dr, delegationResource},
		{"ListDelegationRequests", (*api).listDelegationRequests, anyResource},
		{"GetHumanReadableSummary", (*api).getHumanReadableSummary, summaryResource},
		{"AcquireRole", (*api).roleTemplate, anyResource},
		{"GetRoleTemplateVersion", (*api).roleTemplate, anyResource},
		{"GetAccountProperties", (*api).getAccountProperties, anyResource},
		{"PutAccountProperties", (*api).putAccountProperties, anyResource},
		{"EnableOutboundWebIdentityFederation", (*api).enableOutbound, anyResource},
		{"DisableOutboundWebIdentityFederation", (*api).outbound, anyResource},
		{"GetOutboundWebIdentityFederationInfo", (*api).outbound, anyResource},
	}
}

// delegationResource is the delegation request a call names (resource type
// delegation-request of the Service Authorization Reference:
// arn:${Partition}:iam::${Account}:delegation-request/${DelegationRequestId}).
func delegationResource(_ context.Context, _ *api, c *server.Call) string {
	return arn.ARN{Partition: arn.PartitionAWS, Service: arn.ServiceIAM, Account: c.Caller.Account,
		Resource: "delegation-request/" + c.Form.Get("DelegationRequestId")}.String()
}

// summaryResource is the entity GetHumanReadableSummary summarizes.
func summaryResource(_ context.Context, _ *api, c *server.Call) string {
	if e := c.Form.Get("EntityArn"); e != "" {
		return e
	}
	return "*"
}

// Codes of IAM's model for the standalone answers: shapes without an error
// trait are named by their shape name, status 400 (IAM's service model:
// OrganizationNotFoundException; FeatureDisabled is 404).
const (
	codeOrganizationNotFound server.Code = "OrganizationNotFoundException"
	codeFeatureDisabled      server.Code = "FeatureDisabled"
	codeReportNotPresent     server.Code = "ReportNotPresent"
	codeReportExpired        server.Code = "ReportExpired"
)

// standaloneCodes maps the domain errors of the standalone answers and of
// the credential report (ReportNotPresent and ReportExpired are 410).
var standaloneCodes = []server.ErrorCode{
	{Err: iam.ErrNoOrganization, Code: codeOrganizationNotFound, Status: http.StatusBadRequest, Fault: server.Sender},
	{Err: iam.ErrFeatureDisabled, Code: codeFeatureDisabled, Status: http.StatusNotFound, Fault: server.Sender},
	{Err: iam.ErrReportNotPresent, Code: codeReportNotPresent, Status: http.StatusGone, Fault: server.Sender},
	{Err: iam.ErrReportExpired, Code: codeReportExpired, Status: http.StatusGone, Fault: server.Sender},
}

func (a *api) organizationsFeatures(ctx context.Context, c *server.Call) (any, error) {
	return nil, a.iam.OrganizationsFeatures(ctx, c.Caller.Account)
}

func (a *api) generateOrganizationsAccessReport(ctx context.Context, c *server.Call) (any, error) {
	path := c.Form.String("EntityPath")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, a.iam.GenerateOrganizationsAccessReport(ctx, c.Caller.Account, path)
}

func (a *api) getOrganizationsAccessReport(ctx context.Context, c *server.Call) (any, error) {
	id := c.Form.String("JobId")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, a.iam.GetOrganizationsAccessReport(ctx, c.Caller.Account, id)
}

func (a *api) createDelegationRequest(ctx context.Context, c *server.Call) (any, error) {
	return nil, a.iam.CreateDelegationRequest(ctx, c.Caller.Account)
}

func (a *api) delegationRequest(ctx context.Context, c *server.Call) (any, error) {
	id := c.Form.String("DelegationRequestId")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, a.iam.DelegationRequest(ctx, c.Caller.Account, id)
}

// delegationRequestsResult is ListDelegationRequestsResult; the model
// spells its truncation flag isTruncated.
type delegationRequestsResult struct {
	DelegationRequests members[struct{}]
	IsTruncated        bool `xml:"isTruncated"`
}

// listDelegationRequests lists the account's delegation requests: none.
func (a *api) listDelegationRequests(ctx context.Context, c *server.Call) (any, error) {
	listInput(c.Form)
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return delegationRequestsResult{}, nil
}

func (a *api) getHumanReadableSummary(ctx context.Context, c *server.Call) (any, error) {
	entity := c.Form.String("EntityArn")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, a.iam.GetHumanReadableSummary(ctx, c.Caller.Account, entity)
}

func (a *api) roleTemplate(ctx context.Context, c *server.Call) (any, error) {
	tmpl := c.Form.String("TemplateArn")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, a.iam.RoleTemplate(ctx, c.Caller.Account, tmpl)
}

// propertiesResult is GetAccountPropertiesResult.
type propertiesResult struct {
	Properties struct {
		Entry []xmlEntry `xml:"entry"`
	}
}

func (a *api) getAccountProperties(ctx context.Context, c *server.Call) (any, error) {
	props, err := a.iam.GetAccountProperties(ctx, c.Caller.Account)
	if err != nil {
		return nil, err
	}
	var out propertiesResult
	for k, v := range props {
		out.Properties.Entry = append(out.Properties.Entry, xmlEntry{k, v})
	}
	slices.SortFunc(out.Properties.Entry, func(x, y xmlEntry) int { return strings.Compare(x.Key, y.Key) })
	return out, nil
}

// maxProperties bounds the Properties a request may carry: more is refused
// before any is looked at.
const maxProperties = 100

// putAccountProperties reads Properties, a map the Query protocol sends as
// Properties.entry.N.key and .value.
func (a *api) putAccountProperties(ctx context.Context, c *server.Call) (any, error) {
	props := map[string]string{}
	for i := 1; ; i++ {
		prefix := "Properties.entry." + strconv.Itoa(i) + "."
		k, ok := c.Form.Optional(prefix + "key")
		if !ok {
			break
		}
		if i > maxProperties {
			c.Form.Fail("Value at 'properties' failed to satisfy constraint: Member must have length less than or equal to 100")
			break
		}
		props[k] = c.Form.Get(prefix + "value")
	}
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, a.iam.PutAccountProperties(ctx, c.Caller.Account, props)
}

func (a *api) enableOutbound(ctx context.Context, c *server.Call) (any, error) {
	return nil, a.iam.EnableOutboundWebIdentityFederation(ctx, c.Caller.Account)
}

func (a *api) outbound(ctx context.Context, c *server.Call) (any, error) {
	return nil, a.iam.OutboundWebIdentityFederation(ctx, c.Caller.Account)
}
