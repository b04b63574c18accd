package iam

import (
	"context"
	"testing"

	"github.com/iamq/iamq/internal/store"
)

// TestPublishedVersionInEveryAnswer: a version the service publishes is the
// default in every operation that describes the policy — GetPolicy,
// ListPolicies, ListPolicyVersions, GetPolicyVersion and
// GetAccountAuthorizationDetails — in an account that holds it and in one
// that does not.
func TestPublishedVersionInEveryAnswer(t *testing.T) {
	ctx := context.Background()
	s, st := newTestService(t)
	const arn, other = "arn:aws:iam::aws:policy/AmazonMQReadOnlyAccess", "210987654321"
	if _, err := st.CreateAccount(ctx, store.Account{ID: other}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateUser(ctx, testAccount, CreateUserInput{UserName: "viewer"}); err != nil {
		t.Fatal(err)
	}
	if err := s.AttachPolicy(ctx, testAccount, store.EntityRef{Kind: store.KindUser, Name: "viewer"}, arn); err != nil {
		t.Fatal(err)
	}
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"mq:List*","Resource":"*"}]}`
	v, err := s.AWSPolicies().Publish(ctx, arn, doc, true)
	if err != nil || v.ID != "v3" {
		t.Fatalf("Publish = %+v, %v; want v3", v, err)
	}
	for _, account := range []string{testAccount, other} {
		t.Run(account, func(t *testing.T) {
			p, err := s.GetPolicy(ctx, account, arn)
			if err != nil || p.DefaultVersionID != "v3" || !p.Updated.Equal(v.CreateDate) {
				t.Fatalf("GetPolicy = %+v, %v; want default v3 updated %v", p, err, v.CreateDate)
			}
			versions, err := s.ListPolicyVersions(ctx, account, arn, ListInput{})
			if err != nil || len(versions.Items) != 3 || versions.Items[0].ID != "v3" || !versions.Items[0].IsDefault || versions.Items[1].IsDefault {
				t.Fatalf("ListPolicyVersions = %+v, %v; want v3 (default), v2, v1", versions.Items, err)
			}
			pv, err := s.GetPolicyVersion(ctx, account, arn, "v3")
			if err != nil || pv.Document != doc || !pv.IsDefault {
				t.Fatalf("GetPolicyVersion(v3) = %+v, %v", pv, err)
			}
			old, err := s.GetPolicyVersion(ctx, account, arn, "v2")
			if err != nil || old.IsDefault || old.Document == doc {
				t.Fatalf("GetPolicyVersion(v2) = %+v, %v; want the embedded v2, not default", old, err)
			}
		})
	}
	d, err := s.GetAccountAuthorizationDetails(ctx, testAccount, []EntityType{EntityAWSManagedPolicy}, ListInput{})
	if err != nil || len(d.Policies) != 1 {
		t.Fatalf("GetAccountAuthorizationDetails = %d policies, %v; want AmazonMQReadOnlyAccess", len(d.Policies), err)
	}
	pd := d.Policies[0]
	if pd.DefaultVersionId != "v3" || len(pd.PolicyVersionList) != 3 || pd.PolicyVersionList[0].VersionId != "v3" ||
		!pd.PolicyVersionList[0].IsDefaultVersion || string(pd.PolicyVersionList[0].Document) != doc {
		t.Fatalf("GetAccountAuthorizationDetails policy = default %s, %d versions; want v3 first with its document",
			pd.DefaultVersionId, len(pd.PolicyVersionList))
	}
}
