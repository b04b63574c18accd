package iamapi

import (
	"context"
	"testing"

	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// TestSecurityTokenServicePreferences: GetAccountSummary reports token
// version 1 until SetSecurityTokenServicePreferences sets v2Token, then 2,
// and 1 again after v1Token; a version outside the enum is a
// ValidationError that changes nothing.
func TestSecurityTokenServicePreferences(t *testing.T) {
	f := newIDFixture(t)
	ctx := context.Background()
	version := func() int32 {
		t.Helper()
		return must(f.c.GetAccountSummary(ctx, &awsiam.GetAccountSummaryInput{})).SummaryMap["GlobalEndpointTokenVersion"]
	}
	if v := version(); v != 1 {
		t.Fatalf("GlobalEndpointTokenVersion = %d, want 1 by default", v)
	}
	must(f.c.SetSecurityTokenServicePreferences(ctx, &awsiam.SetSecurityTokenServicePreferencesInput{GlobalEndpointTokenVersion: iamtypes.GlobalEndpointTokenVersionV2Token}))
	if v := version(); v != 2 {
		t.Fatalf("GlobalEndpointTokenVersion = %d after v2Token, want 2", v)
	}
	_, err := f.c.SetSecurityTokenServicePreferences(ctx, &awsiam.SetSecurityTokenServicePreferencesInput{GlobalEndpointTokenVersion: "v3Token"})
	wantAPIError(t, "SetSecurityTokenServicePreferences(v3Token)", err, "ValidationError",
		"1 validation error detected: Value 'v3Token' at 'globalEndpointTokenVersion' failed to satisfy constraint: Member must satisfy enum value set: [v1Token, v2Token]")
	if v := version(); v != 2 {
		t.Fatalf("GlobalEndpointTokenVersion = %d after a refused call, want 2", v)
	}
	must(f.c.SetSecurityTokenServicePreferences(ctx, &awsiam.SetSecurityTokenServicePreferencesInput{GlobalEndpointTokenVersion: iamtypes.GlobalEndpointTokenVersionV1Token}))
	if v := version(); v != 1 {
		t.Fatalf("GlobalEndpointTokenVersion = %d after v1Token, want 1", v)
	}
}
