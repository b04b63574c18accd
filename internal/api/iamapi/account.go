package iamapi

import (
	"context"
	"slices"
	"strconv"

	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/server"
)

func accountOps() []operation {
	return []operation{
		{"GetAccountSummary", (*api).getAccountSummary, anyResource},
		{"GetAccountAuthorizationDetails", (*api).getAccountAuthorizationDetails, anyResource},
		{"CreateAccountAlias", (*api).createAccountAlias, anyResource},
		{"ListAccountAliases", (*api).listAccountAliases, anyResource},
		{"DeleteAccountAlias", (*api).deleteAccountAlias, anyResource},
	}
}

// summaryXML is GetAccountSummaryResult: the SummaryMap as the Query
// protocol writes maps, <entry><key/><value/></entry>, keys sorted.
type summaryXML map[string]int

// AppendXML appends the SummaryMap.
func (m summaryXML) AppendXML(b []byte) []byte {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = append(b, "<SummaryMap>"...)
	for _, k := range keys {
		b = append(b, "<entry>"...)
		b = server.AppendXMLElement(b, "key", k)
		b = server.AppendXMLElement(b, "value", strconv.Itoa(m[k]))
		b = append(b, "</entry>"...)
	}
	return append(b, "</SummaryMap>"...)
}

func (a *api) getAccountSummary(ctx context.Context, c *server.Call) (any, error) {
	m, err := a.iam.GetAccountSummary(ctx, c.Caller.Account)
	if err != nil {
		return nil, err
	}
	return summaryXML(m), nil
}

func (a *api) createAccountAlias(ctx context.Context, c *server.Call) (any, error) {
	alias := c.Form.String("AccountAlias")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, a.iam.CreateAccountAlias(ctx, c.Caller.Account, alias)
}

func (a *api) deleteAccountAlias(ctx context.Context, c *server.Call) (any, error) {
	alias := c.Form.String("AccountAlias")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, a.iam.DeleteAccountAlias(ctx, c.Caller.Account, alias)
}

type aliasesResult struct {
	AccountAliases members[string]
	IsTruncated    bool
	Marker         string `xml:",omitempty"`
}

func (a *api) listAccountAliases(ctx context.Context, c *server.Call) (any, error) {
	in := listInput(c.Form)
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	p, err := a.iam.ListAccountAliases(ctx, c.Caller.Account, in)
	if err != nil {
		return nil, err
	}
	return aliasesResult{AccountAliases: list(p.Items), IsTruncated: p.IsTruncated, Marker: p.Marker}, nil
}

// The shapes of GetAccountAuthorizationDetailsResult.
type (
	xmlPolicyDetail struct {
		PolicyName     string
		PolicyDocument string
	}
	xmlAttachedPolicy struct {
		PolicyName string
		PolicyArn  string
	}
	xmlUserDetail struct {
		Path                    string
		UserName                string
		UserId                  string
		Arn                     string
		CreateDate              string
		UserPolicyList          members[xmlPolicyDetail]
		GroupList               members[string]
		AttachedManagedPolicies members[xmlAttachedPolicy]
		PermissionsBoundary     *xmlBoundary `xml:",omitempty"`
		Tags                    members[xmlTag]
	}
	xmlGroupDetail struct {
		Path                    string
		GroupName               string
		GroupId                 string
		Arn                     string
		CreateDate              string
		GroupPolicyList         members[xmlPolicyDetail]
		AttachedManagedPolicies members[xmlAttachedPolicy]
	}
	xmlProfileDetail struct {
		Path                string
		InstanceProfileName string
		InstanceProfileId   string
		Arn                 string
		CreateDate          string
		Roles               members[xmlProfileRole]
		Tags                members[xmlTag]
	}
	// xmlProfileRole is a role of an instance profile: the model's Role,
	// which has the Description and MaxSessionDuration RoleDetail lacks.
	xmlProfileRole struct {
		xmlRoleSummary
		Description        string `xml:",omitempty"`
		MaxSessionDuration int    `xml:",omitempty"`
	}
	xmlRoleSummary struct {
		Path                     string
		RoleName                 string
		RoleId                   string
		Arn                      string
		CreateDate               string
		AssumeRolePolicyDocument string
	}
	xmlRoleDetail struct {
		xmlRoleSummary
		InstanceProfileList     members[xmlProfileDetail]
		RolePolicyList          members[xmlPolicyDetail]
		AttachedManagedPolicies members[xmlAttachedPolicy]
		PermissionsBoundary     *xmlBoundary `xml:",omitempty"`
		Tags                    members[xmlTag]
		RoleLastUsed            xmlRoleLastUsed
	}
	xmlVersionDetail struct {
		Document         string
		VersionId        string
		IsDefaultVersion bool
		CreateDate       string
	}
	xmlPolicyDetailFull struct {
		PolicyName                    string
		PolicyId                      string
		Arn                           string
		Path                          string
		DefaultVersionId              string
		AttachmentCount               int
		PermissionsBoundaryUsageCount int
		IsAttachable                  bool
		Description                   string `xml:",omitempty"`
		CreateDate                    string
		UpdateDate                    string
		PolicyVersionList             members[xmlVersionDetail]
	}
	detailsResult struct {
		UserDetailList  members[xmlUserDetail]
		GroupDetailList members[xmlGroupDetail]
		RoleDetailList  members[xmlRoleDetail]
		Policies        members[xmlPolicyDetailFull]
		IsTruncated     bool
		Marker          string `xml:",omitempty"`
	}
)

func (a *api) getAccountAuthorizationDetails(ctx context.Context, c *server.Call) (any, error) {
	in := listInput(c.Form)
	var filter []iam.EntityType
	for _, f := range c.Form.List("Filter") {
		filter = append(filter, iam.EntityType(f))
	}
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	d, err := a.iam.GetAccountAuthorizationDetails(ctx, c.Caller.Account, filter, in)
	if err != nil {
		return nil, err
	}
	return detailsXML(d), nil
}

// detailsXML converts the authorization details, URL-encoding documents.
func detailsXML(d iam.AuthorizationDetails) detailsResult {
	out := detailsResult{IsTruncated: d.IsTruncated, Marker: d.Marker}
	for _, u := range d.UserDetailList {
		out.UserDetailList.Member = append(out.UserDetailList.Member, xmlUserDetail{Path: u.Path, UserName: u.UserName,
			UserId: u.UserId, Arn: u.Arn, CreateDate: server.ISODate(u.CreateDate), UserPolicyList: policyDetailsXML(u.UserPolicyList),
			GroupList: list(u.GroupList), AttachedManagedPolicies: attachedXML(u.AttachedManagedPolicies),
			PermissionsBoundary: boundaryOf(u.PermissionsBoundary), Tags: list(tagsXML(u.Tags))})
	}
	for _, g := range d.GroupDetailList {
		out.GroupDetailList.Member = append(out.GroupDetailList.Member, xmlGroupDetail{Path: g.Path, GroupName: g.GroupName,
			GroupId: g.GroupId, Arn: g.Arn, CreateDate: server.ISODate(g.CreateDate), GroupPolicyList: policyDetailsXML(g.GroupPolicyList),
			AttachedManagedPolicies: attachedXML(g.AttachedManagedPolicies)})
	}
	for _, r := range d.RoleDetailList {
		rd := xmlRoleDetail{xmlRoleSummary: roleSummaryXML(r.RoleSummary), RolePolicyList: policyDetailsXML(r.RolePolicyList),
			AttachedManagedPolicies: attachedXML(r.AttachedManagedPolicies), PermissionsBoundary: boundaryOf(r.PermissionsBoundary),
			Tags: list(tagsXML(r.Tags))}
		if r.RoleLastUsed.LastUsedDate != nil {
			rd.RoleLastUsed = xmlRoleLastUsed{LastUsedDate: server.ISODate(*r.RoleLastUsed.LastUsedDate), Region: r.RoleLastUsed.Region}
		}
		for _, p := range r.InstanceProfileList {
			pd := xmlProfileDetail{Path: p.Path, InstanceProfileName: p.InstanceProfileName, InstanceProfileId: p.InstanceProfileId,
				Arn: p.Arn, CreateDate: server.ISODate(p.CreateDate), Roles: list(make([]xmlProfileRole, 0, len(p.Roles))),
				Tags: list(tagsXML(p.Tags))}
			for _, pr := range p.Roles {
				pd.Roles.Member = append(pd.Roles.Member, xmlProfileRole{xmlRoleSummary: roleSummaryXML(pr),
					Description: pr.Description, MaxSessionDuration: pr.MaxSessionDuration})
			}
			rd.InstanceProfileList.Member = append(rd.InstanceProfileList.Member, pd)
		}
		out.RoleDetailList.Member = append(out.RoleDetailList.Member, rd)
	}
	for _, p := range d.Policies {
		pd := xmlPolicyDetailFull{PolicyName: p.PolicyName, PolicyId: p.PolicyId, Arn: p.Arn, Path: p.Path,
			DefaultVersionId: p.DefaultVersionId, AttachmentCount: p.AttachmentCount,
			PermissionsBoundaryUsageCount: p.PermissionsBoundaryUsageCount, IsAttachable: p.IsAttachable,
			Description: p.Description, CreateDate: server.ISODate(p.CreateDate), UpdateDate: server.ISODate(p.UpdateDate)}
		for _, v := range p.PolicyVersionList {
			pd.PolicyVersionList.Member = append(pd.PolicyVersionList.Member, xmlVersionDetail{Document: encodeDocument(string(v.Document)),
				VersionId: v.VersionId, IsDefaultVersion: v.IsDefaultVersion, CreateDate: server.ISODate(v.CreateDate)})
		}
		out.Policies.Member = append(out.Policies.Member, pd)
	}
	return out
}

func roleSummaryXML(r iam.RoleSummary) xmlRoleSummary {
	return xmlRoleSummary{Path: r.Path, RoleName: r.RoleName, RoleId: r.RoleId, Arn: r.Arn, CreateDate: server.ISODate(r.CreateDate),
		AssumeRolePolicyDocument: encodeDocument(string(r.AssumeRolePolicyDocument))}
}

func policyDetailsXML(ps []iam.PolicyDetail) members[xmlPolicyDetail] {
	out := list(make([]xmlPolicyDetail, 0, len(ps)))
	for _, p := range ps {
		out.Member = append(out.Member, xmlPolicyDetail{PolicyName: p.PolicyName, PolicyDocument: encodeDocument(string(p.PolicyDocument))})
	}
	return out
}

func attachedXML(ps []iam.AttachedPolicy) members[xmlAttachedPolicy] {
	out := list(make([]xmlAttachedPolicy, 0, len(ps)))
	for _, p := range ps {
		out.Member = append(out.Member, xmlAttachedPolicy(p))
	}
	return out
}

func boundaryOf(b *iam.Boundary) *xmlBoundary {
	if b == nil {
		return nil
	}
	return &xmlBoundary{PermissionsBoundaryType: b.PermissionsBoundaryType, PermissionsBoundaryArn: b.PermissionsBoundaryArn}
}
