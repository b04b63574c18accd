package analyzerapi_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	aa "github.com/aws/aws-sdk-go-v2/service/accessanalyzer"
	aatypes "github.com/aws/aws-sdk-go-v2/service/accessanalyzer/types"
)

// TestComplexityBound: policies past the pattern bounds are refused with
// UnprocessableEntityException before any analysis (the turns and timeout
// of comparisons are tested in budget_internal_test.go).
func TestComplexityBound(t *testing.T) {
	ctx := context.Background()
	e := start(t)
	var slow *aatypes.UnprocessableEntityException
	wild := aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:a*a*a*a*a*a*a*a*a*","Resource":"*"}]}`)
	_, err := e.root.CheckNoNewAccess(ctx, &aa.CheckNoNewAccessInput{ExistingPolicyDocument: wild, NewPolicyDocument: wild,
		PolicyType: aatypes.AccessCheckPolicyTypeIdentityPolicy})
	if !errors.As(err, &slow) {
		t.Errorf("CheckNoNewAccess(9 wildcards) err = %v, want UnprocessableEntityException", err)
	}
	_, err = e.root.CheckAccessNotGranted(ctx, &aa.CheckAccessNotGrantedInput{PolicyDocument: wild, PolicyType: aatypes.AccessCheckPolicyTypeIdentityPolicy,
		Access: []aatypes.Access{{Actions: []string{"s3:GetObject"}}}})
	if !errors.As(err, &slow) || !strings.Contains(slow.ErrorMessage(), "9 wildcards") {
		t.Errorf("CheckAccessNotGranted(9 wildcards) err = %v, want UnprocessableEntityException naming them", err)
	}
}
