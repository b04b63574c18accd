package iamapi

import (
	"context"
	"strconv"
	"time"

	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/server"
)

// This file holds the IAM operations on managed policies (customer managed
// and AWS managed): the policies, their versions and tags, and who carries
// them. Shapes follow the IAM model of botocore (Policy, PolicyVersion,
// PolicyGroup/User/Role).

// policyResource is the resource of the operations that name a policy by
// PolicyArn: the policy's ARN as stored (a customer policy's name is found
// regardless of case), or the ARN as given when there is no such policy.
func policyResource(ctx context.Context, a *api, c *server.Call) string {
	return a.storedPolicyARN(ctx, c, c.Form.Get("PolicyArn"))
}

// storedPolicyARN is the ARN of the managed policy arn names, spelled as
// stored, or arn itself when it names none.
func (a *api) storedPolicyARN(ctx context.Context, c *server.Call, arn string) string {
	if arn == "" || a.iam == nil {
		return arn
	}
	if stored, ok := a.iam.PolicyARN(ctx, c.Caller.Account, arn); ok {
		return stored
	}
	return arn
}

// newPolicyResource is CreatePolicy's resource: the ARN the policy will have.
func newPolicyResource(ctx context.Context, a *api, c *server.Call) string {
	path := c.Form.Get("Path")
	if path == "" {
		path = "/"
	}
	return a.storedPolicyARN(ctx, c, iam.PolicyARN(c.Caller.Account, path, c.Form.Get("PolicyName")))
}

func policyOps() []operation {
	return []operation{
		{"CreatePolicy", (*api).createPolicy, newPolicyResource},
		{"GetPolicy", (*api).getPolicy, policyResource},
		{"ListPolicies", (*api).listPolicies, anyResource},
		{"DeletePolicy", (*api).deletePolicy, policyResource},
		{"CreatePolicyVersion", (*api).createPolicyVersion, policyResource},
		{"GetPolicyVersion", (*api).getPolicyVersion, policyResource},
		{"ListPolicyVersions", (*api).listPolicyVersions, policyResource},
		{"DeletePolicyVersion", (*api).deletePolicyVersion, policyResource},
		{"SetDefaultPolicyVersion", (*api).setDefaultPolicyVersion, policyResource},
		{"TagPolicy", (*api).tagPolicy, policyResource},
		{"UntagPolicy", (*api).untagPolicy, policyResource},
		{"ListPolicyTags", (*api).listPolicyTags, policyResource},
		{"ListEntitiesForPolicy", (*api).listEntitiesForPolicy, policyResource},
	}
}

// xmlPolicy is the model's Policy. Description and Tags are left out of
// ListPolicies' answer, as IAM leaves them out.
type xmlPolicy struct {
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
	// Tags is a pointer so that a policy without tags has no <Tags>
	// element at all (encoding/xml writes "Tags>member" parents even when
	// the list is empty).
	Tags *members[xmlTag] `xml:",omitempty"`
}

func policyXML(p iam.ManagedPolicy) xmlPolicy {
	var tags *members[xmlTag]
	if len(p.Tags) > 0 {
		tags = &members[xmlTag]{Member: tagsXML(p.Tags)}
	}
	return xmlPolicy{PolicyName: p.Name, PolicyId: p.ID, Arn: p.ARN, Path: p.Path, DefaultVersionId: p.DefaultVersionID,
		AttachmentCount: p.AttachmentCount, PermissionsBoundaryUsageCount: p.BoundaryUsageCount, IsAttachable: p.Attachable,
		Description: p.Description, CreateDate: server.ISODate(p.Created), UpdateDate: server.ISODate(p.Updated), Tags: tags}
}

type policyResult struct{ Policy xmlPolicy }

func (a *api) createPolicy(ctx context.Context, c *server.Call) (any, error) {
	f := c.Form
	in := iam.CreatePolicyInput{Name: f.String("PolicyName"), Path: f.Get("Path"), Description: f.Get("Description"),
		Document: f.String("PolicyDocument"), Tags: server.Tags[iam.Tag](f, "Tags")}
	if err := f.Err(); err != nil {
		return nil, err
	}
	p, err := a.iam.CreatePolicy(ctx, c.Caller.Account, in)
	if err != nil {
		return nil, err
	}
	return policyResult{policyXML(p)}, nil
}

func (a *api) getPolicy(ctx context.Context, c *server.Call) (any, error) {
	arn := c.Form.String("PolicyArn")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	p, err := a.iam.GetPolicy(ctx, c.Caller.Account, arn)
	if err != nil {
		return nil, err
	}
	out := policyXML(p)
	if out.Tags == nil {
		// GetPolicy answers <Tags/> for a policy without tags, of AWS's as
		// of the account's (LocalStack's recorded answers of 2026,
		// get-policy-response, get-without-tags).
		out.Tags = &members[xmlTag]{}
	}
	return policyResult{out}, nil
}

func (a *api) listPolicies(ctx context.Context, c *server.Call) (any, error) {
	f := c.Form
	in := iam.ListPoliciesInput{ListInput: listInput(f), Scope: iam.PolicyScope(f.Get("Scope")),
		Usage: iam.PolicyUsage(f.Get("PolicyUsageFilter"))}
	in.OnlyAttached, _ = f.Bool("OnlyAttached")
	if err := f.Err(); err != nil {
		return nil, err
	}
	p, err := a.iam.ListPolicies(ctx, c.Caller.Account, in)
	if err != nil {
		return nil, err
	}
	return policiesResult(p), nil
}

// policiesResult is ListPoliciesResult, written without reflection: it is
// the benchmarked list (a page of 100 policies).
type policiesResult iam.Page[iam.ManagedPolicy]

// AppendXML appends <Policies>, <IsTruncated> and <Marker>.
func (r policiesResult) AppendXML(b []byte) []byte {
	b = append(b, "<Policies>"...)
	for _, p := range r.Items {
		b = append(b, "<member>"...)
		b = server.AppendXMLElement(b, "PolicyName", p.Name)
		b = server.AppendXMLElement(b, "PolicyId", p.ID)
		b = server.AppendXMLElement(b, "Arn", p.ARN)
		b = server.AppendXMLElement(b, "Path", p.Path)
		b = server.AppendXMLElement(b, "DefaultVersionId", p.DefaultVersionID)
		b = append(b, "<AttachmentCount>"...)
		b = strconv.AppendInt(b, int64(p.AttachmentCount), 10)
		b = append(b, "</AttachmentCount><PermissionsBoundaryUsageCount>"...)
		b = strconv.AppendInt(b, int64(p.BoundaryUsageCount), 10)
		b = append(b, "</PermissionsBoundaryUsageCount><IsAttachable>"...)
		b = strconv.AppendBool(b, p.Attachable)
		b = append(b, "</IsAttachable><CreateDate>"...)
		b = p.Created.UTC().AppendFormat(b, time.RFC3339)
		b = append(b, "</CreateDate><UpdateDate>"...)
		b = p.Updated.UTC().AppendFormat(b, time.RFC3339)
		b = append(b, "</UpdateDate></member>"...)
	}
	b = append(b, "</Policies>"...)
	return appendPageEnd(b, r.IsTruncated, r.Marker)
}

// appendPageEnd appends <IsTruncated> and, when set, <Marker>.
func appendPageEnd(b []byte, truncated bool, marker string) []byte {
	b = append(b, "<IsTruncated>"...)
	b = strconv.AppendBool(b, truncated)
	b = append(b, "</IsTruncated>"...)
	if marker != "" {
		b = server.AppendXMLElement(b, "Marker", marker)
	}
	return b
}

func (a *api) deletePolicy(ctx context.Context, c *server.Call) (any, error) {
	arn := c.Form.String("PolicyArn")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, a.iam.DeletePolicy(ctx, c.Caller.Account, c.Caller.ARN, arn)
}

// xmlPolicyVersion is the model's PolicyVersion; the document is URL-encoded
// as IAM returns it, and absent from lists.
type xmlPolicyVersion struct {
	Document         string `xml:",omitempty"`
	VersionId        string
	IsDefaultVersion bool
	CreateDate       string
}

func versionXML(v iam.PolicyVersion) xmlPolicyVersion {
	x := xmlPolicyVersion{VersionId: v.ID, IsDefaultVersion: v.IsDefault, CreateDate: server.ISODate(v.Created)}
	if v.Document != "" {
		x.Document = encodeDocument(v.Document)
	}
	return x
}

type policyVersionResult struct{ PolicyVersion xmlPolicyVersion }

type policyVersionsResult struct {
	Versions    members[xmlPolicyVersion]
	IsTruncated bool
	Marker      string `xml:",omitempty"`
}

func (a *api) createPolicyVersion(ctx context.Context, c *server.Call) (any, error) {
	f := c.Form
	arn, doc := f.String("PolicyArn"), f.String("PolicyDocument")
	setDefault, _ := f.Bool("SetAsDefault")
	if err := f.Err(); err != nil {
		return nil, err
	}
	v, err := a.iam.CreatePolicyVersion(ctx, c.Caller.Account, c.Caller.ARN, arn, doc, setDefault)
	if err != nil {
		return nil, err
	}
	v.Document = "" // IAM's answer names the version without its document
	return policyVersionResult{versionXML(v)}, nil
}

func (a *api) getPolicyVersion(ctx context.Context, c *server.Call) (any, error) {
	arn, id := c.Form.String("PolicyArn"), c.Form.String("VersionId")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	v, err := a.iam.GetPolicyVersion(ctx, c.Caller.Account, arn, id)
	if err != nil {
		return nil, err
	}
	return policyVersionResult{versionXML(v)}, nil
}

func (a *api) listPolicyVersions(ctx context.Context, c *server.Call) (any, error) {
	arn, in := c.Form.String("PolicyArn"), listInput(c.Form)
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	p, err := a.iam.ListPolicyVersions(ctx, c.Caller.Account, arn, in)
	if err != nil {
		return nil, err
	}
	out := policyVersionsResult{Versions: list(make([]xmlPolicyVersion, 0, len(p.Items))), IsTruncated: p.IsTruncated, Marker: p.Marker}
	for _, v := range p.Items {
		out.Versions.Member = append(out.Versions.Member, versionXML(v))
	}
	return out, nil
}

func (a *api) deletePolicyVersion(ctx context.Context, c *server.Call) (any, error) {
	arn, id := c.Form.String("PolicyArn"), c.Form.String("VersionId")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, a.iam.DeletePolicyVersion(ctx, c.Caller.Account, c.Caller.ARN, arn, id)
}

func (a *api) setDefaultPolicyVersion(ctx context.Context, c *server.Call) (any, error) {
	arn, id := c.Form.String("PolicyArn"), c.Form.String("VersionId")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, a.iam.SetDefaultPolicyVersion(ctx, c.Caller.Account, c.Caller.ARN, arn, id)
}

func (a *api) tagPolicy(ctx context.Context, c *server.Call) (any, error) {
	arn, tags := c.Form.String("PolicyArn"), server.Tags[iam.Tag](c.Form, "Tags")
	if !c.Form.Has("Tags") && len(tags) == 0 {
		c.Form.String("Tags") // records that the required list is missing
	}
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, a.iam.TagPolicy(ctx, c.Caller.Account, c.Caller.ARN, arn, tags)
}

func (a *api) untagPolicy(ctx context.Context, c *server.Call) (any, error) {
	arn, keys := c.Form.String("PolicyArn"), c.Form.List("TagKeys")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, a.iam.UntagPolicy(ctx, c.Caller.Account, c.Caller.ARN, arn, keys)
}

func (a *api) listPolicyTags(ctx context.Context, c *server.Call) (any, error) {
	arn, in := c.Form.String("PolicyArn"), listInput(c.Form)
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	p, err := a.iam.ListPolicyTags(ctx, c.Caller.Account, arn, in)
	if err != nil {
		return nil, err
	}
	return tagPage(p), nil
}

// The model's PolicyGroup, PolicyUser and PolicyRole.
type (
	xmlPolicyGroup struct{ GroupName, GroupId string }
	xmlPolicyUser  struct{ UserName, UserId string }
	xmlPolicyRole  struct{ RoleName, RoleId string }
)

type entitiesForPolicyResult struct {
	PolicyGroups members[xmlPolicyGroup]
	PolicyUsers  members[xmlPolicyUser]
	PolicyRoles  members[xmlPolicyRole]
	IsTruncated  bool
	Marker       string `xml:",omitempty"`
}

func (a *api) listEntitiesForPolicy(ctx context.Context, c *server.Call) (any, error) {
	f := c.Form
	in := iam.ListEntitiesForPolicyInput{ListInput: listInput(f), PolicyARN: f.String("PolicyArn"),
		Filter: iam.EntityFilter(f.Get("EntityFilter")), Usage: iam.PolicyUsage(f.Get("PolicyUsageFilter"))}
	if err := f.Err(); err != nil {
		return nil, err
	}
	p, err := a.iam.ListEntitiesForPolicy(ctx, c.Caller.Account, in)
	if err != nil {
		return nil, err
	}
	out := entitiesForPolicyResult{PolicyGroups: list([]xmlPolicyGroup{}), PolicyUsers: list([]xmlPolicyUser{}),
		PolicyRoles: list([]xmlPolicyRole{}), IsTruncated: p.IsTruncated, Marker: p.Marker}
	for _, e := range p.Items {
		switch e.Kind {
		case iam.KindGroup:
			out.PolicyGroups.Member = append(out.PolicyGroups.Member, xmlPolicyGroup{e.Name, e.ID})
		case iam.KindUser:
			out.PolicyUsers.Member = append(out.PolicyUsers.Member, xmlPolicyUser{e.Name, e.ID})
		case iam.KindRole:
			out.PolicyRoles.Member = append(out.PolicyRoles.Member, xmlPolicyRole{e.Name, e.ID})
		}
	}
	return out, nil
}
