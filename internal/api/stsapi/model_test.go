package stsapi

import (
	"context"
	"reflect"
	"slices"
	"testing"

	awssts "github.com/aws/aws-sdk-go-v2/service/sts"
)

// TestModelOperations: the operations iamq serves are exactly STS's model as
// the SDK has it: none is left unanswered.
func TestModelOperations(t *testing.T) {
	ctxType := reflect.TypeOf((*context.Context)(nil)).Elem()
	ty := reflect.TypeOf(&awssts.Client{})
	var want []string
	for i := 0; i < ty.NumMethod(); i++ {
		m := ty.Method(i)
		if m.Type.NumIn() >= 3 && m.Type.In(1) == ctxType && m.Type.In(2).Elem().Name() == m.Name+"Input" {
			want = append(want, m.Name)
		}
	}
	got := []string{"AssumeRole", "GetCallerIdentity", "GetSessionToken", // stsapi.go
		"AssumeRoleWithSAML", "AssumeRoleWithWebIdentity", "DecodeAuthorizationMessage", "GetAccessKeyInfo", "GetFederationToken", // federation.go
		"AssumeRoot", "GetDelegatedAccessToken", "GetWebIdentityToken"} // standalone.go
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("served STS operations = %v\nwant the SDK's %v", got, want)
	}
}
