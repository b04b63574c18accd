package iamapi

import (
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
)

const testThumbprint = "9e99a48a9960b14926bb7f3b02e22da2b0ab7280"

// TestOIDCProviderLifecycle drives every OpenID Connect provider operation
// through aws-sdk-go-v2 against a real store, checking each answer.
func TestOIDCProviderLifecycle(t *testing.T) {
	f := newEnforceFixture(t)
	ctx, c := f.ctx, f.c
	created := must(c.CreateOpenIDConnectProvider(ctx, &awsiam.CreateOpenIDConnectProviderInput{
		Url: aws.String("https://Token.Example.com/tenant/"), ClientIDList: []string{"sts.amazonaws.com"},
		ThumbprintList: []string{strings.ToUpper(testThumbprint)}, Tags: []iamtypes.Tag{{Key: aws.String("team"), Value: aws.String("ci")}}}))
	arn := aws.ToString(created.OpenIDConnectProviderArn)
	if want := "arn:aws:iam::" + idAccount + ":oidc-provider/token.example.com/tenant"; arn != want {
		t.Fatalf("CreateOpenIDConnectProvider ARN = %s, want %s", arn, want)
	}
	if len(created.Tags) != 1 {
		t.Errorf("CreateOpenIDConnectProvider Tags = %v, want the one given", created.Tags)
	}
	got := must(c.GetOpenIDConnectProvider(ctx, &awsiam.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: &arn}))
	if aws.ToString(got.Url) != "token.example.com/tenant" || !slices.Equal(got.ClientIDList, []string{"sts.amazonaws.com"}) ||
		!slices.Equal(got.ThumbprintList, []string{testThumbprint}) || got.CreateDate == nil || len(got.Tags) != 1 {
		t.Fatalf("GetOpenIDConnectProvider = %+v", got)
	}
	must(c.AddClientIDToOpenIDConnectProvider(ctx, &awsiam.AddClientIDToOpenIDConnectProviderInput{OpenIDConnectProviderArn: &arn, ClientID: aws.String("app")}))
	must(c.AddClientIDToOpenIDConnectProvider(ctx, &awsiam.AddClientIDToOpenIDConnectProviderInput{OpenIDConnectProviderArn: &arn, ClientID: aws.String("app")}))
	must(c.RemoveClientIDFromOpenIDConnectProvider(ctx, &awsiam.RemoveClientIDFromOpenIDConnectProviderInput{OpenIDConnectProviderArn: &arn, ClientID: aws.String("sts.amazonaws.com")}))
	must(c.RemoveClientIDFromOpenIDConnectProvider(ctx, &awsiam.RemoveClientIDFromOpenIDConnectProviderInput{OpenIDConnectProviderArn: &arn, ClientID: aws.String("never-there")}))
	other := strings.Repeat("a", 40)
	must(c.UpdateOpenIDConnectProviderThumbprint(ctx, &awsiam.UpdateOpenIDConnectProviderThumbprintInput{OpenIDConnectProviderArn: &arn, ThumbprintList: []string{other}}))
	got = must(c.GetOpenIDConnectProvider(ctx, &awsiam.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: &arn}))
	if !slices.Equal(got.ClientIDList, []string{"app"}) || !slices.Equal(got.ThumbprintList, []string{other}) {
		t.Fatalf("after the changes: client ids %v, thumbprints %v", got.ClientIDList, got.ThumbprintList)
	}
	must(c.TagOpenIDConnectProvider(ctx, &awsiam.TagOpenIDConnectProviderInput{OpenIDConnectProviderArn: &arn,
		Tags: []iamtypes.Tag{{Key: aws.String("Team"), Value: aws.String("ops")}, {Key: aws.String("env"), Value: aws.String("prod")}}}))
	must(c.UntagOpenIDConnectProvider(ctx, &awsiam.UntagOpenIDConnectProviderInput{OpenIDConnectProviderArn: &arn, TagKeys: []string{"env"}}))
	tags := must(c.ListOpenIDConnectProviderTags(ctx, &awsiam.ListOpenIDConnectProviderTagsInput{OpenIDConnectProviderArn: &arn}))
	if len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Key) != "Team" || aws.ToString(tags.Tags[0].Value) != "ops" {
		t.Fatalf("ListOpenIDConnectProviderTags = %v, want Team=ops (the key replaced regardless of case)", tags.Tags)
	}
	must(c.CreateOpenIDConnectProvider(ctx, &awsiam.CreateOpenIDConnectProviderInput{Url: aws.String("https://a.example.com")}))
	ls := must(c.ListOpenIDConnectProviders(ctx, &awsiam.ListOpenIDConnectProvidersInput{}))
	if len(ls.OpenIDConnectProviderList) != 2 || aws.ToString(ls.OpenIDConnectProviderList[1].Arn) != arn {
		t.Fatalf("ListOpenIDConnectProviders = %+v", ls.OpenIDConnectProviderList)
	}
	must(c.DeleteOpenIDConnectProvider(ctx, &awsiam.DeleteOpenIDConnectProviderInput{OpenIDConnectProviderArn: &arn}))
	_, err := c.GetOpenIDConnectProvider(ctx, &awsiam.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: &arn})
	wantAPIError(t, "GetOpenIDConnectProvider(deleted)", err, "NoSuchEntity", "OpenIDConnect Provider not found for arn "+arn)
}

// TestOIDCProviderErrors checks the refusals, each with IAM's code, and
// that a refused call changes nothing.
func TestOIDCProviderErrors(t *testing.T) {
	f := newEnforceFixture(t)
	ctx, c := f.ctx, f.c
	must(c.CreateOpenIDConnectProvider(ctx, &awsiam.CreateOpenIDConnectProviderInput{Url: aws.String("https://idp.example.com")}))
	arn := "arn:aws:iam::" + idAccount + ":oidc-provider/idp.example.com"
	cases := []struct {
		name string
		call func() error
		code string
	}{
		{"http URL", func() error { return create(f, "http://idp.example.com", nil) }, "InvalidInput"},
		{"URL with a query", func() error { return create(f, "https://idp.example.com/?a=b", nil) }, "InvalidInput"},
		{"no host", func() error { return create(f, "https://", nil) }, "InvalidInput"},
		{"exists", func() error { return create(f, "https://idp.example.com/", nil) }, "EntityAlreadyExists"},
		{"short thumbprint", func() error { return create(f, "https://b.example.com", []string{"abc"}) }, "ValidationError"},
		{"six thumbprints", func() error {
			return create(f, "https://b.example.com", slices.Repeat([]string{testThumbprint}, 6))
		}, "ValidationError"},
		{"other account's ARN", func() error {
			_, err := c.GetOpenIDConnectProvider(ctx, &awsiam.GetOpenIDConnectProviderInput{
				OpenIDConnectProviderArn: aws.String("arn:aws:iam::999999999999:oidc-provider/idp.example.com")})
			return err
		}, "InvalidInput"},
		{"missing", func() error {
			_, err := c.DeleteOpenIDConnectProvider(ctx, &awsiam.DeleteOpenIDConnectProviderInput{
				OpenIDConnectProviderArn: aws.String("arn:aws:iam::" + idAccount + ":oidc-provider/nobody.example.com")})
			return err
		}, "NoSuchEntity"},
		{"reserved tag", func() error {
			_, err := c.TagOpenIDConnectProvider(ctx, &awsiam.TagOpenIDConnectProviderInput{OpenIDConnectProviderArn: &arn,
				Tags: []iamtypes.Tag{{Key: aws.String("aws:x"), Value: aws.String("y")}}})
			return err
		}, "InvalidInput"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { wantAPIError(t, tc.name, tc.call(), tc.code, "") })
	}
	ls := must(c.ListOpenIDConnectProviders(ctx, &awsiam.ListOpenIDConnectProvidersInput{}))
	if len(ls.OpenIDConnectProviderList) != 1 {
		t.Fatalf("after the refusals: %d providers, want 1", len(ls.OpenIDConnectProviderList))
	}
}

func create(f *enFixture, url string, thumbprints []string) error {
	_, err := f.c.CreateOpenIDConnectProvider(f.ctx, &awsiam.CreateOpenIDConnectProviderInput{Url: aws.String(url), ThumbprintList: thumbprints})
	return err
}

// TestOIDCProviderEnforced checks that the provider operations are
// authorized on the provider's ARN: a user allowed on one provider is
// refused the other.
func TestOIDCProviderEnforced(t *testing.T) {
	f := newEnforceFixture(t)
	ctx := f.ctx
	mine := "arn:aws:iam::" + idAccount + ":oidc-provider/mine.example.com"
	theirs := "arn:aws:iam::" + idAccount + ":oidc-provider/theirs.example.com"
	for _, u := range []string{"https://mine.example.com", "https://theirs.example.com"} {
		must(f.c.CreateOpenIDConnectProvider(ctx, &awsiam.CreateOpenIDConnectProviderInput{Url: aws.String(u)}))
	}
	alice, _ := f.user("alice")
	f.putUserPolicy("alice", "p", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*OpenIDConnectProvider*","Resource":"`+mine+`"}]}`)
	must(alice.AddClientIDToOpenIDConnectProvider(ctx, &awsiam.AddClientIDToOpenIDConnectProviderInput{OpenIDConnectProviderArn: &mine, ClientID: aws.String("x")}))
	_, err := alice.AddClientIDToOpenIDConnectProvider(ctx, &awsiam.AddClientIDToOpenIDConnectProviderInput{OpenIDConnectProviderArn: &theirs, ClientID: aws.String("x")})
	wantAPIError(t, "AddClientIDToOpenIDConnectProvider(theirs)", err, "AccessDenied", "")
	_, err = alice.CreateOpenIDConnectProvider(ctx, &awsiam.CreateOpenIDConnectProviderInput{Url: aws.String("https://new.example.com")})
	wantAPIError(t, "CreateOpenIDConnectProvider(new)", err, "AccessDenied", "")
	_, err = alice.ListOpenIDConnectProviders(ctx, &awsiam.ListOpenIDConnectProvidersInput{})
	wantAPIError(t, "ListOpenIDConnectProviders", err, "AccessDenied", "")
	got := must(f.c.GetOpenIDConnectProvider(ctx, &awsiam.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: &theirs}))
	if len(got.ClientIDList) != 0 {
		t.Fatalf("the refused call changed the provider: %v", got.ClientIDList)
	}
}

// TestProviderResourceTags: a policy conditioned on aws:ResourceTag allows
// the provider operations on the providers so tagged only.
func TestProviderResourceTags(t *testing.T) {
	f := newEnforceFixture(t)
	ctx := f.ctx
	tagged := aws.ToString(must(f.c.CreateOpenIDConnectProvider(ctx, &awsiam.CreateOpenIDConnectProviderInput{Url: aws.String("https://ci.example.com"),
		Tags: []iamtypes.Tag{{Key: aws.String("team"), Value: aws.String("ci")}}})).OpenIDConnectProviderArn)
	other := aws.ToString(must(f.c.CreateOpenIDConnectProvider(ctx, &awsiam.CreateOpenIDConnectProviderInput{Url: aws.String("https://other.example.com")})).OpenIDConnectProviderArn)
	alice, _ := f.user("alice")
	f.putUserPolicy("alice", "p", allow("iam:GetOpenIDConnectProvider", `{"StringEquals":{"aws:ResourceTag/team":"ci"}}`))
	must(alice.GetOpenIDConnectProvider(ctx, &awsiam.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: &tagged}))
	_, err := alice.GetOpenIDConnectProvider(ctx, &awsiam.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: &other})
	wantAPIError(t, "GetOpenIDConnectProvider(untagged)", err, "AccessDenied", "")
}
