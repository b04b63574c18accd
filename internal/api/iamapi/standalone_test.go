package iamapi

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	awssts "github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"

	"github.com/iamq/iamq/internal/server/servertest"
)

// TestStandaloneOperations: each operation of a feature a standalone
// account lacks answers, through the SDK, the error of its model for that
// state (typed by the SDK where the model names it), and the reads that have
// a truthful empty answer give it.
func TestStandaloneOperations(t *testing.T) {
	f := newIDFixture(t)
	ctx := context.Background()
	c := f.c
	drID := aws.String("0123456789abcdef-request")
	tmpl := aws.String("arn:aws:iam::aws:role-template/Example")
	var orgNotFound *iamtypes.OrganizationNotFoundException
	var noSuch *iamtypes.NoSuchEntityException
	var invalid *iamtypes.InvalidInputException
	var disabled *iamtypes.FeatureDisabledException
	cases := []struct {
		name   string
		call   func() error
		code   string
		target any // the SDK's typed error, nil for a common error
	}{
		{"EnableOrganizationsRootCredentialsManagement", func() error {
			_, err := c.EnableOrganizationsRootCredentialsManagement(ctx, &awsiam.EnableOrganizationsRootCredentialsManagementInput{})
			return err
		}, "OrganizationNotFoundException", &orgNotFound},
		{"DisableOrganizationsRootCredentialsManagement", func() error {
			_, err := c.DisableOrganizationsRootCredentialsManagement(ctx, &awsiam.DisableOrganizationsRootCredentialsManagementInput{})
			return err
		}, "OrganizationNotFoundException", &orgNotFound},
		{"EnableOrganizationsRootSessions", func() error {
			_, err := c.EnableOrganizationsRootSessions(ctx, &awsiam.EnableOrganizationsRootSessionsInput{})
			return err
		}, "OrganizationNotFoundException", &orgNotFound},
		{"DisableOrganizationsRootSessions", func() error {
			_, err := c.DisableOrganizationsRootSessions(ctx, &awsiam.DisableOrganizationsRootSessionsInput{})
			return err
		}, "OrganizationNotFoundException", &orgNotFound},
		{"ListOrganizationsFeatures", func() error {
			_, err := c.ListOrganizationsFeatures(ctx, &awsiam.ListOrganizationsFeaturesInput{})
			return err
		}, "OrganizationNotFoundException", &orgNotFound},
		{"GenerateOrganizationsAccessReport", func() error {
			_, err := c.GenerateOrganizationsAccessReport(ctx, &awsiam.GenerateOrganizationsAccessReportInput{EntityPath: aws.String("o-a1b2c3d4e5/r-f6g7h8i9j0")})
			return err
		}, "AccessDenied", nil},
		{"GetOrganizationsAccessReport", func() error {
			_, err := c.GetOrganizationsAccessReport(ctx, &awsiam.GetOrganizationsAccessReportInput{JobId: aws.String("examplea-1234-b567-cde8-90fg123abcd4")})
			return err
		}, "NoSuchEntity", &noSuch},
		{"CreateDelegationRequest", func() error {
			_, err := c.CreateDelegationRequest(ctx, &awsiam.CreateDelegationRequestInput{Description: aws.String("d"),
				Permissions: &iamtypes.DelegationPermission{}, RequestorWorkflowId: aws.String("workflow"),
				NotificationChannel: aws.String("arn:aws:sns:us-east-1:123456789012:t"), SessionDuration: aws.Int32(900)})
			return err
		}, "AccessDenied", nil},
		{"GetDelegationRequest", func() error {
			_, err := c.GetDelegationRequest(ctx, &awsiam.GetDelegationRequestInput{DelegationRequestId: drID})
			return err
		}, "NoSuchEntity", &noSuch},
		{"GetDelegationRequest/short id", func() error {
			_, err := c.GetDelegationRequest(ctx, &awsiam.GetDelegationRequestInput{DelegationRequestId: aws.String("short")})
			return err
		}, "ValidationError", nil},
		{"AcceptDelegationRequest", func() error {
			_, err := c.AcceptDelegationRequest(ctx, &awsiam.AcceptDelegationRequestInput{DelegationRequestId: drID})
			return err
		}, "NoSuchEntity", &noSuch},
		{"AssociateDelegationRequest", func() error {
			_, err := c.AssociateDelegationRequest(ctx, &awsiam.AssociateDelegationRequestInput{DelegationRequestId: drID})
			return err
		}, "NoSuchEntity", &noSuch},
		{"RejectDelegationRequest", func() error {
			_, err := c.RejectDelegationRequest(ctx, &awsiam.RejectDelegationRequestInput{DelegationRequestId: drID})
			return err
		}, "NoSuchEntity", &noSuch},
		{"UpdateDelegationRequest", func() error {
			_, err := c.UpdateDelegationRequest(ctx, &awsiam.UpdateDelegationRequestInput{DelegationRequestId: drID})
			return err
		}, "NoSuchEntity", &noSuch},
		{"SendDelegationToken", func() error {
			_, err := c.SendDelegationToken(ctx, &awsiam.SendDelegationTokenInput{DelegationRequestId: drID})
			return err
		}, "NoSuchEntity", &noSuch},
		{"GetHumanReadableSummary/delegation request", func() error {
			_, err := c.GetHumanReadableSummary(ctx, &awsiam.GetHumanReadableSummaryInput{EntityArn: aws.String("arn:aws:iam::" + idAccount + ":delegation-request/0123456789abcdef")})
			return err
		}, "NoSuchEntity", &noSuch},
		{"GetHumanReadableSummary/role", func() error {
			_, err := c.GetHumanReadableSummary(ctx, &awsiam.GetHumanReadableSummaryInput{EntityArn: aws.String(roleARN("web"))})
			return err
		}, "InvalidInput", &invalid},
		{"AcquireRole", func() error {
			_, err := c.AcquireRole(ctx, &awsiam.AcquireRoleInput{TemplateArn: tmpl})
			return err
		}, "NoSuchEntity", &noSuch},
		{"GetRoleTemplateVersion", func() error {
			_, err := c.GetRoleTemplateVersion(ctx, &awsiam.GetRoleTemplateVersionInput{TemplateArn: tmpl})
			return err
		}, "NoSuchEntity", &noSuch},
		{"PutAccountProperties/unknown namespace", func() error {
			_, err := c.PutAccountProperties(ctx, &awsiam.PutAccountPropertiesInput{Properties: map[string]string{"RoleManager/Enabled": "true"}})
			return err
		}, "InvalidInput", &invalid},
		{"PutAccountProperties/malformed key", func() error {
			_, err := c.PutAccountProperties(ctx, &awsiam.PutAccountPropertiesInput{Properties: map[string]string{"NoSlash": "true"}})
			return err
		}, "InvalidInput", &invalid},
		{"EnableOutboundWebIdentityFederation", func() error {
			_, err := c.EnableOutboundWebIdentityFederation(ctx, &awsiam.EnableOutboundWebIdentityFederationInput{})
			return err
		}, "AccessDenied", nil},
		{"DisableOutboundWebIdentityFederation", func() error {
			_, err := c.DisableOutboundWebIdentityFederation(ctx, &awsiam.DisableOutboundWebIdentityFederationInput{})
			return err
		}, "FeatureDisabled", &disabled},
		{"GetOutboundWebIdentityFederationInfo", func() error {
			_, err := c.GetOutboundWebIdentityFederationInfo(ctx, &awsiam.GetOutboundWebIdentityFederationInfoInput{})
			return err
		}, "FeatureDisabled", &disabled},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			wantAPIError(t, tc.name, err, tc.code, "")
			if tc.target != nil && !errors.As(err, tc.target) {
				t.Errorf("%s = %T, want the SDK's typed %T", tc.name, err, tc.target)
			}
		})
	}

	list, err := c.ListDelegationRequests(ctx, &awsiam.ListDelegationRequestsInput{})
	if err != nil || len(list.DelegationRequests) != 0 || list.IsTruncated {
		t.Errorf("ListDelegationRequests = %+v, %v; want none", list, err)
	}
	props, err := c.GetAccountProperties(ctx, &awsiam.GetAccountPropertiesInput{})
	if err != nil || len(props.Properties) != 0 {
		t.Errorf("GetAccountProperties = %+v, %v; want none", props, err)
	}
}

// TestStandaloneSTS: AssumeRoot, GetDelegatedAccessToken and
// GetWebIdentityToken answer, through the SDK, what a standalone account
// gets, typed by the SDK where the model names the error.
func TestStandaloneSTS(t *testing.T) {
	f := newIDFixture(t)
	ctx := context.Background()
	c := awssts.NewFromConfig(aws.Config{Region: "us-east-1", Credentials: f.c.Options().Credentials,
		BaseEndpoint: aws.String(f.srv.URL), Retryer: servertest.Retryer})
	_, err := c.AssumeRoot(ctx, &awssts.AssumeRootInput{TargetPrincipal: aws.String("111122223333"),
		TaskPolicyArn: &ststypes.PolicyDescriptorType{Arn: aws.String("arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials")}})
	wantAPIError(t, "AssumeRoot", err, "AccessDenied", "")
	if !strings.Contains(err.Error(), "sts:AssumeRoot") {
		t.Errorf("AssumeRoot = %v, want the action named", err)
	}
	_, err = c.GetDelegatedAccessToken(ctx, &awssts.GetDelegatedAccessTokenInput{TradeInToken: aws.String("token-iamq-never-issued")})
	var expired *ststypes.ExpiredTradeInTokenException
	if !errors.As(err, &expired) {
		t.Errorf("GetDelegatedAccessToken = %v, want ExpiredTradeInTokenException", err)
	}
	_, err = c.GetWebIdentityToken(ctx, &awssts.GetWebIdentityTokenInput{Audience: []string{"https://api.example.com"}, SigningAlgorithm: aws.String("ES384")})
	var off *ststypes.OutboundWebIdentityFederationDisabledException
	if !errors.As(err, &off) {
		t.Errorf("GetWebIdentityToken = %v, want OutboundWebIdentityFederationDisabledException", err)
	}
}
