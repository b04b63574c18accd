package iamapi

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
)

const (
	polDocSDK   = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"mq:Describe*","Resource":"*"}]}`
	awsMQFull   = "arn:aws:iam::aws:policy/AmazonMQFullAccess"
	awsMQRole   = "arn:aws:iam::aws:policy/aws-service-role/AmazonMQServiceRolePolicy"
	rootCaller  = "arn:aws:iam::" + idAccount + ":root"
	localPolicy = "arn:aws:iam::" + idAccount + ":policy/"
)

// decodeDoc undoes the URL encoding IAM applies to documents.
func decodeDoc(t *testing.T, s *string) string {
	t.Helper()
	d, err := url.QueryUnescape(aws.ToString(s))
	if err != nil {
		t.Fatalf("document %q: %v", aws.ToString(s), err)
	}
	return d
}

func TestIAMManagedPoliciesSDK(t *testing.T) {
	f := newIDFixture(t)
	ctx := context.Background()
	created := must(f.c.CreatePolicy(ctx, &awsiam.CreatePolicyInput{PolicyName: aws.String("Readers"), Path: aws.String("/mq/"),
		PolicyDocument: aws.String(polDocSDK), Description: aws.String("read brokers"),
		Tags: []iamtypes.Tag{{Key: aws.String("team"), Value: aws.String("mq")}}})).Policy
	arn := aws.ToString(created.Arn)
	if arn != localPolicy+"mq/Readers" || aws.ToString(created.DefaultVersionId) != "v1" || !created.IsAttachable ||
		!strings.HasPrefix(aws.ToString(created.PolicyId), "ANPA") || created.CreateDate == nil || len(created.Tags) != 1 {
		t.Fatalf("CreatePolicy = %+v", created)
	}
	got := must(f.c.GetPolicy(ctx, &awsiam.GetPolicyInput{PolicyArn: aws.String(arn)})).Policy
	if aws.ToString(got.Description) != "read brokers" || aws.ToInt32(got.AttachmentCount) != 0 {
		t.Errorf("GetPolicy = %+v", got)
	}
	aws1 := must(f.c.GetPolicy(ctx, &awsiam.GetPolicyInput{PolicyArn: aws.String(awsMQRole)})).Policy
	if !aws1.IsAttachable || aws.ToString(aws1.Path) != "/aws-service-role/" || aws.ToString(aws1.DefaultVersionId) != "v1" {
		t.Errorf("GetPolicy(service role policy) = %+v", aws1)
	}

	// Five versions; the sixth is refused.
	for i := 2; i <= 5; i++ {
		doc := strings.Replace(polDocSDK, "mq:Describe*", fmt.Sprintf("mq:List%d", i), 1)
		v := must(f.c.CreatePolicyVersion(ctx, &awsiam.CreatePolicyVersionInput{PolicyArn: aws.String(arn),
			PolicyDocument: aws.String(doc), SetAsDefault: i == 4})).PolicyVersion
		if aws.ToString(v.VersionId) != fmt.Sprintf("v%d", i) || v.IsDefaultVersion != (i == 4) {
			t.Fatalf("CreatePolicyVersion #%d = %+v", i, v)
		}
	}
	_, err := f.c.CreatePolicyVersion(ctx, &awsiam.CreatePolicyVersionInput{PolicyArn: aws.String(arn), PolicyDocument: aws.String(polDocSDK)})
	wantAPIError(t, "CreatePolicyVersion #6", err, "LimitExceeded",
		"A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.")
	v4 := must(f.c.GetPolicyVersion(ctx, &awsiam.GetPolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String("v4")})).PolicyVersion
	if !v4.IsDefaultVersion || !strings.Contains(decodeDoc(t, v4.Document), "mq:List4") || strings.Contains(aws.ToString(v4.Document), `"`) {
		t.Errorf("GetPolicyVersion(v4) = %+v (the document must be URL-encoded)", v4)
	}
	vs := must(f.c.ListPolicyVersions(ctx, &awsiam.ListPolicyVersionsInput{PolicyArn: aws.String(arn), MaxItems: aws.Int32(3)}))
	if len(vs.Versions) != 3 || aws.ToString(vs.Versions[0].VersionId) != "v5" || !vs.IsTruncated || vs.Versions[0].Document != nil {
		t.Errorf("ListPolicyVersions = %+v", vs)
	}
	_, err = f.c.DeletePolicyVersion(ctx, &awsiam.DeletePolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String("v4")})
	wantAPIError(t, "DeletePolicyVersion(default)", err, "DeleteConflict", "Cannot delete the default version of a policy.")
	must(f.c.SetDefaultPolicyVersion(ctx, &awsiam.SetDefaultPolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String("v5")}))
	_, err = f.c.DeletePolicy(ctx, &awsiam.DeletePolicyInput{PolicyArn: aws.String(arn)})
	wantAPIError(t, "DeletePolicy(versions)", err, "DeleteConflict", "")
	for _, id := range []string{"v1", "v2", "v3", "v4"} {
		must(f.c.DeletePolicyVersion(ctx, &awsiam.DeletePolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String(id)}))
	}
	_, err = f.c.GetPolicyVersion(ctx, &awsiam.GetPolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String("v1")})
	wantAPIError(t, "GetPolicyVersion(deleted)", err, "NoSuchEntity", "")

	// Tags.
	must(f.c.TagPolicy(ctx, &awsiam.TagPolicyInput{PolicyArn: aws.String(arn), Tags: []iamtypes.Tag{{Key: aws.String("env"), Value: aws.String("dev")}}}))
	must(f.c.UntagPolicy(ctx, &awsiam.UntagPolicyInput{PolicyArn: aws.String(arn), TagKeys: []string{"team"}}))
	tags := must(f.c.ListPolicyTags(ctx, &awsiam.ListPolicyTagsInput{PolicyArn: aws.String(arn)}))
	if len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Key) != "env" {
		t.Errorf("ListPolicyTags = %+v", tags.Tags)
	}

	must(f.c.DeletePolicy(ctx, &awsiam.DeletePolicyInput{PolicyArn: aws.String(arn)}))
	_, err = f.c.GetPolicy(ctx, &awsiam.GetPolicyInput{PolicyArn: aws.String(arn)})
	wantAPIError(t, "GetPolicy(deleted)", err, "NoSuchEntity", "Policy "+arn+" was not found.")
}

func TestIAMPolicyErrorsSDK(t *testing.T) {
	f := newIDFixture(t)
	ctx := context.Background()
	big := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":[` +
		strings.TrimSuffix(strings.Repeat(`"arn:aws:s3:::bucket-with-a-rather-long-name/object-key-0001",`, 110), ",") + `]}]}`
	tests := []struct {
		name      string
		call      func() error
		code, msg string
	}{
		{"malformed document", func() error {
			_, err := f.c.CreatePolicy(ctx, &awsiam.CreatePolicyInput{PolicyName: aws.String("P"), PolicyDocument: aws.String("{")})
			return err
		}, "MalformedPolicyDocument", "Syntax errors in policy."},
		{"too large", func() error {
			_, err := f.c.CreatePolicy(ctx, &awsiam.CreatePolicyInput{PolicyName: aws.String("P"), PolicyDocument: aws.String(big)})
			return err
		}, "LimitExceeded", "Cannot exceed quota for PolicySize: 6144"},
		{"bad name", func() error {
			_, err := f.c.CreatePolicy(ctx, &awsiam.CreatePolicyInput{PolicyName: aws.String("a b"), PolicyDocument: aws.String(polDocSDK)})
			return err
		}, "ValidationError", ""},
		{"get missing", func() error {
			_, err := f.c.GetPolicy(ctx, &awsiam.GetPolicyInput{PolicyArn: aws.String(localPolicy + "Nope")})
			return err
		}, "NoSuchEntity", "Policy " + localPolicy + "Nope was not found."},
		{"malformed arn", func() error {
			_, err := f.c.GetPolicy(ctx, &awsiam.GetPolicyInput{PolicyArn: aws.String("arn:aws:iam::aws:policy/arn:aws:iam::aws:policy/X")})
			return err
		}, "InvalidInput", "ARN arn:aws:iam::aws:policy/arn:aws:iam::aws:policy/X is not valid."},
		{"unrecovered version", func() error {
			_, err := f.c.GetPolicyVersion(ctx, &awsiam.GetPolicyVersionInput{PolicyArn: aws.String("arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"), VersionId: aws.String("v31")})
			return err
		}, "NoSuchEntity", ""},
		{"bad scope", func() error {
			_, err := f.c.ListPolicies(ctx, &awsiam.ListPoliciesInput{Scope: "Everything"})
			return err
		}, "ValidationError", ""},
		{"forged marker", func() error {
			_, err := f.c.ListPolicies(ctx, &awsiam.ListPoliciesInput{Marker: aws.String("forged")})
			return err
		}, "InvalidInput", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantAPIError(t, tt.name, tt.call(), tt.code, tt.msg) })
	}
}

func TestIAMAWSManagedPoliciesSDK(t *testing.T) {
	f := newIDFixture(t)
	ctx := context.Background()
	must(f.c.CreatePolicy(ctx, &awsiam.CreatePolicyInput{PolicyName: aws.String("Mine"), PolicyDocument: aws.String(polDocSDK)}))
	dates := []string{"2017-11-28", "2018-01-11", "2018-07-31", "2018-12-18", "2020-11-04"}
	for i, day := range dates {
		id := fmt.Sprintf("v%d", i+1)
		v := must(f.c.GetPolicyVersion(ctx, &awsiam.GetPolicyVersionInput{PolicyArn: aws.String(awsMQFull), VersionId: aws.String(id)})).PolicyVersion
		if got := v.CreateDate.UTC().Format("2006-01-02"); got != day || v.IsDefaultVersion != (id == "v5") || !strings.Contains(decodeDoc(t, v.Document), "mq:") {
			t.Errorf("AmazonMQFullAccess %s: date %s, default %v; want %s", id, got, v.IsDefaultVersion, day)
		}
	}
	vs := must(f.c.ListPolicyVersions(ctx, &awsiam.ListPolicyVersionsInput{PolicyArn: aws.String(awsMQFull)}))
	if len(vs.Versions) != 5 || aws.ToString(vs.Versions[0].VersionId) != "v5" {
		t.Errorf("ListPolicyVersions(AmazonMQFullAccess) = %d versions", len(vs.Versions))
	}
	count := func(in *awsiam.ListPoliciesInput) (n int, names map[string]bool) {
		names = map[string]bool{}
		p := awsiam.NewListPoliciesPaginator(f.c, in)
		for p.HasMorePages() {
			for _, pol := range must(p.NextPage(ctx)).Policies {
				names[aws.ToString(pol.PolicyName)] = true
				n++
			}
		}
		return n, names
	}
	awsN, _ := count(&awsiam.ListPoliciesInput{Scope: iamtypes.PolicyScopeTypeAws, MaxItems: aws.Int32(1000)})
	allN, names := count(&awsiam.ListPoliciesInput{MaxItems: aws.Int32(1000)})
	if awsN != 1594 || allN != 1595 || !names["Mine"] || !names["AmazonMQServiceRolePolicy"] {
		t.Errorf("ListPolicies: %d AWS managed, %d in all; want 1594 and 1595", awsN, allN)
	}
	localN, _ := count(&awsiam.ListPoliciesInput{Scope: iamtypes.PolicyScopeTypeLocal})
	if localN != 1 {
		t.Errorf("ListPolicies(Local) = %d, want 1", localN)
	}

	// Immutable, even for the root, and nothing changes.
	refusals := []struct {
		action string
		call   func() error
	}{
		{"CreatePolicyVersion", func() error {
			_, err := f.c.CreatePolicyVersion(ctx, &awsiam.CreatePolicyVersionInput{PolicyArn: aws.String(awsMQFull), PolicyDocument: aws.String(polDocSDK), SetAsDefault: true})
			return err
		}},
		{"DeletePolicyVersion", func() error {
			_, err := f.c.DeletePolicyVersion(ctx, &awsiam.DeletePolicyVersionInput{PolicyArn: aws.String(awsMQFull), VersionId: aws.String("v1")})
			return err
		}},
		{"SetDefaultPolicyVersion", func() error {
			_, err := f.c.SetDefaultPolicyVersion(ctx, &awsiam.SetDefaultPolicyVersionInput{PolicyArn: aws.String(awsMQFull), VersionId: aws.String("v1")})
			return err
		}},
		{"DeletePolicy", func() error {
			_, err := f.c.DeletePolicy(ctx, &awsiam.DeletePolicyInput{PolicyArn: aws.String(awsMQFull)})
			return err
		}},
		{"TagPolicy", func() error {
			_, err := f.c.TagPolicy(ctx, &awsiam.TagPolicyInput{PolicyArn: aws.String(awsMQFull), Tags: []iamtypes.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
			return err
		}},
		{"UntagPolicy", func() error {
			_, err := f.c.UntagPolicy(ctx, &awsiam.UntagPolicyInput{PolicyArn: aws.String(awsMQFull), TagKeys: []string{"k"}})
			return err
		}},
	}
	for _, r := range refusals {
		t.Run(r.action, func(t *testing.T) {
			wantAPIError(t, r.action, r.call(), "AccessDenied",
				"User: "+rootCaller+" is not authorized to perform: iam:"+r.action+" on resource: policy "+awsMQFull)
			p := must(f.c.GetPolicy(ctx, &awsiam.GetPolicyInput{PolicyArn: aws.String(awsMQFull)})).Policy
			vs := must(f.c.ListPolicyVersions(ctx, &awsiam.ListPolicyVersionsInput{PolicyArn: aws.String(awsMQFull)}))
			if aws.ToString(p.DefaultVersionId) != "v5" || len(vs.Versions) != 5 {
				t.Errorf("after a refused %s: default %s, %d versions", r.action, aws.ToString(p.DefaultVersionId), len(vs.Versions))
			}
		})
	}
}
