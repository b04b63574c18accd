package server

import (
	"context"
	"strconv"
	"time"

	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/store"
)

// This file holds the IAM operations on managed policies (customer managed
// and AWS managed): the policies, their versions and tags, and who carries
// them. Shapes follow the IAM model of botocore (Policy, PolicyVersion,
// PolicyGroup/User/Role).

// policyOpSets lists the IAM policy operations, for registration and for
// the enforcement that looks up each operation's resource.
func policyOpSets() [][]iamOp {
	return [][]iamOp{policyOps(), attachOps(), inlineOps()}
}

// registerIAMPolicies registers the IAM operations on managed and inline
// policies, attachments and permissions boundaries.
func (s *Server) registerIAMPolicies() {
	for _, ops := range policyOpSets() {
		s.registerIAMOps(ops)
	}
}

// IAMPolicyTarget is IAMTarget for the policy operations: the IAM action a
// call needs and the ARN of the resource it acts on; ok is false for any
// other call.
func (s *Server) IAMPolicyTarget(ctx context.Context, c *Call) (action, resource string, ok bool) {
	for _, ops := range policyOpSets() {
		for _, o := range ops {
			if o.name == c.Action {
				return "iam:" + o.name, o.resource(ctx, s, c), true
			}
		}
	}
	return "", "", false
}

// policyResource is the resource of the operations that name a policy by
// PolicyArn: the policy's ARN as stored (a customer policy's name is found
// regardless of case), or the ARN as given when there is no such policy.
func policyResource(ctx context.Context, s *Server, c *Call) string {
	return s.storedPolicyARN(ctx, c, c.Form.Get("PolicyArn"))
}

// storedPolicyARN is the ARN of the managed policy arn names, spelled as
// stored, or arn itself when it names none.
func (s *Server) storedPolicyARN(ctx context.Context, c *Call, arn string) string {
	if arn == "" || s.opts.IAM == nil {
		return arn
	}
	if stored, ok := s.opts.IAM.PolicyARN(ctx, c.Caller.Account, arn); ok {
		return stored
	}
	return arn
}

// newPolicyResource is CreatePolicy's resource: the ARN the policy will have.
func newPolicyResource(ctx context.Context, s *Server, c *Call) string {
	path := c.Form.Get("Path")
	if path == "" {
		path = "/"
	}
	return s.storedPolicyARN(ctx, c, store.PolicyARN(c.Caller.Account, path, c.Form.Get("PolicyName")))
}

func policyOps() []iamOp {
	return []iamOp{
		{"CreatePolicy", (*Server).createPolicy, newPolicyResource},
		{"GetPolicy", (*Server).getPolicy, policyResource},
		{"ListPolicies", (*Server).listPolicies, anyResource},
		{"DeletePolicy", (*Server).deletePolicy, policyResource},
		{"CreatePolicyVersion", (*Server).createPolicyVersion, policyResource},
		{"GetPolicyVersion", (*Server).getPolicyVersion, policyResource},
		{"ListPolicyVersions", (*Server).listPolicyVersions, policyResource},
		{"DeletePolicyVersion", (*Server).deletePolicyVersion, policyResource},
		{"SetDefaultPolicyVersion", (*Server).setDefaultPolicyVersion, policyResource},
		{"TagPolicy", (*Server).tagPolicy, policyResource},
		{"UntagPolicy", (*Server).untagPolicy, policyResource},
		{"ListPolicyTags", (*Server).listPolicyTags, policyResource},
		{"ListEntitiesForPolicy", (*Server).listEntitiesForPolicy, policyResource},
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
		Description: p.Description, CreateDate: isoDate(p.Created), UpdateDate: isoDate(p.Updated), Tags: tags}
}

type policyResult struct{ Policy xmlPolicy }

func (s *Server) createPolicy(ctx context.Context, c *Call) (any, error) {
	f := c.Form
	in := iam.CreatePolicyInput{Name: f.String("PolicyName"), Path: f.Get("Path"), Description: f.Get("Description"),
		Document: f.String("PolicyDocument"), Tags: formTags(f)}
	if err := f.Err(); err != nil {
		return nil, err
	}
	p, err := s.opts.IAM.CreatePolicy(ctx, c.Caller.Account, in)
	if err != nil {
		return nil, err
	}
	return policyResult{policyXML(p)}, nil
}

func (s *Server) getPolicy(ctx context.Context, c *Call) (any, error) {
	arn := c.Form.String("PolicyArn")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	p, err := s.opts.IAM.GetPolicy(ctx, c.Caller.Account, arn)
	if err != nil {
		return nil, err
	}
	return policyResult{policyXML(p)}, nil
}

func (s *Server) listPolicies(ctx context.Context, c *Call) (any, error) {
	f := c.Form
	in := iam.ListPoliciesInput{ListInput: listInput(f), Scope: iam.PolicyScope(f.Get("Scope")),
		Usage: store.PolicyUsage(f.Get("PolicyUsageFilter"))}
	in.OnlyAttached, _ = f.Bool("OnlyAttached")
	if err := f.Err(); err != nil {
		return nil, err
	}
	p, err := s.opts.IAM.ListPolicies(ctx, c.Caller.Account, in)
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
		b = AppendXMLElement(b, "PolicyName", p.Name)
		b = AppendXMLElement(b, "PolicyId", p.ID)
		b = AppendXMLElement(b, "Arn", p.ARN)
		b = AppendXMLElement(b, "Path", p.Path)
		b = AppendXMLElement(b, "DefaultVersionId", p.DefaultVersionID)
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
		b = AppendXMLElement(b, "Marker", marker)
	}
	return b
}

func (s *Server) deletePolicy(ctx context.Context, c *Call) (any, error) {
	arn := c.Form.String("PolicyArn")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, s.opts.IAM.DeletePolicy(ctx, c.Caller.Account, c.Caller.ARN, arn)
}

// xmlPolicyVersion is the model's PolicyVersion; the document is URL-encoded
// as IAM returns it, and absent from lists.
type xmlPolicyVersion struct {
	Document         string `xml:",omitempty"`
	VersionId        string
	IsDefaultVersion bool
	CreateDate       string
}

func versionXML(v store.PolicyVersion) xmlPolicyVersion {
	x := xmlPolicyVersion{VersionId: v.ID, IsDefaultVersion: v.IsDefault, CreateDate: isoDate(v.Created)}
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

func (s *Server) createPolicyVersion(ctx context.Context, c *Call) (any, error) {
	f := c.Form
	arn, doc := f.String("PolicyArn"), f.String("PolicyDocument")
	setDefault, _ := f.Bool("SetAsDefault")
	if err := f.Err(); err != nil {
		return nil, err
	}
	v, err := s.opts.IAM.CreatePolicyVersion(ctx, c.Caller.Account, c.Caller.ARN, arn, doc, setDefault)
	if err != nil {
		return nil, err
	}
	v.Document = "" // IAM's answer names the version without its document
	return policyVersionResult{versionXML(v)}, nil
}

func (s *Server) getPolicyVersion(ctx context.Context, c *Call) (any, error) {
	arn, id := c.Form.String("PolicyArn"), c.Form.String("VersionId")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	v, err := s.opts.IAM.GetPolicyVersion(ctx, c.Caller.Account, arn, id)
	if err != nil {
		return nil, err
	}
	return policyVersionResult{versionXML(v)}, nil
}

func (s *Server) listPolicyVersions(ctx context.Context, c *Call) (any, error) {
	arn, in := c.Form.String("PolicyArn"), listInput(c.Form)
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	p, err := s.opts.IAM.ListPolicyVersions(ctx, c.Caller.Account, arn, in)
	if err != nil {
		return nil, err
	}
	out := policyVersionsResult{Versions: list(make([]xmlPolicyVersion, 0, len(p.Items))), IsTruncated: p.IsTruncated, Marker: p.Marker}
	for _, v := range p.Items {
		out.Versions.Member = append(out.Versions.Member, versionXML(v))
	}
	return out, nil
}

func (s *Server) deletePolicyVersion(ctx context.Context, c *Call) (any, error) {
	arn, id := c.Form.String("PolicyArn"), c.Form.String("VersionId")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, s.opts.IAM.DeletePolicyVersion(ctx, c.Caller.Account, c.Caller.ARN, arn, id)
}

func (s *Server) setDefaultPolicyVersion(ctx context.Context, c *Call) (any, error) {
	arn, id := c.Form.String("PolicyArn"), c.Form.String("VersionId")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, s.opts.IAM.SetDefaultPolicyVersion(ctx, c.Caller.Account, c.Caller.ARN, arn, id)
}

func (s *Server) tagPolicy(ctx context.Context, c *Call) (any, error) {
	arn, tags := c.Form.String("PolicyArn"), formTags(c.Form)
	if !c.Form.Has("Tags") && len(tags) == 0 {
		c.Form.String("Tags") // records that the required list is missing
	}
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, s.opts.IAM.TagPolicy(ctx, c.Caller.Account, c.Caller.ARN, arn, tags)
}

func (s *Server) untagPolicy(ctx context.Context, c *Call) (any, error) {
	arn, keys := c.Form.String("PolicyArn"), c.Form.List("TagKeys")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, s.opts.IAM.UntagPolicy(ctx, c.Caller.Account, c.Caller.ARN, arn, keys)
}

func (s *Server) listPolicyTags(ctx context.Context, c *Call) (any, error) {
	arn, in := c.Form.String("PolicyArn"), listInput(c.Form)
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	p, err := s.opts.IAM.ListPolicyTags(ctx, c.Caller.Account, arn, in)
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

func (s *Server) listEntitiesForPolicy(ctx context.Context, c *Call) (any, error) {
	f := c.Form
	in := iam.ListEntitiesForPolicyInput{ListInput: listInput(f), PolicyARN: f.String("PolicyArn"),
		Filter: iam.EntityFilter(f.Get("EntityFilter")), Usage: store.PolicyUsage(f.Get("PolicyUsageFilter"))}
	if err := f.Err(); err != nil {
		return nil, err
	}
	p, err := s.opts.IAM.ListEntitiesForPolicy(ctx, c.Caller.Account, in)
	if err != nil {
		return nil, err
	}
	out := entitiesForPolicyResult{PolicyGroups: list([]xmlPolicyGroup{}), PolicyUsers: list([]xmlPolicyUser{}),
		PolicyRoles: list([]xmlPolicyRole{}), IsTruncated: p.IsTruncated, Marker: p.Marker}
	for _, e := range p.Items {
		switch e.Kind {
		case store.KindGroup:
			out.PolicyGroups.Member = append(out.PolicyGroups.Member, xmlPolicyGroup{e.Name, e.ID})
		case store.KindUser:
			out.PolicyUsers.Member = append(out.PolicyUsers.Member, xmlPolicyUser{e.Name, e.ID})
		case store.KindRole:
			out.PolicyRoles.Member = append(out.PolicyRoles.Member, xmlPolicyRole{e.Name, e.ID})
		}
	}
	return out, nil
}
