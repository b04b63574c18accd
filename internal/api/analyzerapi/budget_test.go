package analyzerapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	aa "github.com/aws/aws-sdk-go-v2/service/accessanalyzer"
	aatypes "github.com/aws/aws-sdk-go-v2/service/accessanalyzer/types"

	"github.com/iamq/iamq/internal/api/analyzerapi"
)

// costly is a policy whose comparison with itself takes the analysis
// seconds: 32 actions and 32 resources that share their wildcards.
func costly() string {
	var acts, res []string
	for i := 0; i < 32; i++ {
		acts = append(acts, "s3:a*"+strings.Repeat("b", i%7))
		res = append(res, "arn:aws:s3:::x*"+strings.Repeat("y", i%5))
	}
	b, _ := json.Marshal(map[string]any{"Version": "2012-10-17",
		"Statement": []any{map[string]any{"Effect": "Allow", "Action": acts, "Resource": res}}})
	return string(b)
}

// TestCompareBudget: a comparison that outlasts its budget is refused with
// UnprocessableEntityException, and while it still runs, a second one
// waits its turn and is refused with ThrottlingException; policies past the
// pattern bounds are refused before any analysis.
func TestCompareBudget(t *testing.T) {
	ctx := context.Background()
	e := startWith(t, analyzerapi.Options{CompareTimeout: 100 * time.Millisecond})
	doc := aws.String(costly())
	in := &aa.CheckNoNewAccessInput{ExistingPolicyDocument: doc, NewPolicyDocument: doc, PolicyType: aatypes.AccessCheckPolicyTypeIdentityPolicy}
	var slow *aatypes.UnprocessableEntityException
	if _, err := e.root.CheckNoNewAccess(ctx, in); !errors.As(err, &slow) {
		t.Fatalf("CheckNoNewAccess(costly) err = %v, want UnprocessableEntityException", err)
	}
	var wg sync.WaitGroup
	var throttled *aatypes.ThrottlingException
	wg.Add(1)
	go func() {
		defer wg.Done()
		small := aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`)
		_, err := e.root.CheckNoNewAccess(ctx, &aa.CheckNoNewAccessInput{ExistingPolicyDocument: small, NewPolicyDocument: small,
			PolicyType: aatypes.AccessCheckPolicyTypeIdentityPolicy})
		if !errors.As(err, &throttled) {
			t.Errorf("CheckNoNewAccess while the costly one runs: err = %v, want ThrottlingException", err)
		}
	}()
	wg.Wait()

	wild := aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:a*a*a*a*a*a*a*a*a*","Resource":"*"}]}`)
	_, err := e.root.CheckAccessNotGranted(ctx, &aa.CheckAccessNotGrantedInput{PolicyDocument: wild, PolicyType: aatypes.AccessCheckPolicyTypeIdentityPolicy,
		Access: []aatypes.Access{{Actions: []string{"s3:GetObject"}}}})
	if !errors.As(err, &slow) || !strings.Contains(slow.ErrorMessage(), "9 wildcards") {
		t.Errorf("CheckAccessNotGranted(9 wildcards) err = %v, want UnprocessableEntityException naming them", err)
	}
}
